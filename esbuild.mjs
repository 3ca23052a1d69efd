// Builds the three bundles: the extension host (Node, CommonJS, `vscode` external),
// the chat webview (browser) and the CLI (Node). `--watch` rebuilds on change.
import * as esbuild from 'esbuild';

const watch = process.argv.includes('--watch');
const production = process.argv.includes('--production');

/** @type {esbuild.BuildOptions} */
const common = {
  bundle: true,
  sourcemap: production ? false : 'linked',
  minify: production,
  logLevel: 'info',
  legalComments: 'none',
};

/** `import('../core/index.js')` in the extension host becomes `require('./core.js')` at run time (see the extension build). */
const lazyCore = {
  name: 'lazy-core',
  setup(build) {
    build.onResolve({ filter: /^\.\.\/core\/index\.js$/ }, (args) =>
      args.kind === 'dynamic-import' ? { path: './core.js', external: true } : undefined,
    );
  },
};

/** @type {esbuild.BuildOptions[]} */
const builds = [
  {
    ...common,
    // The RAG Core client (with undici, most of the code) is its own file, loaded on the first question:
    // activation then parses ~50 KB instead of ~900 KB.
    entryPoints: { extension: 'src/extension.ts', core: 'src/core/index.ts' },
    plugins: [lazyCore],
    // …as a plain require(): the extension host's loader, not Node's ESM import().
    supported: { 'dynamic-import': false },
    outdir: 'dist',
    platform: 'node',
    format: 'cjs',
    // VS Code 1.95 runs its extension host on Node 20.
    target: 'node20',
    external: ['vscode'],
  },
  {
    ...common,
    entryPoints: { cli: 'src/cli/main.ts' },
    outdir: 'dist',
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    banner: { js: '#!/usr/bin/env node' },
  },
  {
    ...common,
    entryPoints: { webview: 'webview/main.tsx' },
    outdir: 'dist',
    platform: 'browser',
    format: 'iife',
    target: 'es2022',
    // The webview is always shipped minified: its size is a product budget.
    minify: true,
    jsx: 'automatic',
    jsxImportSource: 'preact',
    loader: { '.woff2': 'file', '.ttf': 'file' },
    // main.tsx imports media/webview.css: esbuild writes dist/webview.css and copies the fonts it names
    // (media/fonts/Vazirmatn-Variable.woff2, codicon.ttf from @vscode/codicons) to stable paths in dist/fonts/.
    assetNames: 'fonts/[name]',
  },
];

if (watch) {
  const contexts = await Promise.all(builds.map((options) => esbuild.context(options)));
  await Promise.all(contexts.map((context) => context.watch()));
} else {
  await Promise.all(builds.map((options) => esbuild.build(options)));
}

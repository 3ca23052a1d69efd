// Bundles the VS Code integration suite (test/vscode/suite) into dist-test/suite/: `index.js` (the
// `--extensionTestsPath` entry, exporting `run()`) and one `*.test.js` per test file, CommonJS for the extension
// host. `vscode` is provided by the host; `mocha` is loaded from the repo's node_modules. The local RAG Core is
// bundled into the tests, so its corpus is copied next to them (it reads `corpus/` beside its own file).
// Contract with the runners: /work/notes/vscode-suite-contract.md.
import { cpSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';

const root = fileURLToPath(new URL('../..', import.meta.url));
const suiteDir = join(root, 'test', 'vscode', 'suite');
const outdir = join(root, 'dist-test', 'suite');

const entryPoints = readdirSync(suiteDir)
  .filter((name) => name === 'index.ts' || name.endsWith('.test.ts'))
  .map((name) => join(suiteDir, name));

rmSync(outdir, { recursive: true, force: true });
await esbuild.build({
  entryPoints,
  outdir,
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  external: ['vscode', 'mocha'],
  sourcemap: 'inline',
  logLevel: 'warning',
});
cpSync(join(root, 'test', 'core-server', 'corpus'), join(outdir, 'corpus'), { recursive: true });
console.log(`VS Code suite built: ${join(outdir, 'index.js')} (${entryPoints.length - 1} test files)`);

// `npm run setup`, and the first step of `npm test` and `npm start`: makes a fresh clone ready, and costs about a
// second when everything is already there. Node built-ins only: it runs before the project's dependencies exist.
//  1. `npm ci` when node_modules is missing or does not match package-lock.json;
//  2. the Debian packages the tests need (chromium, ripgrep, libkrb5-dev, fonts-noto-core), with apt-get
//     (through sudo when not root; `apt-get update` only when the package lists are empty or an install fails);
//  3. code-server for the tests in a real VS Code (scripts/code-server.mjs, cached in .vscode-test/).
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ROOT, installCodeServer } from './code-server.mjs';

// chromium: the webview and e2e tests; ripgrep: code-server's search; libkrb5-dev: building code-server's kerberos
// module; fonts-noto-core: Persian glyphs in screenshots.
export const DEBIAN_PACKAGES = ['chromium', 'ripgrep', 'libkrb5-dev', 'fonts-noto-core'];
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';

function readJson(path) {
  try {
    return JSON.parse(readFileSync(path, 'utf8'));
  } catch {
    return undefined;
  }
}

/** Why node_modules does not match the lockfile, or null when it does (npm's own hidden lockfile records what is installed). */
export function dependenciesOutOfDate() {
  const lock = readJson(join(ROOT, 'package-lock.json'));
  if (!lock) return 'package-lock.json is missing or unreadable';
  const installed = readJson(join(ROOT, 'node_modules', '.package-lock.json'));
  if (!installed) return 'node_modules is missing';
  for (const [path, entry] of Object.entries(lock.packages ?? {})) {
    if (path === '' || entry.link) continue;
    const present = installed.packages?.[path];
    // Optional packages for other platforms (esbuild's binaries, for example) are rightly absent.
    if (!present) {
      if (entry.optional) continue;
      return `${path} is not installed`;
    }
    if (present.version !== entry.version) return `${path} is ${present.version}, the lockfile wants ${entry.version}`;
  }
  return null;
}

function sh(command, args, options = {}) {
  console.log(`setup: ${command} ${args.join(' ')}`);
  const result = spawnSync(command, args, { stdio: 'inherit', cwd: ROOT, ...options });
  return result.status === 0;
}

function missingDebianPackages() {
  return DEBIAN_PACKAGES.filter((name) => {
    const result = spawnSync('dpkg-query', ['-W', '-f=${Status}', name], { encoding: 'utf8' });
    return result.status !== 0 || !result.stdout.includes('install ok installed');
  });
}

function hasCommand(command) {
  return spawnSync('sh', ['-c', `command -v ${command}`], { stdio: 'ignore' }).status === 0;
}

function installDebianPackages() {
  if (!hasCommand('apt-get') || !hasCommand('dpkg-query')) {
    console.warn(
      `setup: no apt-get here; install these yourself if a test needs them: ${DEBIAN_PACKAGES.join(', ')} ` +
        '(Chromium at /usr/bin/chromium, rg on PATH, Kerberos headers, Noto fonts).',
    );
    return true;
  }
  const missing = missingDebianPackages();
  if (missing.length === 0) return true;
  const root = typeof process.getuid === 'function' && process.getuid() === 0;
  if (!root && !hasCommand('sudo')) {
    console.error(`setup: missing Debian packages ${missing.join(', ')} and no sudo: run as root: apt-get install -y ${missing.join(' ')}`);
    return false;
  }
  const apt = (args) => (root ? sh('apt-get', args, aptOptions) : sh('sudo', ['--preserve-env=DEBIAN_FRONTEND', 'apt-get', ...args], aptOptions));
  const aptOptions = { env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } };
  const install = ['install', '-y', '--no-install-recommends', ...missing];
  const listsEmpty = !existsSync('/var/lib/apt/lists') || !readdirSync('/var/lib/apt/lists').some((file) => file.endsWith('_Packages'));
  if (listsEmpty && !apt(['update'])) return false;
  if (apt(install)) return true;
  // Stale package lists (a 404 on a superseded version) are the usual reason: refresh once and try again.
  return apt(['update']) && apt(install);
}

export function setup() {
  const started = Date.now();
  const stale = dependenciesOutOfDate();
  if (stale) {
    console.log(`setup: npm ci (${stale})`);
    if (!sh(npm, ['ci', '--no-audit', '--no-fund'])) throw new Error('npm ci failed');
  }
  if (!installDebianPackages()) throw new Error(`could not install the Debian packages ${DEBIAN_PACKAGES.join(', ')}`);
  const seconds = installCodeServer();
  if (seconds > 0) console.log(`setup: code-server installed in ${seconds} s`);
  console.log(`setup: ready (${((Date.now() - started) / 1000).toFixed(1)} s)`);
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  try {
    setup();
  } catch (error) {
    console.error(`setup: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  }
}

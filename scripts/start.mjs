// `npm start [-- --port N] [-- --browser] [-- --latency off] [-- --time-scale F]`: a working chat within a minute of a
// fresh clone. The local core answers with realistic latency (retrieval, then tokens at a rate) unless
// `--latency off`; `--time-scale F` multiplies its delays.
// Installs what is missing (scripts/setup.mjs), builds, starts the local RAG Core (test/core-server), then opens
// the product configured for it:
//  - VS Code desktop with the extension in development mode, when a `code` command exists (and not --browser);
//  - otherwise code-server in the browser, with the packaged .vsix installed, at a printed loopback URL.
// Either way `tejarat.coreUrl` points at the local core, and TEJARAT_DEV_TOKEN=dev-token is handed to the extension
// host, which stores it in SecretStorage for a loopback core only (see the README); the token never goes into
// settings. Ctrl+C stops the core and code-server.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createServer } from 'node:net';
import { parseArgs } from 'node:util';
import { ROOT, freePort, startCodeServer } from './code-server.mjs';
import { setup } from './setup.mjs';

const { values: flags } = parseArgs({
  options: {
    port: { type: 'string' },
    browser: { type: 'boolean' },
    latency: { type: 'string' },
    'time-scale': { type: 'string' },
  },
});
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const DEV_TOKEN = 'dev-token';
const STATE = join(ROOT, '.vscode-test', 'start');
const WORKSPACE = join(STATE, 'workspace');

const cleanups = [];
let stopping = false;
async function stopAll(code = 0) {
  if (stopping) return;
  stopping = true;
  for (const cleanup of cleanups.reverse()) {
    try {
      await cleanup();
    } catch {
      // Stopping anyway.
    }
  }
  process.exit(code);
}
process.on('SIGINT', () => void stopAll(0));
process.on('SIGTERM', () => void stopAll(0));

/** Runs a step quietly: its output is shown only when it fails. */
function must(command, args) {
  console.log(`npm start: ${command} ${args.join(' ')}`);
  const result = spawnSync(command, args, { cwd: ROOT, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (result.status !== 0) {
    process.stdout.write(`${result.stdout ?? ''}${result.stderr ?? ''}`);
    throw new Error(`${command} ${args.join(' ')} exited ${result.status}`);
  }
}

/** The local RAG Core as a child process (node directly, never through npx, so it can be stopped by its pid). */
function startCore() {
  return new Promise((resolveCore, reject) => {
    const args = ['--import', 'tsx', 'test/core-server/main.ts', '--port', '0', '--token', DEV_TOKEN];
    if (flags.latency !== undefined) args.push('--latency', flags.latency);
    if (flags['time-scale'] !== undefined) args.push('--time-scale', flags['time-scale']);
    const child = spawn(process.execPath, args, {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let seen = '';
    child.stdout.on('data', (data) => {
      seen += data.toString('utf8');
      const match = /RAG Core listening on (\S+) \(([^)]*)\)/.exec(seen);
      if (match) {
        child.stdout.removeAllListeners('data');
        child.stdout.resume();
        resolveCore({ url: match[1], details: match[2], child });
      }
    });
    child.on('exit', (code) => reject(new Error(`the local RAG Core exited (${code}) before it listened:\n${seen}`)));
  });
}

function hasCode() {
  return spawnSync('sh', ['-c', 'command -v code'], { stdio: 'ignore' }).status === 0;
}

function prepareWorkspace() {
  mkdirSync(WORKSPACE, { recursive: true });
  const notes = join(WORKSPACE, 'notes.md');
  if (!existsSync(notes)) writeFileSync(notes, '# Notes\n\nAsk Tejarat, then Insert the answer here.\n\n');
}

/** Merges the local core's URL into a user settings file, keeping whatever else the user changed there. */
function writeSettings(userDataDir, coreUrl) {
  const file = join(userDataDir, 'User', 'settings.json');
  mkdirSync(join(userDataDir, 'User'), { recursive: true });
  let settings = {};
  try {
    settings = JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    // First start, or a file with comments: start again from ours.
  }
  settings = { 'workbench.startupEditor': 'none', ...settings, 'tejarat.coreUrl': coreUrl };
  writeFileSync(file, `${JSON.stringify(settings, null, 2)}\n`);
}

async function main() {
  const started = Date.now();
  setup();
  must(npm, ['run', 'build']);
  const core = await startCore();
  cleanups.push(() => core.child.kill('SIGTERM'));
  core.child.on('exit', () => void stopAll(1));
  console.log(`Local RAG Core: ${core.url} (${core.details})`);
  prepareWorkspace();
  const env = { TEJARAT_DEV_TOKEN: DEV_TOKEN };

  if (hasCode() && !flags.browser) {
    const userDataDir = join(STATE, 'desktop-user-data');
    writeSettings(userDataDir, core.url);
    // A profile of its own, so the user's own VS Code settings never get the local core's URL.
    const code = spawn(
      'code',
      ['--new-window', '--wait', '--user-data-dir', userDataDir, `--extensionDevelopmentPath=${ROOT}`, WORKSPACE],
      { cwd: ROOT, stdio: 'inherit', env: { ...process.env, ...env } },
    );
    cleanups.push(() => code.kill('SIGTERM'));
    code.on('exit', () => void stopAll(0));
    console.log(`\nVS Code is opening with Tejarat Chat in development mode (${Math.round((Date.now() - started) / 1000)} s).`);
    console.log(`In it, ${howToAsk()}. Close its window or press Ctrl+C here to stop the local core.`);
    return;
  }

  must(npm, ['run', 'package']);
  const userDataDir = join(STATE, 'user-data');
  const extensionsDir = join(STATE, 'extensions');
  writeSettings(userDataDir, core.url);
  const requested = flags.port ? Number(flags.port) : 8080;
  const port = (await isFree(requested)) ? requested : await freePort();
  const server = await startCodeServer({
    port,
    folder: WORKSPACE,
    userDataDir,
    extensionsDir,
    settings: { ...JSON.parse(readFileSync(join(userDataDir, 'User', 'settings.json'), 'utf8')) },
    vsix: [join(ROOT, 'tejarat-chat.vsix')],
    env,
    log: (line) => {
      if (/error/i.test(line)) console.log(`[code-server] ${line}`);
    },
    readyTimeoutMs: 120_000,
  });
  cleanups.push(() => server.stop());
  server.child.on('exit', () => void stopAll(1));
  console.log(`\nTejarat Chat in VS Code (code-server) is ready in ${Math.round((Date.now() - started) / 1000)} s:`);
  console.log(`\n    ${server.workbenchUrl}\n`);
  console.log(`Open it in a browser, then ${howToAsk()}.`);
  console.log(`If you are asked for an access token, type ${DEV_TOKEN}. Ctrl+C here stops everything.`);
}

function isFree(port) {
  return new Promise((resolveFree) => {
    const probe = createServer();
    probe.once('error', () => resolveFree(false));
    probe.listen(port, '127.0.0.1', () => probe.close(() => resolveFree(true)));
  });
}

/** How to ask, from the manifest: the palette title and the default keybinding of tejarat.ask, when there is one. */
function howToAsk() {
  const manifest = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
  const binding = manifest.contributes?.keybindings?.find((entry) => entry.command === 'tejarat.ask');
  const key = binding ? `press ${binding.key} or ` : '';
  return `${key}run "Tejarat: Ask Tejarat" from the command palette (F1)`;
}

main().catch((error) => {
  console.error(`npm start: ${error instanceof Error ? error.message : String(error)}`);
  void stopAll(1);
});

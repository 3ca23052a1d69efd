// A real VS Code for tests, benchmarks and `npm start` on machines that cannot download VS Code:
// code-server 4.100.3 (VS Code 1.100.3) from npm, installed into .vscode-test/code-server/ the way
// shared/design.md describes. That folder is outside the project's node_modules and has its own
// package.json, so installing it never touches the project's lockfile. Node built-ins only: it runs
// from scripts/setup.mjs before the project's own dependencies exist.
//
//   node scripts/code-server.mjs            installs (instant when the marker says it is done)
//   node scripts/code-server.mjs --force    installs again
import { spawn, spawnSync } from 'node:child_process';
import { copyFileSync, chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync, lstatSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const CODE_SERVER_VERSION = '4.100.3';
export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const INSTALL_DIR = join(ROOT, '.vscode-test', 'code-server');
const PACKAGE_DIR = join(INSTALL_DIR, 'node_modules', 'code-server');
const VSCODE_DIR = join(PACKAGE_DIR, 'lib', 'vscode');
export const ENTRY = join(PACKAGE_DIR, 'out', 'node', 'entry.js');
const MARKER = join(INSTALL_DIR, '.installed.json');
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';

// Native modules of VS Code's server that the install script would have built; they must match this Node.
const NATIVE_MODULES = ['kerberos', 'node-pty', '@parcel/watcher', '@vscode/deviceid', '@vscode/spdlog', 'native-watchdog'];

/** What the marker must say for an install to count as done: the version and the Node ABI it was built for. */
function wantedMarker() {
  return { version: CODE_SERVER_VERSION, nodeAbi: process.versions.modules, platform: `${process.platform}-${process.arch}` };
}

export function isInstalled() {
  if (!existsSync(MARKER) || !existsSync(ENTRY)) return false;
  try {
    const marker = JSON.parse(readFileSync(MARKER, 'utf8'));
    const wanted = wantedMarker();
    return Object.entries(wanted).every(([key, value]) => marker[key] === value);
  } catch {
    return false;
  }
}

function step(title, command, args, cwd, env = {}) {
  const started = Date.now();
  process.stdout.write(`code-server install: ${title} … `);
  const result = spawnSync(command, args, {
    cwd,
    env: { ...process.env, npm_config_yes: 'true', npm_config_audit: 'false', npm_config_fund: 'false', npm_config_update_notifier: 'false', ...env },
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  if (result.status !== 0) {
    process.stdout.write(`failed after ${seconds} s\n`);
    process.stderr.write(`${result.stdout ?? ''}\n${result.stderr ?? ''}\n${result.error ?? ''}\n`);
    throw new Error(`code-server install: "${command} ${args.join(' ')}" in ${cwd} exited ${result.status}`);
  }
  process.stdout.write(`${seconds} s\n`);
}

function which(command) {
  const result = spawnSync('sh', ['-c', `command -v ${command}`], { encoding: 'utf8' });
  return result.status === 0 ? result.stdout.trim() : null;
}

/** Installs code-server unless the marker says it is already there. Returns the seconds it took (0 when cached). */
export function installCodeServer({ force = false } = {}) {
  if (!force && isInstalled()) return 0;
  const started = Date.now();
  mkdirSync(INSTALL_DIR, { recursive: true });
  rmSync(MARKER, { force: true });
  // Its own package.json stops npm from walking up to the project and writing into the project's lockfile.
  writeFileSync(join(INSTALL_DIR, 'package.json'), `${JSON.stringify({ name: 'tejarat-test-code-server', private: true }, null, 2)}\n`);

  // The package's install script downloads and builds things that cannot be fetched here: each part by hand.
  step(`npm install code-server@${CODE_SERVER_VERSION}`, npm, ['install', `code-server@${CODE_SERVER_VERSION}`, '--ignore-scripts', '--no-save'], INSTALL_DIR);
  step('VS Code server dependencies', npm, ['install', '--omit=dev', '--ignore-scripts'], VSCODE_DIR);

  // @vscode/ripgrep's postinstall downloads rg from GitHub; Debian's rg (apt package ripgrep) does the same job.
  const rg = which('rg');
  if (!rg) throw new Error('code-server install: ripgrep is missing (apt-get install ripgrep)');
  const rgTarget = join(VSCODE_DIR, 'node_modules', '@vscode', 'ripgrep', 'bin', 'rg');
  mkdirSync(dirname(rgTarget), { recursive: true });
  rmSync(rgTarget, { force: true });
  copyFileSync(rg, rgTarget);
  chmodSync(rgTarget, 0o755);

  step('native modules (needs libkrb5-dev)', npm, ['rebuild', ...NATIVE_MODULES], VSCODE_DIR);
  // VS Code's server loads its modules from node_modules.asar, which only the packaged builds contain.
  const asar = join(VSCODE_DIR, 'node_modules.asar');
  if (!existsSync(asar)) {
    try {
      lstatSync(asar);
      rmSync(asar, { force: true }); // A dangling link from a broken earlier run.
    } catch {
      // Nothing there.
    }
    symlinkSync('node_modules', asar);
  }
  step('built-in extensions dependencies', npm, ['install', '--omit=dev'], join(VSCODE_DIR, 'extensions'));
  step('argon2', npm, ['rebuild', 'argon2'], INSTALL_DIR);

  const seconds = Math.round((Date.now() - started) / 100) / 10;
  writeFileSync(MARKER, `${JSON.stringify({ ...wantedMarker(), installSeconds: seconds, installedAt: new Date().toISOString() }, null, 2)}\n`);
  console.log(`code-server ${CODE_SERVER_VERSION} installed in ${seconds} s (${INSTALL_DIR})`);
  return seconds;
}

/** A free TCP port on 127.0.0.1 (there is a short window before the caller binds it; fine on a test machine). */
export function freePort() {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolvePort(port));
    });
  });
}

/**
 * Debian's Chromium (TEJARAT_CHROMIUM names another build, e.g. /snap/bin/chromium) and the flags that make it run
 * headless on these machines (shared/design.md).
 */
export const CHROMIUM_PATH = process.env.TEJARAT_CHROMIUM || '/usr/bin/chromium';
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

function runCodeServer(args, { env = {} } = {}) {
  // An empty config of its own: code-server otherwise writes ~/.config/code-server/config.yaml.
  const configFile = join(tmpdir(), 'tejarat-code-server-cli.yaml');
  if (!existsSync(configFile)) writeFileSync(configFile, '');
  return spawnSync(process.execPath, [ENTRY, '--config', configFile, ...args], { encoding: 'utf8', env: { ...process.env, EXTENSIONS_GALLERY: '{}', ...env } });
}

/**
 * Installs a .vsix (or a marketplace-less extension folder packaged as .vsix) into an extensions folder.
 * Runs code-server's own CLI, the same path a user's `code --install-extension` takes.
 */
export function installExtension(vsix, { extensionsDir, userDataDir }) {
  const result = runCodeServer(['--extensions-dir', extensionsDir, '--user-data-dir', userDataDir, '--install-extension', vsix, '--force']);
  const output = `${result.stdout}${result.stderr}`;
  if (result.status !== 0 || !/successfully installed/i.test(output)) {
    throw new Error(`code-server --install-extension ${vsix} failed (exit ${result.status}):\n${output}`);
  }
  return output.trim();
}

async function waitUntilReady(url, child, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`code-server exited (${child.exitCode ?? child.signalCode}) before it was ready`);
    }
    try {
      const response = await fetch(`${url}/healthz`);
      if (response.ok) return;
    } catch {
      // Not listening yet.
    }
    await new Promise((wake) => setTimeout(wake, 150));
  }
  throw new Error(`code-server did not answer ${url}/healthz within ${timeoutMs} ms`);
}

/**
 * Starts code-server on a free loopback port with a fresh user-data-dir and extensions-dir (unless given),
 * the given user settings, and `folder` open. Resolves once /healthz answers.
 * @param {{ folder?: string, settings?: Record<string, unknown>, vsix?: string[], userDataDir?: string,
 *   extensionsDir?: string, env?: Record<string, string>, args?: string[], log?: (line: string) => void,
 *   port?: number, readyTimeoutMs?: number, wrapper?: string[] }} options
 * `wrapper`: a command that runs code-server (given as its remaining arguments) and must exec it, e.g. `unshare …`.
 */
export async function startCodeServer(options = {}) {
  if (!isInstalled()) installCodeServer();
  const base = mkdtempSync(join(tmpdir(), 'tejarat-code-server-'));
  const userDataDir = options.userDataDir ?? join(base, 'user-data');
  const extensionsDir = options.extensionsDir ?? join(base, 'extensions');
  const folder = options.folder ?? join(base, 'workspace');
  for (const dir of [join(userDataDir, 'User'), extensionsDir, folder]) mkdirSync(dir, { recursive: true });
  const settings = {
    'workbench.startupEditor': 'none',
    'workbench.tips.enabled': false,
    'workbench.enableExperiments': false,
    'telemetry.telemetryLevel': 'off',
    'update.mode': 'none',
    'extensions.autoCheckUpdates': false,
    'extensions.autoUpdate': false,
    'security.workspace.trust.enabled': false,
    'chat.commandCenter.enabled': false,
    // The workspace may sit inside this repository (npm start): no "open the parent git repository?" prompt.
    'git.openRepositoryInParentFolders': 'never',
    'workbench.colorTheme': 'Default Dark Modern',
    ...options.settings,
  };
  // User settings, and the same as the server's machine settings: in a remote window (which every code-server window
  // is) settings with `"scope": "machine"`, such as tejarat.coreUrl, are read only from the latter.
  for (const kind of ['User', 'Machine']) {
    mkdirSync(join(userDataDir, kind), { recursive: true });
    writeFileSync(join(userDataDir, kind, 'settings.json'), `${JSON.stringify(settings, null, 2)}\n`);
  }
  for (const vsix of options.vsix ?? []) installExtension(vsix, { extensionsDir, userDataDir });

  const port = options.port ?? (await freePort());
  const url = `http://127.0.0.1:${port}`;
  // An empty config file of its own, so code-server never writes one into the user's home.
  const configFile = join(base, 'config.yaml');
  writeFileSync(configFile, '');
  const args = [
    ENTRY,
    '--config', configFile,
    '--auth', 'none',
    '--bind-addr', `127.0.0.1:${port}`,
    '--disable-telemetry',
    '--disable-update-check',
    '--disable-workspace-trust',
    '--disable-getting-started-override',
    '--user-data-dir', userDataDir,
    '--extensions-dir', extensionsDir,
    ...(options.args ?? []),
    folder,
  ];
  // Its own process group, so stopping it also stops the extension host and every helper it started.
  const [command, ...prefix] = options.wrapper?.length ? [...options.wrapper, process.execPath] : [process.execPath];
  const child = spawn(command, [...prefix, ...args], {
    cwd: ROOT,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    // No extension gallery: this machine must not reach open-vsx.org, and tests must not depend on it.
    env: { ...process.env, EXTENSIONS_GALLERY: '{}', ...options.env },
  });
  let output = '';
  const keep = (data) => {
    const text = data.toString('utf8');
    output += text;
    if (output.length > 1_000_000) output = output.slice(-500_000);
    if (options.log) for (const line of text.split('\n')) if (line.trim()) options.log(line);
  };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  const exited = new Promise((done) => child.on('exit', done));

  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      try {
        process.kill(-child.pid, 'SIGTERM');
      } catch {
        // Already gone.
      }
      const timer = setTimeout(() => {
        try {
          process.kill(-child.pid, 'SIGKILL');
        } catch {
          // Already gone.
        }
      }, 5000);
      await exited;
      clearTimeout(timer);
    }
    try {
      // Anything of its group still alive (an extension host that outlived the server) goes too.
      process.kill(-child.pid, 'SIGKILL');
    } catch {
      // The whole group is gone, as it should be.
    }
    // Only what this call created itself: given folders (npm start keeps its profile) stay.
    rmSync(base, { recursive: true, force: true });
  };
  try {
    await waitUntilReady(url, child, options.readyTimeoutMs ?? 60_000);
  } catch (error) {
    await stop();
    throw new Error(`${error.message}\n${output.slice(-4000)}`);
  }
  /** The workbench URL for a folder (code-server's `?folder=` query). */
  const workbenchUrl = `${url}/?folder=${encodeURIComponent(folder)}`;
  return { url, workbenchUrl, port, pid: child.pid, userDataDir, extensionsDir, folder, child, output: () => output, stop };
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  try {
    const seconds = installCodeServer({ force: process.argv.includes('--force') });
    if (seconds === 0) console.log(`code-server ${CODE_SERVER_VERSION} already installed (${INSTALL_DIR})`);
  } catch (error) {
    console.error(error instanceof Error ? error.message : String(error));
    process.exit(1);
  }
}

// `npm run test:vscode`: the extension in a real VS Code (code-server 1.100.3, see shared/design.md).
//  1. packages the extension (`npm run package` → tejarat-chat.vsix), then rebuilds the development bundles and
//     the integration suite (test/vscode/build-suite.mjs → dist-test/suite/index.js);
//  2. runs the integration suite inside code-server's extension host: the workbench is opened in headless
//     Chromium with VS Code's own `extensionDevelopmentPath` / `extensionTestsPath` (passed in the workbench URL's
//     `payload`, the way VS Code opens an extension development window in the browser), in a private mount namespace
//     where the system's CA bundle also holds a test CA (system-ca.mjs); the extension host runs the
//     suite's run() and reports its exit code through `window.codeAutomationExit`; counts and mocha's text come
//     from the results file the suite writes (TEJARAT_SUITE_RESULTS);
//  3. runs the Playwright end-to-end specs (test/e2e) against code-server with the packaged .vsix installed.
// Prints `N passed, N failed` last and exits non-zero on any failure or when nothing ran.
//   node test/vscode/run.mjs [--suite-only | --e2e-only] [--grep REGEX]
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { CHROMIUM_ARGS, CHROMIUM_PATH, ROOT, installCodeServer, startCodeServer } from '../../scripts/code-server.mjs';
import { npm, run } from '../../scripts/run-steps.mjs';
import { privateSystemCa } from './system-ca.mjs';

const { values: flags } = parseArgs({
  options: { 'suite-only': { type: 'boolean' }, 'e2e-only': { type: 'boolean' }, grep: { type: 'string' } },
});
const SUITE_ENTRY = join(ROOT, 'dist-test', 'suite', 'index.js');
const SUITE_BUILD = join(ROOT, 'test', 'vscode', 'build-suite.mjs');
const VSIX = join(ROOT, 'tejarat-chat.vsix');
const SUITE_TIMEOUT_MS = 10 * 60_000;
/** The suites that also run in a Persian window (test/vscode/suite/persian.test.ts). */
const PERSIAN_SUITES = 'Persian panel';

let passed = 0;
let failed = 0;

function fail(message) {
  console.log(`\n  ✗ ${message}`);
  failed += 1;
}

async function step(title, command, args) {
  console.log(`\n--- ${title}`);
  const { code } = await run(command, args);
  if (code !== 0) fail(`${title} exited ${code}`);
  return code === 0;
}

/**
 * A user-data-dir in which code-server starts in Persian (`--locale fa`): VS Code takes a display language only
 * from an installed language pack, so this one is a stub without translations. The workbench stays English, and
 * VS Code reports `fa` as the display language and loads the extensions' Persian l10n bundles, as for a user.
 */
function persianUserData(scratch) {
  const userDataDir = join(scratch, 'user-data-fa');
  mkdirSync(userDataDir, { recursive: true });
  const translations = join(scratch, 'vscode.fa.i18n.json');
  writeFileSync(translations, JSON.stringify({ contents: {} }));
  const extensions = [{ extensionIdentifier: { id: 'tejarat-test.stub-language-pack-fa' }, version: '0.0.0' }];
  const pack = { fa: { hash: 'tejarat-test', extensions, translations: { vscode: translations }, label: 'فارسی' } };
  writeFileSync(join(userDataDir, 'languagepacks.json'), JSON.stringify(pack));
  return userDataDir;
}

/**
 * The integration suite inside code-server's extension host; adds its counts to passed/failed. With `locale: 'fa'`
 * the window's display language is Persian and only the suites matching `grep` run.
 */
async function runSuite({ locale, grep = flags.grep } = {}) {
  if (!existsSync(SUITE_ENTRY)) {
    fail(`integration suite not built: ${SUITE_ENTRY} is missing`);
    return;
  }
  const { chromium } = await import('playwright-core');
  const scratch = mkdtempSync(join(tmpdir(), 'tejarat-suite-'));
  const resultsFile = join(scratch, 'results.json');
  const log = [];
  const systemCa = await privateSystemCa(scratch);
  const env = {
    TEJARAT_SUITE_RESULTS: resultsFile,
    ...systemCa.env,
    ...(grep ? { TEJARAT_SUITE_GREP: grep } : {}),
    ...(locale ? { TEJARAT_SUITE_LOCALE: locale } : {}),
  };
  const persian = locale === 'fa' ? { userDataDir: persianUserData(scratch), args: ['--locale', 'fa'] } : {};
  const server = await startCodeServer({ env, ...persian, wrapper: systemCa.wrapper, log: (line) => log.push(`[code-server] ${line}`) });
  const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
  try {
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    let exitCode;
    // VS Code's web workbench calls these when it runs extension tests (vscode-test-web uses the same hooks).
    await page.exposeFunction('codeAutomationExit', (code) => {
      exitCode = code;
    });
    await page.exposeFunction('codeAutomationLog', (type, args) => {
      log.push(`[${type}] ${args.map((arg) => (typeof arg === 'string' ? arg : JSON.stringify(arg))).join(' ')}`);
    });
    page.on('pageerror', (error) => log.push(`[page error] ${error.message}`));
    // The server's own host:port is the remote authority the workbench uses for files on this machine.
    const remote = (path) => `vscode-remote://127.0.0.1:${server.port}${path}`;
    const payload = [
      ['extensionDevelopmentPath', remote(ROOT)],
      ['extensionTestsPath', remote(SUITE_ENTRY)],
    ];
    const url = `${server.workbenchUrl}&payload=${encodeURIComponent(JSON.stringify(payload))}`;
    console.log(`\n--- integration suite in code-server's extension host (${server.url}${locale ? `, display language ${locale}` : ''})`);
    const started = Date.now();
    await page.goto(url);
    while (exitCode === undefined && Date.now() - started < SUITE_TIMEOUT_MS) {
      await new Promise((wake) => setTimeout(wake, 250));
    }
    const results = existsSync(resultsFile) ? JSON.parse(readFileSync(resultsFile, 'utf8')) : undefined;
    if (results) {
      console.log(String(results.output ?? '').trimEnd());
      passed += Number(results.passed) || 0;
      failed += Number(results.failed) || 0;
    }
    if (exitCode === undefined) {
      console.log(log.slice(-80).join('\n'));
      fail(`integration suite did not finish within ${SUITE_TIMEOUT_MS / 1000} s`);
    } else if (!results) {
      console.log(log.slice(-80).join('\n'));
      fail(`integration suite exited ${exitCode} without writing ${resultsFile}`);
    } else if (exitCode !== 0 && !(Number(results.failed) > 0)) {
      console.log(log.slice(-80).join('\n'));
      fail(`integration suite exited ${exitCode}`);
    }
    console.log(`  (integration suite: ${Math.round((Date.now() - started) / 1000)} s)`);
  } finally {
    await browser.close();
    await server.stop();
    rmSync(scratch, { recursive: true, force: true });
  }
}

/** The Playwright specs, each against its own code-server with the packaged extension installed. */
async function runEndToEnd() {
  console.log('\n--- end-to-end (Playwright, code-server with tejarat-chat.vsix)');
  // Screenshots of this run only: a stale failed-*.png from an earlier run would mislead.
  rmSync(join(ROOT, 'test-results', 'e2e'), { recursive: true, force: true });
  const args = ['mocha', '--config', 'test/e2e/.mocharc.json', ...(flags.grep ? ['--grep', flags.grep] : [])];
  const { code, output } = await run('npx', args, { env: { TEJARAT_VSIX: VSIX } });
  const count = (pattern) => Number(output.match(pattern)?.[1] ?? 0);
  const ok = count(/^\s*(\d+) passing/m);
  const bad = count(/^\s*(\d+) failing/m) + count(/^\s*(\d+) pending/m);
  passed += ok;
  failed += bad;
  if (code !== 0 && bad === 0) fail(`end-to-end specs exited ${code}`);
}

const started = Date.now();
try {
  installCodeServer();
  // Packaging builds the production bundles; the suite then runs against the development build (source maps).
  const built =
    (await step('package the extension (vsce)', npm, ['run', 'package'])) &&
    (await step('development build', npm, ['run', 'build'])) &&
    (flags['e2e-only'] || !existsSync(SUITE_BUILD) || (await step('build the integration suite', 'node', [SUITE_BUILD])));
  if (built) {
    if (!flags['e2e-only']) {
      await runSuite();
      // The Persian suites once more in a window whose display language is Persian: VS Code's own l10n path.
      if (!flags.grep || new RegExp(flags.grep).test(PERSIAN_SUITES)) await runSuite({ locale: 'fa', grep: PERSIAN_SUITES });
    }
    if (!flags['suite-only']) await runEndToEnd();
  }
} catch (error) {
  fail(error instanceof Error ? (error.stack ?? error.message) : String(error));
}
console.log(`\n(test:vscode took ${Math.round((Date.now() - started) / 1000)} s)`);
if (passed + failed === 0) fail('no test ran');
console.log(`${passed} passed, ${failed} failed`);
process.exitCode = failed === 0 ? 0 : 1;

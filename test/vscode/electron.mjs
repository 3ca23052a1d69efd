// `npm run test:electron`: the VS Code integration suite in a downloaded VS Code desktop, via @vscode/test-electron.
// Needs internet (it downloads VS Code into .vscode-test/) and, on Linux without a display, xvfb-run.
// On the machines of this project there is no internet: there the same suite runs inside code-server instead
// (`npm run test:vscode`, test/vscode/run.mjs). Prints `N passed, N failed` and exits non-zero on a failure.
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runTests } from '@vscode/test-electron';
import { run, npm } from '../../scripts/run-steps.mjs';

const root = fileURLToPath(new URL('../..', import.meta.url));
for (const [command, args] of [
  [npm, ['run', 'build']],
  ['node', ['test/vscode/build-suite.mjs']],
]) {
  const { code } = await run(command, args);
  if (code !== 0) process.exit(code);
}

const scratch = mkdtempSync(join(tmpdir(), 'tejarat-electron-'));
const resultsPath = join(scratch, 'results.json');
const workspace = join(scratch, 'workspace');
mkdirSync(workspace);
let exitCode = 1;
try {
  exitCode = await runTests({
    // Engines say ^1.96.0: test against the oldest supported release, where the extension is most likely to break.
    version: process.env.TEJARAT_VSCODE_VERSION ?? '1.96.0',
    extensionDevelopmentPath: root,
    extensionTestsPath: join(root, 'dist-test', 'suite', 'index.js'),
    extensionTestsEnv: { TEJARAT_SUITE_RESULTS: resultsPath },
    launchArgs: [
      workspace,
      '--disable-extensions',
      '--disable-workspace-trust',
      // Linux runners often have no keyring: SecretStorage then needs VS Code's basic store.
      '--password-store=basic',
      `--user-data-dir=${join(scratch, 'user-data')}`,
    ],
  });
} catch (error) {
  console.error(`VS Code could not be run: ${error instanceof Error ? error.message : String(error)}`);
}
let summary = '0 passed, 1 failed';
try {
  const results = JSON.parse(readFileSync(resultsPath, 'utf8'));
  summary = `${results.passed} passed, ${results.failed} failed`;
} catch {
  // No results file: VS Code did not start or the suite crashed before finishing; counted as one failure.
}
rmSync(scratch, { recursive: true, force: true });
console.log(summary);
process.exitCode = exitCode === 0 && summary.endsWith(' 0 failed') ? 0 : 1;

// The entry the VS Code test runners load inside the extension host (`--extensionTestsPath`), the way
// @vscode/test-electron expects: `run()` resolves when every test passed and rejects otherwise.
// Besides mocha's own report it prints `N passed, N failed`, and writes a JSON summary to
// $TEJARAT_SUITE_RESULTS when set, for runners that cannot see the extension host's console (code-server).
import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Mocha from 'mocha';

interface Failure {
  title: string;
  error: string;
}

export function run(): Promise<void> {
  const grep = process.env.TEJARAT_SUITE_GREP;
  const mocha = new Mocha({
    ui: 'tdd',
    timeout: 30_000,
    color: false,
    reporter: 'spec',
    forbidOnly: true,
    forbidPending: true,
    ...(grep ? { grep: new RegExp(grep) } : {}),
  });
  for (const file of readdirSync(__dirname).filter((name) => name.endsWith('.test.js')).sort()) {
    mocha.addFile(join(__dirname, file));
  }

  const lines: string[] = [];
  const failures: Failure[] = [];
  let passed = 0;
  return new Promise<void>((resolve, reject) => {
    const runner = mocha.run((failed) => {
      const summary = `${passed} passed, ${failed} failed`;
      console.log(summary);
      lines.push(summary);
      const resultsPath = process.env.TEJARAT_SUITE_RESULTS;
      if (resultsPath) {
        writeFileSync(resultsPath, JSON.stringify({ passed, failed, failures, output: lines.join('\n') }, null, 2));
      }
      if (failed > 0) reject(new Error(`${failed} tests failed`));
      else resolve();
    });
    runner.on('suite', (suite) => {
      if (suite.title) lines.push(suite.fullTitle());
    });
    runner.on('pass', (test) => {
      passed += 1;
      lines.push(`  ✓ ${test.title} (${test.duration ?? 0} ms)`);
    });
    runner.on('fail', (test, error: Error) => {
      failures.push({ title: test.fullTitle(), error: error.stack ?? error.message });
      lines.push(`  ✗ ${test.title}: ${error.message}`);
    });
  });
}

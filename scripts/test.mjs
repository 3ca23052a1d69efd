// `npm test`: everything CI checks, from a fresh clone. Installs what is missing (scripts/setup.mjs),
// builds, type-checks, lints, then runs every suite, and closes with one line `N passed, N failed`.
// A suite that fails does not stop the others: one run shows every failure.
import { existsSync } from 'node:fs';
import { run, npm } from './run-steps.mjs';

const checks = [
  ['setup', 'node', ['scripts/setup.mjs']],
  ['build', npm, ['run', 'build']],
  ['typecheck', npm, ['run', 'typecheck']],
  ['lint', npm, ['run', 'lint']],
];
const suites = [
  ['core client, server and CLI (Node)', npm, ['run', 'test:core']],
  ['chat webview (Chromium)', npm, ['run', 'test:webview']],
  ['extension in VS Code (code-server)', npm, ['run', 'test:vscode']],
];

/** Counts from what a suite printed: a runner's own `N passed, N failed` line wins, else mocha's summary. */
export function countResults(output) {
  const plain = [...output.matchAll(/^(?:\w+: )?(\d+) passed, (\d+) failed/gm)].at(-1);
  if (plain) return { passed: Number(plain[1]), failed: Number(plain[2]), pending: 0 };
  const sum = (pattern) => [...output.matchAll(pattern)].reduce((total, match) => total + Number(match[1]), 0);
  return {
    passed: sum(/^\s*(\d+) passing/gm),
    failed: sum(/^\s*(\d+) failing/gm),
    pending: sum(/^\s*(\d+) pending/gm),
  };
}

let passed = 0;
let failed = 0;
let fatal = false;
const summary = [];
const started = Date.now();

for (const [name, command, args] of checks) {
  if (name === 'setup' && !existsSync('scripts/setup.mjs')) continue;
  console.log(`\n=== ${name} ===`);
  const { code } = await run(command, args);
  summary.push(`${code === 0 ? 'ok  ' : 'FAIL'} ${name}`);
  if (code !== 0) {
    failed += 1;
    // Without dependencies or a build, no suite can say anything useful.
    fatal = name === 'setup' || name === 'build';
    if (fatal) break;
  }
}

if (!fatal) {
  for (const [name, command, args] of suites) {
    console.log(`\n=== ${name} ===`);
    const { code, output } = await run(command, args);
    const counts = countResults(output);
    // A suite that exits non-zero without reporting a failing test (crash, no test ran) is a failure too.
    const crashed = code !== 0 && counts.failed === 0 ? 1 : 0;
    const empty = code === 0 && counts.passed === 0 ? 1 : 0;
    passed += counts.passed;
    failed += counts.failed + crashed + empty;
    const note = crashed ? ' (exited ' + code + ')' : empty ? ' (ran no test)' : '';
    summary.push(`${counts.failed + crashed + empty === 0 ? 'ok  ' : 'FAIL'} ${name}: ${counts.passed} passed, ${counts.failed} failed${counts.pending ? `, ${counts.pending} pending` : ''}${note}`);
    if (counts.pending > 0) failed += counts.pending; // A skipped test is not a passing test.
  }
}

console.log(`\n=== summary (${Math.round((Date.now() - started) / 1000)} s) ===`);
for (const line of summary) console.log(line);
console.log(`${passed} passed, ${failed} failed`);
process.exitCode = failed === 0 ? 0 : 1;

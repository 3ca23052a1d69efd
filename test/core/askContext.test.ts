// The context sent with a problem or terminal output: what it says, where the problem is marked, and that every
// size limit holds and is said in the text when it cut something.
import assert from 'node:assert/strict';
import { PROBLEM_LIMITS, SELECTION_LIMITS, TERMINAL_LIMITS, problemContext, queryWithContext, selectionContext, terminalContext, type ProblemInput } from '../../src/ask/context';

function problem(lines: string[], overrides: Partial<ProblemInput> = {}): ProblemInput {
  return {
    message: "Cannot find name 'totl'.",
    severity: 'error',
    source: 'ts',
    code: '2304',
    file: 'src/cart/total.ts',
    language: 'typescript',
    start: { line: 14, character: 9 },
    end: { line: 14, character: 13 },
    lineCount: lines.length,
    lineAt: (index) => lines[index] ?? '',
    ...overrides,
  };
}

const numbered = (count: number, text = (index: number) => `const line${index + 1} = ${index + 1};`) =>
  Array.from({ length: count }, (_, index) => text(index));

describe('context of a question asked where it arose', function () {
  it('a problem: message, source, code, file, language, and the code around it with the line marked', function () {
    const lines = numbered(40);
    lines[14] = '  return totl + tax;';
    const context = problemContext(problem(lines));
    assert.equal(context.kind, 'problem');
    assert.equal(context.summary, "Cannot find name 'totl'.");
    assert.equal(context.location, 'total.ts:15');
    assert.equal(context.truncated, false);
    assert.equal(context.lines, 21, '10 lines before, the line, 10 after');
    const text = context.text;
    assert.match(text, /^Problem \(error, ts, code 2304\): Cannot find name 'totl'\.$/m);
    assert.match(text, /^File: src\/cart\/total\.ts \(typescript\), line 15, column 10$/m);
    assert.match(text, /^Code, lines 5-25 \(the problem's lines are marked with >>\):$/m);
    assert.match(text, /^```typescript$/m);
    assert.match(text, /^>> 15 \| {3}return totl \+ tax;$/m);
    assert.match(text, /^ {4}5 \| const line5 = 5;$/m);
    assert.match(text, /^ {3}25 \| const line25 = 25;$/m);
    assert.doesNotMatch(text, /line4 =|line26 =/);
    // The carets sit under `totl`.
    const codeLine = text.split('\n').find((line) => line.startsWith('>> 15 |')) ?? '';
    const caretLine = text.split('\n')[text.split('\n').indexOf(codeLine) + 1] ?? '';
    assert.equal(caretLine.indexOf('^'), codeLine.indexOf('totl'));
    assert.match(caretLine, /\| +\^{4}$/);
  });

  it('a problem at the top of a file shows what exists, and a multi-line problem marks each of its lines', function () {
    const context = problemContext(problem(numbered(5), { start: { line: 0, character: 0 }, end: { line: 2, character: 3 }, source: undefined, code: undefined, severity: 'warning' }));
    assert.match(context.text, /^Problem \(warning\): /m);
    assert.match(context.text, /^Code, lines 1-5 /m);
    assert.deepEqual(context.text.split('\n').filter((line) => line.startsWith('>>')).map((line) => line.slice(3, 4)), ['1', '2', '3']);
    assert.doesNotMatch(context.text, /\^/, 'no caret line under a multi-line problem');
  });

  it('a problem over many lines shows its first lines and says so', function () {
    const context = problemContext(problem(numbered(200), { start: { line: 50, character: 0 }, end: { line: 150, character: 1 } }));
    assert.equal(context.truncated, true);
    assert.match(context.text, /the problem spans lines 51-151; only its first 20 are shown/);
    assert.equal(context.text.split('\n').filter((line) => line.startsWith('>>')).length, PROBLEM_LIMITS.problemLines);
  });

  it('long lines are cut visibly, and the code stays within its character limit', function () {
    const lines = numbered(60, () => 'x'.repeat(1_000));
    const context = problemContext(problem(lines, { message: 'm'.repeat(5_000) }));
    assert.equal(context.truncated, true);
    assert.match(context.text, /\[cut: 700 more characters\]/);
    assert.match(context.text, /\[cut: 4000 more characters\]/, 'the message too');
    assert.match(context.text, /shortened to 5000 characters/);
    const code = context.text.split(/^```.*$/m)[1] ?? '';
    assert.ok(code.length <= PROBLEM_LIMITS.codeChars + 200, `code of ${code.length} characters`);
    assert.ok(context.text.length < PROBLEM_LIMITS.codeChars + PROBLEM_LIMITS.messageChars + 1_000);
    assert.ok(context.text.split('\n').some((line) => line.startsWith('>> 15 |')), 'the problem line is never dropped');
  });

  it('code with backtick fences cannot close the fence around it', function () {
    const lines = numbered(20);
    lines[14] = 'const s = "````";';
    const context = problemContext(problem(lines));
    assert.match(context.text, /^`{5}typescript$/m);
  });

  it('terminal output: the selection in a fence, trailing blanks trimmed', function () {
    const context = terminalContext({ name: 'bash', selection: '\n$ npm test\r\nError: Cannot find module \'x\'   \n\n' });
    assert.ok(context);
    assert.equal(context.kind, 'terminal');
    assert.equal(context.summary, 'bash');
    assert.equal(context.lines, 2);
    assert.equal(context.truncated, false);
    assert.equal(context.text, 'Terminal output selected in "bash":\n```text\n$ npm test\nError: Cannot find module \'x\'\n```');
    assert.equal(terminalContext({ name: 'bash', selection: ' \n \n' }), undefined);
  });

  it('long terminal output keeps its last lines and says how many were left out', function () {
    const selection = Array.from({ length: 1_000 }, (_, index) => `line ${index + 1}`).join('\n');
    const context = terminalContext({ name: 'zsh', selection });
    assert.ok(context);
    assert.equal(context.truncated, true);
    assert.equal(context.lines, TERMINAL_LIMITS.lines);
    assert.match(context.text, /the first 800 of 1000 lines are left out/);
    assert.match(context.text, /\[… 800 earlier lines left out …\]\nline 801\n/);
    assert.match(context.text, /line 1000\n```$/);

    const wide = terminalContext({ name: 'zsh', selection: Array.from({ length: 100 }, () => 'y'.repeat(400)).join('\n') });
    assert.ok(wide);
    assert.ok(wide.text.length <= TERMINAL_LIMITS.chars + 300, `${wide.text.length} characters`);
    assert.match(wide.text, /lines are left out/);
  });

  it('a selection: file, language and lines, the text in a fence; a whole-line selection does not count the next line', function () {
    const context = selectionContext({ file: 'src/add.js', language: 'javascript', startLine: 9, text: 'function add(a, b) {\n  return a + b;\n}\n' });
    assert.ok(context);
    assert.equal(context.kind, 'selection');
    assert.equal(context.location, 'add.js:10-12');
    assert.equal(context.lines, 3);
    assert.equal(context.truncated, false);
    assert.equal(context.text, 'File: src/add.js (javascript), lines 10-12\n```javascript\nfunction add(a, b) {\n  return a + b;\n}\n```');
    assert.equal(selectionContext({ file: 'a.ts', language: 'typescript', startLine: 0, text: 'x' })?.location, 'a.ts:1');
    assert.equal(selectionContext({ file: 'a.ts', language: 'typescript', startLine: 0, text: '  \n ' }), undefined);
  });

  it('a long selection keeps its first lines within the limits and says what was left out', function () {
    const text = Array.from({ length: 1_000 }, (_, index) => `line ${index + 1} ${'z'.repeat(index === 0 ? 900 : 10)}`).join('\n');
    const context = selectionContext({ file: 'big.txt', language: 'plaintext', startLine: 0, text });
    assert.ok(context);
    assert.equal(context.truncated, true);
    assert.equal(context.lines, SELECTION_LIMITS.lines);
    assert.match(context.text, /^File: big\.txt \(plaintext\), lines 1-1000 \(only the first 300 of 1000 lines are sent; long lines cut where marked with \[cut\]\)$/m);
    assert.match(context.text, /\nline 300 z+\n\[… 700 more lines left out …\]\n```$/);
    assert.ok(context.text.length <= SELECTION_LIMITS.chars + 500, `${context.text.length} characters`);
    const wide = selectionContext({ file: 'w.txt', language: 'plaintext', startLine: 0, text: Array.from({ length: 200 }, () => 'w'.repeat(400)).join('\n') });
    assert.ok(wide && wide.text.length <= SELECTION_LIMITS.chars + 500 && wide.truncated);
  });

  it('the query is the question, a blank line, then the context', function () {
    const context = terminalContext({ name: 'bash', selection: 'oops' });
    assert.equal(queryWithContext(' Why? ', context), 'Why?\n\nTerminal output selected in "bash":\n```text\noops\n```');
    assert.equal(queryWithContext(' Why? ', undefined), 'Why?');
  });
});

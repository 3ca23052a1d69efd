// Asking where the question arises: the "Ask Tejarat about this problem" quick fix on a diagnostic, and "Ask
// Tejarat" on the terminal's selection. Each sends its context to the local core after the question, within the
// size limits, and keeps it on the turn for the panel to show.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { PROBLEM_LIMITS, TERMINAL_LIMITS } from '../../../src/ask/context';
import type { Turn } from '../../../src/shared/messages';
import { answering, closeAllEditors, editorWith, useCore, waitFor } from './helpers';

const ACTION_TITLE = 'Ask Tejarat about this problem';

function sentQuery(core: { lastRequest?: { body?: unknown } }): string {
  const body = core.lastRequest?.body as { query?: unknown } | undefined;
  assert.equal(typeof body?.query, 'string', 'the core received a query');
  return body?.query as string;
}

async function codeActions(uri: vscode.Uri, range: vscode.Range): Promise<vscode.CodeAction[]> {
  return (await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', uri, range)) ?? [];
}

suite('Ask where the question arises', () => {
  const env = useCore();
  const diagnostics = vscode.languages.createDiagnosticCollection('tejarat-test');
  teardown(async () => {
    diagnostics.clear();
    await closeAllEditors();
  });
  suiteTeardown(() => diagnostics.dispose());

  test('a problem offers "Ask Tejarat about this problem"; running it sends the message and the code around it', async () => {
    const lines = Array.from({ length: 40 }, (_, index) => `const value${index + 1} = ${index + 1};`);
    lines[19] = 'const total = subtotl + tax;';
    // Not TypeScript or JavaScript: their language server would take the test's time starting up.
    const editor = await editorWith(lines.join('\n'), 'go');
    const uri = editor.document.uri;
    const range = new vscode.Range(19, 14, 19, 21);
    const diagnostic = new vscode.Diagnostic(range, "Cannot find name 'subtotl'. Did you mean 'subtotal'?", vscode.DiagnosticSeverity.Error);
    diagnostic.source = 'ts';
    diagnostic.code = 2552;
    diagnostics.set(uri, [diagnostic]);

    // Where there is no problem, nothing is offered.
    assert.equal((await codeActions(uri, new vscode.Range(2, 0, 2, 0))).filter((action) => action.title === ACTION_TITLE).length, 0);

    const offered = (await codeActions(uri, new vscode.Range(19, 16, 19, 16))).filter((action) => action.title === ACTION_TITLE);
    assert.equal(offered.length, 1, 'the quick fix is offered on the problem');
    const action = offered[0];
    assert.ok(action?.command);
    assert.equal(action.kind?.value, vscode.CodeActionKind.QuickFix.value);

    env.api.setScenario(answering('Rename `subtotl` to `subtotal`.'));
    const turn = await vscode.commands.executeCommand<Turn | undefined>(action.command.command, ...(action.command.arguments ?? []));
    assert.equal(turn?.status, 'done');
    assert.equal(turn.question, 'Explain this problem and how to fix it.');
    assert.equal(turn.context?.kind, 'problem');
    assert.equal(turn.context.summary, "Cannot find name 'subtotl'. Did you mean 'subtotal'?");
    assert.match(turn.context.location ?? '', /^tejarat-test-.*\.txt:20$/);

    const query = sentQuery(env.core);
    assert.ok(query.startsWith('Explain this problem and how to fix it.\n\n'), query.slice(0, 100));
    assert.equal(query, `Explain this problem and how to fix it.\n\n${turn.context.text}`, 'exactly what the turn shows was sent');
    assert.match(query, /^Problem \(error, ts, code 2552\): Cannot find name 'subtotl'\. Did you mean 'subtotal'\?$/m);
    assert.match(query, /^File: .*tejarat-test-.*\.txt \(go\), line 20, column 15$/m);
    assert.match(query, /^>> 20 \| const total = subtotl \+ tax;$/m);
    assert.match(query, /^ {3}10 \| const value10 = 10;$/m, '10 lines before');
    assert.match(query, /^ {3}30 \| const value30 = 30;$/m, '10 lines after');
    assert.doesNotMatch(query, /value9 =|value31 =/, 'and no more');

    // What was sent is kept with the conversation, for the panel and after a reload.
    const shown = (await env.api.state()).conversation.turns.at(-1);
    assert.deepEqual(shown?.context, turn.context);
    const stored = (await env.api.storedConversations()).flatMap((conversation) => conversation.turns).find((candidate) => candidate.id === turn.id);
    assert.deepEqual(stored?.context, turn.context);

    // Retry sends the same context again.
    env.core.resetStats();
    await env.api.receive({ type: 'retry', turnId: turn.id });
    assert.equal(env.core.stats.stream, 1);
    assert.equal(sentQuery(env.core), query);
    assert.deepEqual((await env.api.state()).conversation.turns.at(-1)?.context, turn.context);
  });

  test('two problems in one place: one action for each, named by its message, asking about that problem', async () => {
    const editor = await editorWith('let total = price * count;\n', 'go');
    const unused = new vscode.Diagnostic(new vscode.Range(0, 4, 0, 9), "'total' is declared but never used.", vscode.DiagnosticSeverity.Hint);
    const undefinedName = new vscode.Diagnostic(new vscode.Range(0, 12, 0, 17), "Cannot find name 'price'.", vscode.DiagnosticSeverity.Error);
    diagnostics.set(editor.document.uri, [unused, undefinedName]);
    const actions = (await codeActions(editor.document.uri, new vscode.Range(0, 0, 0, 26))).filter((action) => action.title.startsWith('Ask Tejarat'));
    assert.deepEqual(actions.map((action) => action.title).sort(), [
      'Ask Tejarat about "\'total\' is declared but never used."',
      'Ask Tejarat about "Cannot find name \'price\'."',
    ]);
    for (const action of actions) {
      const diagnostic = action.command?.arguments?.[1] as vscode.Diagnostic | undefined;
      assert.ok(diagnostic && action.title.includes(diagnostic.message), `${action.title} runs on its own problem`);
    }
  });

  test('a problem in a file of very long lines is sent within the limits, cut visibly', async () => {
    const lines = Array.from({ length: 60 }, (_, index) => `${index}:${'x'.repeat(2_000)}`);
    const editor = await editorWith(lines.join('\n'), 'python');
    const diagnostic = new vscode.Diagnostic(new vscode.Range(30, 0, 30, 5), 'Unexpected token.', vscode.DiagnosticSeverity.Warning);
    diagnostics.set(editor.document.uri, [diagnostic]);
    const [action] = (await codeActions(editor.document.uri, new vscode.Range(30, 1, 30, 1))).filter((candidate) => candidate.title === ACTION_TITLE);
    assert.ok(action?.command);
    env.api.setScenario(answering('ok'));
    const turn = await vscode.commands.executeCommand<Turn | undefined>(action.command.command, ...(action.command.arguments ?? []));
    assert.equal(turn?.context?.truncated, true);
    const query = sentQuery(env.core);
    assert.ok(query.length < PROBLEM_LIMITS.codeChars + PROBLEM_LIMITS.messageChars + 1_000, `query of ${query.length} characters`);
    assert.match(query, /\[cut: \d+ more characters\]/);
    assert.match(query, /^>> 31 \| 30:x+ \[cut/m, 'the problem line is sent');
  });

  test('from the palette, the command asks about the problem under the cursor, and says so when there is none', async () => {
    const editor = await editorWith('let a = 1;\nlet b = ;\n', 'shellscript');
    diagnostics.set(editor.document.uri, [new vscode.Diagnostic(new vscode.Range(1, 8, 1, 9), 'Expression expected.', vscode.DiagnosticSeverity.Error)]);
    editor.selection = new vscode.Selection(1, 8, 1, 8);
    env.api.setScenario(answering('ok'));
    const turn = await vscode.commands.executeCommand<Turn | undefined>('tejarat.askAboutProblem');
    assert.equal(turn?.context?.summary, 'Expression expected.');
    assert.match(sentQuery(env.core), /^>> 2 \| let b = ;$/m);

    editor.selection = new vscode.Selection(0, 0, 0, 0);
    assert.equal(await vscode.commands.executeCommand('tejarat.askAboutProblem'), undefined);
  });

  test('Ask About Selection (the editor\'s context menu) sends the selection the same way, and the question stays the user\'s words', async () => {
    const editor = await editorWith('a\nb\nfunction add(a, b) {\n  return a + b;\n}\n', 'javascript');
    editor.selection = new vscode.Selection(2, 0, 5, 0);
    env.api.setScenario(answering('It adds.'));
    const turn = await vscode.commands.executeCommand<Turn | undefined>('tejarat.askAboutSelection', 'What does this do?');
    assert.equal(turn?.question, 'What does this do?');
    assert.equal(turn.context?.kind, 'selection');
    assert.match(turn.context.location ?? '', /^tejarat-test-.*\.txt:3-5$/);
    assert.equal(turn.context.lines, 3);
    const query = sentQuery(env.core);
    assert.equal(query, `What does this do?\n\n${turn.context.text}`);
    assert.match(query, /^File: .*tejarat-test-.*\.txt \(javascript\), lines 3-5\n```javascript\nfunction add\(a, b\) \{\n {2}return a \+ b;\n\}\n```$/m);
  });

  test('"Ask Tejarat" on the terminal\'s selection sends the selected output', async () => {
    const output = ['$ npm run build', '> tejarat-chat build', 'Error: Cannot find module \'esbuild\'', 'npm ERR! code 1'];
    const written = new vscode.EventEmitter<string>();
    const opened = new Promise<void>((resolve) => {
      const terminal = vscode.window.createTerminal({
        name: 'build output',
        pty: {
          onDidWrite: written.event,
          open: () => {
            written.fire(output.join('\r\n'));
            resolve();
          },
          close: () => undefined,
        },
      });
      terminal.show();
    });
    await opened;
    const terminal = await waitFor('the terminal', () => vscode.window.terminals.find((candidate) => candidate.name === 'build output'));
    try {
      await waitFor('the terminal to be active', () => vscode.window.activeTerminal === terminal);
      // Selects once the text is on screen; the host hears of the selection a moment later.
      await waitFor('the selection to reach the extension host', async () => {
        await vscode.commands.executeCommand('workbench.action.terminal.focus');
        await vscode.commands.executeCommand('workbench.action.terminal.selectAll');
        await new Promise((resolve) => setTimeout(resolve, 50));
        return ((terminal as vscode.Terminal & { selection?: string }).selection ?? '').includes('npm ERR! code 1');
      });

      env.api.setScenario(answering('Install esbuild.'));
      // As the terminal's context menu runs it: with the terminal.
      const turn = await vscode.commands.executeCommand<Turn | undefined>('tejarat.askAboutTerminalSelection', terminal, 'Why does the build fail?');
      assert.equal(turn?.status, 'done');
      assert.equal(turn.question, 'Why does the build fail?');
      assert.equal(turn.context?.kind, 'terminal');
      assert.equal(turn.context.summary, 'build output');
      assert.equal(turn.context.lines, 4);
      const query = sentQuery(env.core);
      assert.equal(query, `Why does the build fail?\n\n${turn.context.text}`);
      assert.ok(query.includes(`\`\`\`text\n${output.join('\n')}\n\`\`\``), query);
      assert.match(query, /^Terminal output selected in "build output":$/m);
    } finally {
      terminal.dispose();
      written.dispose();
    }
  });

  test('long terminal output keeps its last lines within the limits, and nothing selected asks for a selection', async () => {
    const written = new vscode.EventEmitter<string>();
    const lines = Array.from({ length: 400 }, (_, index) => `output line ${index + 1}`);
    const terminal = vscode.window.createTerminal({
      name: 'long output',
      pty: { onDidWrite: written.event, open: () => written.fire(lines.join('\r\n')), close: () => undefined },
    });
    try {
      terminal.show();
      await waitFor('the terminal to be active', () => vscode.window.activeTerminal === terminal);
      await vscode.commands.executeCommand('workbench.action.terminal.focus');
      await vscode.commands.executeCommand('workbench.action.terminal.clearSelection');
      assert.equal(await vscode.commands.executeCommand('tejarat.askAboutTerminalSelection', undefined, 'why?'), undefined, 'nothing selected: nothing asked');

      await waitFor('the selection to reach the extension host', async () => {
        await vscode.commands.executeCommand('workbench.action.terminal.focus');
        await vscode.commands.executeCommand('workbench.action.terminal.selectAll');
        await new Promise((resolve) => setTimeout(resolve, 50));
        return ((terminal as vscode.Terminal & { selection?: string }).selection ?? '').includes('output line 400');
      });
      env.api.setScenario(answering('ok'));
      const turn = await vscode.commands.executeCommand<Turn | undefined>('tejarat.askAboutTerminalSelection', undefined, 'why?');
      assert.equal(turn?.context?.truncated, true);
      assert.equal(turn.context.lines, TERMINAL_LIMITS.lines);
      const query = sentQuery(env.core);
      assert.match(query, /\[… 200 earlier lines left out …\]\noutput line 201\n/);
      assert.match(query, /output line 400\n```$/);
      assert.ok(query.length < TERMINAL_LIMITS.chars + 500, `query of ${query.length} characters`);
    } finally {
      terminal.dispose();
      written.dispose();
    }
  });
});

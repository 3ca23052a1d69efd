// Putting answers into documents: at the cursor, over the selection, into a new markdown document, code blocks
// as bare code, and the clipboard.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { answering, ask, closeAllEditors, editorWith, useCore, waitFor } from './helpers';

function tabs(): string {
  return vscode.window.tabGroups.all.map((group) => group.tabs.map((tab) => tab.label).join(', ')).join(' | ');
}

suite('Insert and copy', () => {
  const env = useCore();
  teardown(() => closeAllEditors());

  test('Insert Last Answer puts the answer at the cursor', async () => {
    env.api.setScenario(answering('the **answer**'));
    await ask('anything');
    const editor = await editorWith('before  after\nsecond line');
    editor.selection = new vscode.Selection(0, 7, 0, 7);
    await vscode.commands.executeCommand('tejarat.insertLastAnswer');
    assert.equal(editor.document.getText(), 'before the **answer** after\nsecond line');
  });

  test('Insert Last Answer replaces the selection', async () => {
    env.api.setScenario(answering('42'));
    await ask('what is the answer?');
    const editor = await editorWith('const answer = TODO;');
    editor.selection = new vscode.Selection(0, 15, 0, 19);
    await vscode.commands.executeCommand('tejarat.insertLastAnswer');
    assert.equal(editor.document.getText(), 'const answer = 42;');
  });

  test('the answer goes into the last editor even after the chat panel took the focus', async () => {
    env.api.setScenario(answering('from the panel'));
    await ask('anything');
    const editor = await editorWith('x');
    editor.selection = new vscode.Selection(0, 1, 0, 1);
    await vscode.commands.executeCommand('tejarat.openChatInEditor');
    await waitFor('the chat panel to be active', () => vscode.window.activeTextEditor === undefined);
    await vscode.commands.executeCommand('tejarat.insertLastAnswer');
    assert.equal(editor.document.getText(), 'xfrom the panel');
  });

  test('Insert into a new document opens an untitled markdown document with the answer', async () => {
    const text = '# Title\n\nSome *markdown* with a [link](https://docs.tejarat.chat/overview).';
    env.api.setScenario(answering(text));
    await ask('anything');
    const document = await vscode.commands.executeCommand<vscode.TextDocument>('tejarat.insertLastAnswer', 'newDocument');
    assert.equal(vscode.window.activeTextEditor?.document, document, `the new document is active; tabs: ${tabs()}`);
    assert.ok(document.isUntitled);
    assert.equal(document.languageId, 'markdown');
    assert.equal(document.getText(), text);
  });

  test('a code block inserts just its code', async () => {
    const editor = await editorWith('');
    await env.api.receive({ type: 'insert', text: '```ts\nconst x = 1;\nconsole.log(x);\n```', target: 'cursor' });
    assert.equal(editor.document.getText(), 'const x = 1;\nconsole.log(x);');

    env.api.setScenario(answering('```bash\nnpm start\n```'));
    await ask('how do I start it?');
    await vscode.commands.executeCommand('tejarat.insertLastAnswer', 'newDocument');
    assert.equal(vscode.window.activeTextEditor?.document.getText(), 'npm start');
  });

  test('an answer with prose around a code block is inserted whole', async () => {
    const text = 'Run this:\n\n```bash\nnpm start\n```\n\nThen open the chat.';
    env.api.setScenario(answering(text));
    await ask('how do I start it?');
    await vscode.commands.executeCommand('tejarat.insertLastAnswer', 'newDocument');
    assert.equal(vscode.window.activeTextEditor?.document.getText(), text);
  });

  test('Copy puts the text on VS Code\'s clipboard', async () => {
    const text = `copied ${Date.now()} — کپی شد`;
    await env.api.receive({ type: 'copy', text });
    assert.equal(await vscode.env.clipboard.readText(), text);
  });

  test('Ask About Selection sends the file\'s language and the selected text with the question', async () => {
    env.api.setScenario(undefined);
    const editor = await editorWith('function add(a, b) {\n  return a + b;\n}\n', 'javascript');
    editor.selection = new vscode.Selection(0, 0, 2, 1);
    const turn = await vscode.commands.executeCommand<{ status: string } | undefined>('tejarat.askAboutSelection', 'What does this do?');
    assert.equal(turn?.status, 'done');
    const query = (env.core.lastRequest?.body as { query: string }).query;
    assert.match(query, /^What does this do\?/);
    assert.match(query, /\(javascript\)/);
    assert.match(query, /```javascript\nfunction add\(a, b\) \{\n {2}return a \+ b;\n\}\n```/);
  });
});

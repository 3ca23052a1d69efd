// Reading comfort in a real VS Code: the panel's font settings reach the chat webview (at load and live on
// change), and "Open Answer as Markdown" shows an answer in a read-only markdown editor.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { answering, ask, closeAllEditors, editorWith, setSetting, useCore, waitFor } from './helpers';

suite('Reading comfort', () => {
  const env = useCore();
  teardown(async () => {
    // Only this suite's settings: the core's address and the rest stay as the suite's setup made them.
    await setSetting('tejarat.chat.fontSize', undefined);
    await setSetting('editor.fontFamily', undefined);
    await closeAllEditors();
  });

  test('the font settings reach the chat panel when it loads and again when they change', async () => {
    await vscode.commands.executeCommand('tejarat.openChatInEditor');
    await waitFor('the chat panel to load and say ready', () => env.api.surfaces().ready >= 1, 30_000);
    // The default follows VS Code's chat font size where this VS Code has the setting, else the editor's.
    const settings = vscode.workspace.getConfiguration();
    const chatSize = settings.get<number>('chat.fontSize');
    const expected = typeof chatSize === 'number' && chatSize > 0 ? chatSize : settings.get<number>('editor.fontSize');
    const first = await waitFor('the fonts to be posted', () => env.api.fontPosts().at(-1));
    assert.equal(first.fontSize, expected);

    await setSetting('tejarat.chat.fontSize', 19);
    await waitFor('the new size to reach the panel', () => env.api.fontPosts().at(-1)?.fontSize === 19);
    await setSetting('editor.fontFamily', "'Courier New', monospace");
    const withFamily = await waitFor('the code font to reach the panel', () => {
      const last = env.api.fontPosts().at(-1);
      return last?.codeFontFamily === "'Courier New', monospace" && last;
    });
    assert.equal(withFamily.fontSize, 19);
    await setSetting('tejarat.chat.fontSize', 0);
    await waitFor('0 to go back to the default size', () => env.api.fontPosts().at(-1)?.fontSize === expected);
  });

  test('Open Answer as Markdown shows the answer read-only, as markdown, from the palette and from the panel', async () => {
    const answer = '## پاسخ\n\nThe **answer**, with `code` and a Persian line: توکن را تنظیم کنید.\n';
    env.api.setScenario(answering(answer));
    const turn = await ask('How do I set the access token?');
    assert.equal(env.api.lastAnswer(), answer, JSON.stringify(turn));
    // The same keystrokes do change an ordinary editor: what the read-only check below relies on.
    const ordinary = await editorWith('text');
    ordinary.selection = new vscode.Selection(0, 0, 0, 0);
    await vscode.commands.executeCommand('type', { text: 'typed ' });
    assert.equal(ordinary.document.getText(), 'typed text');

    const editor = await vscode.commands.executeCommand<vscode.TextEditor | undefined>('tejarat.openAnswerAsMarkdown');
    const active = vscode.window.activeTextEditor;
    assert.ok(editor && active === editor, 'the answer is the active editor');
    const document = active.document;
    assert.equal(document.uri.scheme, 'tejarat-answer');
    assert.equal(document.languageId, 'markdown');
    assert.equal(document.getText(), answer);
    assert.match(vscode.window.tabGroups.activeTabGroup.activeTab?.label ?? '', /^Answer: How do I set the access token/);

    active.selection = new vscode.Selection(0, 0, 0, 0);
    await vscode.commands.executeCommand('type', { text: 'typed ' });
    await vscode.commands.executeCommand('editor.action.deleteLines');
    assert.equal(vscode.window.activeTextEditor?.document, document);
    assert.equal(document.getText(), answer);
    assert.equal(document.isDirty, false);

    // The panel's button names the turn; the host shows its own copy of the answer.
    await closeAllEditors();
    const fromPanel = await env.api.receive({ type: 'openAnswer', turnId: turn.id }) as vscode.TextEditor | undefined;
    assert.equal(fromPanel?.document.getText(), answer);
    assert.equal(await env.api.receive({ type: 'openAnswer', turnId: 'no-such-turn' }), undefined);
  });
});

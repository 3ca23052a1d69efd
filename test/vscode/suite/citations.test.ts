// A cited source with no address opens as a read-only preview of its snippet in an editor tab. The panel only
// names the turn and the source's index; the host shows its own copy of the source.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { ask, closeAllEditors, editorWith, useCore } from './helpers';

suite('Citations', () => {
  const env = useCore();
  teardown(() => closeAllEditors());

  test('a source without an address opens read-only in an editor tab, with its title and snippet', async () => {
    env.api.setScenario('sources-without-url');
    const turn = await ask('How do I set the access token?');
    // The local core cites as a model that cites does: a marker per source, in the order of the sources.
    assert.match(turn.answer, /\[1\]/);
    const source = turn.sources[1];
    assert.ok(source?.title && source.snippet && source.url === undefined, JSON.stringify(turn.sources));

    // The same keystrokes do change an ordinary editor: what the read-only check below relies on.
    const ordinary = await editorWith('text');
    ordinary.selection = new vscode.Selection(0, 0, 0, 0);
    await vscode.commands.executeCommand('type', { text: 'typed ' });
    assert.equal(ordinary.document.getText(), 'typed text');

    const editor = await env.api.receive({ type: 'previewSource', turnId: turn.id, index: 1 });
    const active = vscode.window.activeTextEditor;
    assert.ok(active && active === editor, 'the preview is the active editor');
    const document = active.document;
    assert.equal(document.uri.scheme, 'tejarat-source');
    const text = document.getText();
    assert.ok(text.startsWith(`# ${source.title}\n`), text);
    assert.ok(text.includes(source.snippet), text);
    assert.ok(text.includes(String(source.score)), text);
    assert.equal(vscode.window.tabGroups.activeTabGroup.activeTab?.label, `${source.title}.md`);

    // Read-only: typing into it, as a user would, changes nothing.
    active.selection = new vscode.Selection(0, 0, 0, 0);
    await vscode.commands.executeCommand('type', { text: 'typed ' });
    await vscode.commands.executeCommand('editor.action.deleteLines');
    assert.equal(vscode.window.activeTextEditor?.document, document);
    assert.equal(document.getText(), text);
    assert.equal(document.isDirty, false);
  });

  test('a turn or source the host does not know opens nothing', async () => {
    env.api.setScenario('sources-without-url');
    const turn = await ask('How do I set the access token?');
    await closeAllEditors();
    assert.equal(await env.api.receive({ type: 'previewSource', turnId: turn.id, index: turn.sources.length }), false);
    assert.equal(await env.api.receive({ type: 'previewSource', turnId: 'no-such-turn', index: 0 }), false);
    assert.equal(vscode.window.activeTextEditor, undefined);
  });
});

// Find it again, in a real VS Code: the palette's search finds a turn of an older conversation (Persian typed with
// Arabic letters and digits), opening it shows that conversation and tells the chat to mark the match; the panel's
// search gets its results; export writes Markdown to a new document and a file; delete one and delete all ask first.
import * as assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { answering, useCore, waitFor } from './helpers';

suite('Search, export and delete', () => {
  const env = useCore();

  teardown(() => {
    env.api.answerConfirmations(undefined);
    env.api.setScenario(undefined);
  });

  async function askWith(question: string, answer: string): Promise<void> {
    env.api.setScenario(answering(answer));
    try {
      const turn = await vscode.commands.executeCommand<{ status: string } | undefined>('tejarat.ask', question);
      assert.equal(turn?.status, 'done');
    } finally {
      env.api.setScenario(undefined);
    }
  }

  test('the palette search finds a turn in an older conversation and opening it shows that conversation, match marked', async () => {
    await vscode.commands.executeCommand('tejarat.newConversation');
    await askWith('Where are the deployment notes?', 'They are in the wiki.');
    await askWith('نسخه‌ی ۲ کتابخانه کجاست؟', 'کتابخانه‌ی نسخه‌ی ۲ در مخزن اصلی است.');
    const older = await env.api.state();
    const wanted = older.conversation.turns[1];
    assert.ok(wanted);
    await vscode.commands.executeCommand('tejarat.newConversation');
    await askWith('Something newer', 'A newer answer about something else.');
    assert.notEqual((await env.api.state()).conversation.id, older.conversation.id);
    await vscode.commands.executeCommand('tejarat.openChat');

    // Typed with Arabic kaf and Arabic-Indic digits, without the ZWNJ.
    const query = 'نسخهی ٢ كتابخانه';
    const opened = vscode.commands.executeCommand<{ conversationId: string; turnId: string } | undefined>('tejarat.searchConversations', query);
    let settled = false;
    void opened.then(() => (settled = true));
    // The results arrive as the search finishes: accept until the list had one to open.
    await waitFor('the search list to open a result', async () => {
      if (!settled) await vscode.commands.executeCommand('workbench.action.acceptSelectedQuickOpenItem');
      return settled;
    }, 20_000);
    assert.deepEqual(await opened, { conversationId: older.conversation.id, turnId: wanted.id });
    const state = await env.api.state();
    assert.equal(state.conversation.id, older.conversation.id, 'the older conversation is open');
    assert.deepEqual(env.api.searchPosts().filter((message) => message.type === 'revealTurn').at(-1), { type: 'revealTurn', turnId: wanted.id, query });
    await waitFor('the chat to be on screen', () => env.api.surfaces().ready > 0, 20_000);
  });

  test('the panel search answers with checked results for its request', async () => {
    await vscode.commands.executeCommand('tejarat.newConversation');
    await askWith('How do I rotate the PROXY certificate?', 'Replace the certificate and restart.');
    await env.api.receive({ type: 'search', requestId: 41, query: 'proxy CERTIFICATE' });
    const results = env.api.searchPosts().filter((message) => message.type === 'searchResults').at(-1);
    assert.ok(results?.type === 'searchResults');
    assert.equal(results.requestId, 41);
    const hit = results.hits[0];
    assert.equal(hit?.field, 'question');
    assert.equal(hit?.snippet, 'How do I rotate the PROXY certificate?');
    assert.deepEqual(hit?.marks.map(([from, to]) => hit.snippet.slice(from, to)), ['PROXY', 'certificate']);
  });

  test('export writes questions, answers and details as Markdown to a new document and to a file', async () => {
    await vscode.commands.executeCommand('tejarat.newConversation');
    await askWith('What does export write?', 'Questions and **answers**.');
    const document = await vscode.commands.executeCommand<vscode.TextDocument>('tejarat.exportConversation', undefined, 'newDocument');
    assert.equal(document.languageId, 'markdown');
    assert.equal(document.isUntitled, true);
    const text = document.getText();
    assert.match(text, /^# What does export write\?$/m);
    assert.match(text, /^> What does export write\?$/m);
    assert.match(text, /^Questions and \*\*answers\*\*\.$/m);
    assert.match(text, /^\*Details:\* .*Tokens: /m);
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');

    const folder = mkdtempSync(join(tmpdir(), 'tejarat-export-'));
    try {
      const file = vscode.Uri.file(join(folder, 'export.md'));
      const written = await vscode.commands.executeCommand<vscode.Uri>('tejarat.exportConversation', undefined, 'file', file);
      assert.equal(written.fsPath, file.fsPath);
      assert.equal(readFileSync(file.fsPath, 'utf8'), text);
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });

  test('delete one and delete all ask first, and do nothing when the answer is no', async () => {
    await vscode.commands.executeCommand('tejarat.newConversation');
    await askWith('A conversation to delete', 'Fine.');
    const id = (await env.api.state()).conversation.id;
    const file = join(env.api.storageFolder(), `${id}.json`);
    assert.ok(existsSync(file));

    env.api.answerConfirmations(false);
    assert.equal(await vscode.commands.executeCommand('tejarat.deleteConversation', id), false);
    assert.deepEqual(env.api.confirmations(), ['Delete the conversation "A conversation to delete"?']);
    assert.ok(existsSync(file), 'kept after No');
    const count = (await env.api.storedConversations()).length;
    assert.ok(count >= 1);
    assert.equal(await vscode.commands.executeCommand('tejarat.deleteAllConversations'), 0);
    assert.deepEqual(env.api.confirmations(), ['Delete the conversation "A conversation to delete"?', `Delete all ${count} conversations of this workspace?`]);
    assert.equal((await env.api.storedConversations()).length, count, 'all kept after No');

    env.api.answerConfirmations(true);
    assert.equal(await vscode.commands.executeCommand('tejarat.deleteConversation', id), true);
    assert.equal(existsSync(file), false);
    assert.equal(await vscode.commands.executeCommand('tejarat.deleteAllConversations'), count - 1);
    assert.equal(env.api.confirmations().length, 2, 'each asked first');
    assert.equal((await env.api.storedConversations()).length, 0);
    await env.api.receive({ type: 'search', requestId: 1, query: 'conversation' });
    const results = env.api.searchPosts().at(-1);
    assert.ok(results?.type === 'searchResults' && results.hits.length === 0, 'nothing left to find');
  });
});

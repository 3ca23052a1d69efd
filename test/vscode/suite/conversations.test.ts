// Conversations persist as files in the workspace's storage (what a window reload reads back), are bounded, and the
// history can reopen and delete them.
import * as assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { LIMITS } from '../../../src/chat/conversationStore';
import { answering, ask, useCore, waitFor } from './helpers';

suite('Conversations', () => {
  const env = useCore();

  test('conversations are stored as a reload reads them, and the history reopens and deletes them', async () => {
    const first = (await env.api.state()).conversation.id;
    await ask('What is Tejarat Chat?');
    await ask('How do I insert an answer?');
    await vscode.commands.executeCommand('tejarat.newConversation');
    const second = (await env.api.state()).conversation.id;
    assert.notEqual(second, first);
    await ask('Where is the log?');

    const stored = (await env.api.storedConversations());
    const storedFirst = stored.find((conversation) => conversation.id === first);
    const storedSecond = stored.find((conversation) => conversation.id === second);
    assert.deepEqual(storedFirst?.turns.map((turn) => turn.question), ['What is Tejarat Chat?', 'How do I insert an answer?']);
    assert.ok(storedFirst.turns.every((turn) => turn.status === 'done' && turn.answer.length > 0));
    assert.equal(storedFirst.title, 'What is Tejarat Chat?');
    assert.deepEqual(storedSecond?.turns.map((turn) => turn.question), ['Where is the log?']);
    assert.equal(stored[0]?.id, second, 'newest first');

    assert.equal(await env.api.openConversation(first), true);
    const reopened = await env.api.state();
    assert.equal(reopened.conversation.id, first);
    assert.equal(reopened.conversation.turns.length, 2);
    // A follow-up in a reopened conversation continues the core's conversation.
    await ask('And how do I copy it?');
    assert.equal((env.core.lastRequest?.body as { conversation_id?: string }).conversation_id, storedFirst.coreConversationId);

    await env.api.deleteConversation(second);
    assert.equal((await env.api.storedConversations()).some((conversation) => conversation.id === second), false);
    assert.equal((await env.api.state()).conversation.id, first, 'deleting another conversation keeps the open one');
  });

  test('Show Conversation History reopens the conversation picked in the list', async () => {
    await vscode.commands.executeCommand('tejarat.newConversation');
    await ask('What is the status bar for?');
    const wanted = (await env.api.state()).conversation.id;
    await vscode.commands.executeCommand('tejarat.newConversation');
    assert.notEqual((await env.api.state()).conversation.id, wanted);
    // New Conversation brings the chat forward without waiting; that focus change would close the list (a quick pick
    // closes when focus leaves it) if it landed after the list opened.
    await vscode.commands.executeCommand('tejarat.openChat');

    // The list is newest first, so the first (preselected) item is the conversation just left. A quick pick closes
    // when focus leaves it, and a webview taking focus late can do that: a list closed empty is opened again.
    let picked: string | undefined;
    for (let attempt = 0; attempt < 3 && picked === undefined; attempt++) {
      const pick = vscode.commands.executeCommand<string | undefined>('tejarat.showHistory');
      let settled = false;
      void pick.then(() => (settled = true));
      // There is no event for "the quick pick is on screen": accept until it has been.
      await waitFor('the history list to take the pick', async () => {
        if (!settled) await vscode.commands.executeCommand('workbench.action.acceptSelectedQuickOpenItem');
        return settled;
      });
      picked = await pick;
    }
    assert.equal(picked, wanted);
    const state = await env.api.state();
    assert.equal(state.conversation.id, wanted);
    assert.equal(state.conversation.turns[0]?.question, 'What is the status bar for?');
  });

  test('each conversation is a file in the workspace storage, and an answer in progress is written while it streams', async () => {
    await vscode.commands.executeCommand('tejarat.newConversation');
    const folder = env.api.storageFolder();
    assert.ok(folder.includes('workspaceStorage'), `${folder} is the workspace's storage`);
    const words = Array.from({ length: 400 }, (_, index) => `word${index}`).join(' ');
    env.api.setScenario(`${answering(words)},pace=20`);
    try {
      const answered = vscode.commands.executeCommand<unknown>('tejarat.ask', 'Tell me a long story');
      const id = (await env.api.state()).conversation.id;
      const file = join(folder, `${id}.json`);
      // Written while the answer streams, not only at its end: a crash now would keep this much.
      const partial = await waitFor('the answer in progress on disk', () => {
        if (!existsSync(file)) return undefined;
        const stored = JSON.parse(readFileSync(file, 'utf8')) as { version: number; conversation: { turns: { status: string; answer: string }[] } };
        const turn = stored.conversation.turns[0];
        return turn?.status === 'streaming' && turn.answer.length > 0 ? stored : undefined;
      }, 15_000);
      assert.equal(partial.version, 1);
      assert.ok(env.api.busy(), 'still answering when the partial answer was on disk');
      assert.ok(words.startsWith(partial.conversation.turns[0]?.answer ?? '-'));
      await vscode.commands.executeCommand('tejarat.stop');
      await answered;
    } finally {
      env.api.setScenario(undefined);
    }
    assert.ok(env.api.statusBarVisible(), 'the status bar item shows once the chat is used');
  });

  test('a damaged conversation file is set aside, not overwritten, and the rest of the history still shows', async () => {
    await vscode.commands.executeCommand('tejarat.newConversation');
    await ask('A conversation that stays readable');
    const kept = (await env.api.state()).conversation.id;
    const folder = env.api.storageFolder();
    const damaged = '11111111-2222-4333-8444-555555555555';
    const text = JSON.stringify({ version: 1, conversation: { id: damaged, title: 'damaged', createdAt: 1, updatedAt: 2, turns: [null] } });
    writeFileSync(join(folder, `${damaged}.json`), text);
    const stored = await env.api.storedConversations();
    assert.ok(stored.some((conversation) => conversation.id === kept));
    assert.equal(stored.some((conversation) => conversation.id === damaged), false);
    const aside = readdirSync(folder).filter((name) => name.startsWith(`${damaged}.corrupt-`));
    assert.equal(aside.length, 1, `set aside as ${aside.join(', ')}`);
    assert.equal(readFileSync(join(folder, aside[0] ?? ''), 'utf8'), text, 'kept as it was');
    assert.equal(existsSync(join(folder, `${damaged}.json`)), false);
  });

  test('an empty new conversation is not stored', async () => {
    const before = (await env.api.storedConversations()).length;
    await vscode.commands.executeCommand('tejarat.newConversation');
    await vscode.commands.executeCommand('tejarat.newConversation');
    assert.equal((await env.api.storedConversations()).length, before);
  });

  test(`the store keeps at most ${LIMITS.conversations} conversations, dropping the oldest`, async () => {
    env.api.setScenario(answering('ok'));
    try {
      for (let index = 0; index < LIMITS.conversations + 3; index++) {
        await vscode.commands.executeCommand('tejarat.newConversation');
        await ask(`question number ${index}`);
      }
    } finally {
      env.api.setScenario(undefined);
    }
    const stored = (await env.api.storedConversations());
    assert.equal(stored.length, LIMITS.conversations);
    assert.equal(stored[0]?.title, `question number ${LIMITS.conversations + 2}`);
    assert.equal(stored.some((conversation) => conversation.title === 'question number 2'), false);
    assert.equal(stored.some((conversation) => conversation.title === 'question number 3'), true);
  });
});

// Editing an earlier question and sending it again, through the messages the panel posts, against the local RAG
// Core: the later turns are replaced, the core receives the edited question without the memory of the replaced
// turns, and Undo brings them back.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { TejaratTestApi } from '../../../src/extension';
import type { RunningCoreServer } from '../../core-server/server';
import { ask, startCore, stopCore } from './helpers';

suite('Edit and resend', () => {
  let core: RunningCoreServer;
  let api: TejaratTestApi;

  suiteSetup(async () => {
    ({ core, api } = await startCore());
  });
  suiteTeardown(() => stopCore(core));

  const body = () => core.lastRequest?.body as { query?: string; conversation_id?: string };

  test('editing the second of three questions replaces it and the third; the core gets the edited question in a new conversation', async () => {
    await vscode.commands.executeCommand('tejarat.newConversation');
    await ask('What is Tejarat Chat?');
    await ask('How do I insert an answer?');
    await ask('What does streaming mean?');
    const before = api.conversation().turns;
    const [first, second] = before;
    assert.ok(first && second && before.length === 3);
    const oldCoreId = (await api.storedConversations()).find((conversation) => conversation.id === api.conversation().id)?.coreConversationId;
    assert.ok(oldCoreId, 'the conversation has a core id before the edit');

    await api.receive({ type: 'editQuestion', turnId: second.id, text: 'How do I copy an answer?' });
    const after = api.conversation().turns;
    assert.deepEqual(after.map((turn) => turn.question), ['What is Tejarat Chat?', 'How do I copy an answer?']);
    assert.equal(after[0]?.id, first.id, 'the turn above the edit stays');
    assert.equal(after[1]?.status, 'done');
    assert.ok(after[1]?.answer);
    assert.equal(body().query, 'How do I copy an answer?');
    assert.equal(body().conversation_id, undefined, 'the core is not asked to remember the replaced turns');
    const state = await api.state();
    assert.deepEqual(state.undo, { turnId: second.id, replaced: 2 });

    // What is stored is what is shown: a reload shows the edited conversation, with its new core id.
    const stored = (await api.storedConversations()).find((conversation) => conversation.id === api.conversation().id);
    assert.deepEqual(stored?.turns.map((turn) => turn.question), ['What is Tejarat Chat?', 'How do I copy an answer?']);
    assert.ok(stored?.coreConversationId && stored.coreConversationId !== oldCoreId, 'the edited question started a new core conversation');

    // A follow-up builds on the edited conversation under the new id, and withdraws the Undo offer.
    await ask('And paste it?');
    assert.equal(body().conversation_id, stored.coreConversationId);
    assert.equal((await api.state()).undo, undefined);
  });

  test('Undo restores the replaced turns and their core conversation, on screen and on disk', async () => {
    await vscode.commands.executeCommand('tejarat.newConversation');
    await ask('What is Tejarat Chat?');
    await ask('How do I insert an answer?');
    const before = api.conversation().turns;
    assert.ok(before[0]);
    const oldCoreId = (await api.storedConversations()).find((conversation) => conversation.id === api.conversation().id)?.coreConversationId;

    await api.receive({ type: 'editQuestion', turnId: before[0].id, text: 'What is RAG Core?' });
    assert.deepEqual(api.conversation().turns.map((turn) => turn.question), ['What is RAG Core?']);
    assert.equal(await api.receive({ type: 'undoEdit' }), true);
    assert.deepEqual(api.conversation().turns.map((turn) => turn.id), before.map((turn) => turn.id));
    assert.equal((await api.state()).undo, undefined, 'undone once');
    assert.equal(await api.receive({ type: 'undoEdit' }), false, 'nothing left to undo');
    const stored = (await api.storedConversations()).find((conversation) => conversation.id === api.conversation().id);
    assert.deepEqual(stored?.turns.map((turn) => turn.question), ['What is Tejarat Chat?', 'How do I insert an answer?']);
    assert.equal(stored?.coreConversationId, oldCoreId);

    // The restored turns are the core's conversation again: a follow-up carries their id.
    await ask('And how do I copy it?');
    assert.equal(body().conversation_id, oldCoreId);
  });

  test('Regenerate keeps both answers, switches between them, and both survive a reload', async () => {
    await vscode.commands.executeCommand('tejarat.newConversation');
    await ask('What is Tejarat Chat?');
    await ask('How do I insert an answer?');
    const [first, last] = api.conversation().turns;
    assert.ok(first && last);
    const coreId = (await api.storedConversations()).find((conversation) => conversation.id === api.conversation().id)?.coreConversationId;

    core.resetStats();
    await api.receive({ type: 'regenerate', turnId: last.id });
    assert.deepEqual(core.stats, { stream: 1, query: 0 }, 'the core was asked again');
    assert.equal(body().query, 'How do I insert an answer?');
    assert.equal(body().conversation_id, coreId, 'the last turn is asked again as a follow-up');
    const regenerated = api.conversation().turns[1];
    assert.equal(regenerated?.id, last.id, 'the same turn, not a new one');
    assert.equal(regenerated.status, 'done');
    assert.equal(regenerated.answerIndex, 1);
    assert.deepEqual(regenerated.otherAnswers?.map((version) => version.answer), [last.answer]);

    assert.equal(await api.receive({ type: 'selectVersion', turnId: last.id, index: 0 }), true);
    const switched = (await api.state()).conversation.turns[1];
    assert.equal(switched?.answer, last.answer, 'the first answer is shown');
    assert.equal(switched.answerIndex, 0);
    assert.equal(api.lastAnswer(), last.answer, 'what Copy and Insert of the last answer use');

    const stored = (await api.storedConversations()).find((conversation) => conversation.id === api.conversation().id)?.turns[1];
    assert.equal(stored?.answer, last.answer);
    assert.equal(stored.answerIndex, 0);
    assert.deepEqual(stored.otherAnswers?.map((version) => version.answer), [regenerated.answer]);

    // An earlier turn is asked again without the core's memory of the turns after it.
    await api.receive({ type: 'regenerate', turnId: first.id });
    assert.equal(body().query, 'What is Tejarat Chat?');
    assert.equal(body().conversation_id, undefined);
    assert.equal(api.conversation().turns[0]?.otherAnswers?.length, 1);
  });
});

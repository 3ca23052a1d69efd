// Asking through the commands a user runs, against the local RAG Core: streaming, Persian, follow-ups, the
// automatic fallback, a rejected token, and Check Connection.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { CheckResult } from '../../../src/chat/checkConnection';
import type { TejaratTestApi } from '../../../src/extension';
import { type RunningCoreServer, startCoreServer } from '../../core-server/server';
import { ask, setSetting, startCore, stopCore, waitFor } from './helpers';

suite('Ask Tejarat', () => {
  let core: RunningCoreServer;
  let api: TejaratTestApi;

  suiteSetup(async () => {
    ({ core, api } = await startCore());
  });
  suiteTeardown(() => stopCore(core));

  test('Ask streams the answer into the open conversation', async () => {
    core.resetStats();
    const turn = await ask('How do I set the access token?');
    assert.equal(turn.status, 'done');
    assert.equal(turn.mode, 'stream');
    assert.match(turn.answer, /token/i);
    assert.ok(turn.sources.length > 0, 'the answer has sources');
    assert.ok(turn.sources.every((source) => source.url === undefined || /^https:\/\//.test(source.url)));
    assert.deepEqual(core.stats, { stream: 1, query: 0 });
    assert.equal(core.lastRequest?.headers.authorization, `Bearer ${core.token}`);

    const state = await api.state();
    const shown = state.conversation.turns.at(-1);
    assert.equal(shown?.question, 'How do I set the access token?');
    assert.equal(shown?.answer, turn.answer);
    assert.equal(api.lastAnswer(), turn.answer);
    assert.equal(api.statusBar().kind, 'idle');
  });

  test('a Persian question is sent with language fa and answered in Persian', async () => {
    const turn = await ask('چطور توکن دسترسی را تنظیم کنم؟');
    assert.equal((core.lastRequest?.body as { language?: string }).language, 'fa');
    assert.equal(turn.status, 'done');
    assert.match(turn.answer, /[\u0600-\u06FF]{3}/);
  });

  test('an English question follows VS Code\'s display language', async () => {
    await ask('What does streaming mean?');
    assert.equal((core.lastRequest?.body as { language?: string }).language, vscode.env.language.split('-')[0]);
  });

  test('a follow-up question carries the conversation_id from start', async () => {
    await vscode.commands.executeCommand('tejarat.newConversation');
    await ask('What is Tejarat Chat?');
    const first = core.lastRequest?.body as { conversation_id?: string };
    assert.equal(first.conversation_id, undefined, 'a new conversation starts without an id');
    await ask('And how do I insert an answer?');
    const followUp = core.lastRequest?.body as { conversation_id?: string };
    const stored = (await api.storedConversations()).find((conversation) => conversation.turns.length === 2);
    assert.ok(stored?.coreConversationId, 'the id from start is stored');
    assert.equal(followUp.conversation_id, stored.coreConversationId);
  });

  test('a core that does not stream answers through the normal request, with no user action', async () => {
    const legacy = await startCoreServer({ paceMs: 0, streaming: false });
    try {
      await setSetting('tejarat.coreUrl', legacy.url);
      const turn = await ask('How does the fallback work?');
      assert.equal(turn.status, 'done');
      assert.equal(turn.mode, 'fallback');
      assert.ok(turn.answer.length > 20);
      assert.deepEqual(legacy.stats, { stream: 1, query: 1 });
      assert.equal(api.statusBar().kind, 'fallback');

      // The switch is remembered: the next question does not knock on the stream endpoint again.
      await ask('And the reconnection?');
      assert.deepEqual(legacy.stats, { stream: 1, query: 2 });

      const check = await vscode.commands.executeCommand<CheckResult>('tejarat.checkConnection');
      assert.ok(check.lines.some((line) => /fallback/.test(line)), check.lines.join(' | '));
    } finally {
      await setSetting('tejarat.coreUrl', core.url);
      await legacy.close();
    }
  });

  test('401: the question is kept and answered once the token is set', async () => {
    await vscode.commands.executeCommand('tejarat.newConversation');
    await api.setToken('not-the-right-token');
    const failed = await ask('Where is the log?');
    assert.equal(failed.status, 'error');
    assert.equal(failed.error?.kind, 'auth');

    await api.setToken(core.token ?? '');
    const answered = await waitFor('the kept question to be answered', async () => {
      const turns = (await api.state()).conversation.turns;
      const last = turns.at(-1);
      return turns.length === 1 && last?.question === 'Where is the log?' && last.status === 'done' ? last : undefined;
    });
    assert.match(answered.answer, /log/i);
    assert.equal(core.lastRequest?.headers.authorization, `Bearer ${core.token}`);
  });

  test('Check Connection sums up reachability, token, streaming, timings, the network path and the trust', async () => {
    const good = await vscode.commands.executeCommand<CheckResult>('tejarat.checkConnection');
    assert.equal(good.ok, true);
    assert.deepEqual(
      good.lines.slice(0, 3).map((line) => /reachable|accepted|streaming/.test(line)),
      [true, true, true],
      good.lines.join(' | '),
    );
    // Every phase was reached; each took some milliseconds, in order.
    assert.match(good.lines[3] ?? '', /^Timings: connect \d+ ms, headers \d+ ms, first event \d+ ms, total \d+ ms\.$/);
    const timings = good.report?.timings;
    assert.ok(timings && (timings.connectMs ?? -1) <= (timings.headersMs ?? -1) && (timings.headersMs ?? -1) <= (timings.firstEventMs ?? -1));
    assert.ok((timings?.firstEventMs ?? Infinity) <= (timings?.totalMs ?? 0));
    assert.equal(good.lines[4], "Network: VS Code's proxy settings (system proxy or direct; http.proxy is not set).");
    assert.equal(good.lines[5], 'Certificates: none (plain http).');
    assert.match(good.lines[0] ?? '', new RegExp(core.url.replace(/[.]/g, '\\.')));

    await api.setToken('wrong');
    try {
      const rejected = await vscode.commands.executeCommand<CheckResult>('tejarat.checkConnection');
      assert.equal(rejected.ok, false);
      assert.match(rejected.lines[1] ?? '', /rejected/);
    } finally {
      await api.setToken(core.token ?? '');
    }

    const port = new URL(core.url).port;
    await core.close();
    try {
      const down = await vscode.commands.executeCommand<CheckResult>('tejarat.checkConnection');
      assert.equal(down.ok, false);
      assert.match(down.lines[0] ?? '', /not reachable/);
    } finally {
      core = await startCoreServer({ paceMs: 0, port: Number(port) });
    }
  });
});

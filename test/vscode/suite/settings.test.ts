// Settings apply to the next question without a reload, and a core URL that would carry the token in clear is
// refused unless the user allowed it.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { Turn } from '../../../src/shared/messages';
import { answering, ask, setSetting, useCore, waitFor } from './helpers';

suite('Settings', () => {
  const env = useCore();

  test('tejarat.streaming = never takes effect on the next question, and back again', async () => {
    env.core.resetStats();
    await setSetting('tejarat.streaming', 'never');
    const fallback = await ask('How does streaming work?');
    assert.equal(fallback.mode, 'fallback');
    assert.deepEqual(env.core.stats, { stream: 0, query: 1 });

    await setSetting('tejarat.streaming', 'auto');
    const streamed = await ask('How does streaming work?');
    assert.equal(streamed.mode, 'stream');
    assert.deepEqual(env.core.stats, { stream: 1, query: 1 });
    assert.equal(streamed.answer, fallback.answer, 'the same question gets the same answer either way');
  });

  test('tejarat.language = en is sent even for a Persian question', async () => {
    await setSetting('tejarat.language', 'en');
    await ask('چطور توکن را تنظیم کنم؟');
    assert.equal((env.core.lastRequest?.body as { language?: string }).language, 'en');
    await setSetting('tejarat.language', 'auto');
    await ask('چطور توکن را تنظیم کنم؟');
    assert.equal((env.core.lastRequest?.body as { language?: string }).language, 'fa');
  });

  test('the idle timeout setting cuts off a stalled answer and keeps its text', async () => {
    await setSetting('tejarat.timeouts.idle', 1);
    env.api.setScenario(`${answering('one two three four five six seven eight')},chunk-chars=4,stall-after=2`);
    try {
      const turn = await ask('anything');
      assert.equal(turn.status, 'cut-off');
      assert.equal(turn.error?.kind, 'timeout');
      assert.equal(turn.answer, 'one two ');
    } finally {
      env.api.setScenario(undefined);
      await setSetting('tejarat.timeouts.idle', undefined);
    }
  });

  /** Asks, and once the question is at the core (which holds its answer back), hands the waiting turn to `during`. */
  async function askSlowly(question: string, during: (waiting: Turn | undefined) => Promise<void> | void): Promise<Turn> {
    env.core.resetStats();
    const asking = ask(question);
    await waitFor('the question at the core', () => env.core.stats.stream + env.core.stats.query > 0);
    await during(env.api.conversation().turns.at(-1));
    return asking;
  }

  for (const streaming of ['auto', 'never'] as const) {
    test(`an answer that starts later than the connect limit arrives within timeouts.answer, waiting meanwhile (streaming: ${streaming})`, async () => {
      await setSetting('tejarat.streaming', streaming);
      await setSetting('tejarat.timeouts.connect', 1);
      await setSetting('tejarat.timeouts.answer', 20);
      // The core sends its headers only after 2.5 s: retrieval, or a normal request that answers when all is ready.
      env.api.setScenario('slow-headers=2500');
      try {
        const turn = await askSlowly('Why does retrieval take so long?', (waiting) => {
          assert.equal(waiting?.status, 'pending', 'the panel shows the waiting line for a pending turn');
          assert.equal(env.api.busy(), true);
          assert.equal(env.api.statusBar().kind, 'streaming');
        });
        assert.equal(turn.status, 'done', turn.error?.message);
        assert.equal(turn.mode, streaming === 'never' ? 'fallback' : 'stream');
        assert.ok(turn.answer.length > 0);
      } finally {
        env.api.setScenario(undefined);
        await setSetting('tejarat.streaming', undefined);
        await setSetting('tejarat.timeouts.connect', undefined);
        await setSetting('tejarat.timeouts.answer', undefined);
      }
    });
  }

  test('the deprecated timeouts.firstEvent limits the wait while timeouts.answer is not set', async () => {
    await setSetting('tejarat.timeouts.firstEvent', 1);
    env.api.setScenario('slow-headers=4000');
    try {
      const limited = await ask('Why does retrieval take so long?');
      assert.equal(limited.status, 'error');
      assert.equal(limited.error?.kind, 'timeout');
      const check = await vscode.commands.executeCommand<{ lines: string[] }>('tejarat.checkConnection');
      assert.ok(check.lines.includes('Time limits (tejarat.timeouts): connect 10 s, answer 1 s, idle 60 s.'), check.lines.join(' | '));

      await setSetting('tejarat.timeouts.answer', 20);
      const answered = await ask('Why does retrieval take so long?');
      assert.equal(answered.status, 'done', answered.error?.message);
    } finally {
      env.api.setScenario(undefined);
      await setSetting('tejarat.timeouts.firstEvent', undefined);
      await setSetting('tejarat.timeouts.answer', undefined);
    }
  });

  test('Stop while waiting for the core ends the turn as stopped at once, with the question kept', async () => {
    // Far longer than the test may run: only Stop can end this turn in time.
    env.api.setScenario('slow-headers=600000');
    try {
      const turn = await askSlowly('A question the core thinks about for ten minutes', async (waiting) => {
        assert.equal(waiting?.status, 'pending');
        await vscode.commands.executeCommand('tejarat.stop');
      });
      assert.equal(turn.status, 'stopped');
      assert.equal(turn.question, 'A question the core thinks about for ten minutes');
      assert.equal(turn.answer, '');
      assert.equal(env.api.busy(), false);
    } finally {
      env.api.setScenario(undefined);
    }
  });

  test('a plain-http core URL that is not this machine is refused with a clear message', async () => {
    env.core.resetStats();
    await setSetting('tejarat.coreUrl', 'http://core.example.com');
    try {
      const turn = await ask('Is my token safe?');
      assert.equal(turn.status, 'error');
      assert.equal(turn.error?.kind, 'config');
      assert.match(turn.error?.message ?? '', /clear text/);
      assert.match(turn.error?.message ?? '', /core\.example\.com/);
      assert.match(turn.error?.message ?? '', /tejarat\.allowInsecureHttp/);

      // Allowed explicitly, the request is made (and fails here only because nothing listens there).
      await setSetting('tejarat.allowInsecureHttp', true);
      await setSetting('tejarat.coreUrl', 'http://0.0.0.0:1');
      const attempted = await ask('Is my token safe?');
      assert.equal(attempted.status, 'error');
      assert.equal(attempted.error?.kind, 'network');
      assert.equal(env.api.statusBar().kind, 'offline');
    } finally {
      await setSetting('tejarat.allowInsecureHttp', undefined);
      await setSetting('tejarat.coreUrl', env.core.url);
    }
    const again = await ask('Is my token safe?');
    assert.equal(again.status, 'done');
    assert.equal(env.api.statusBar().kind, 'idle', 'a success clears offline');
  });

  test('Sign Out removes the token and the status bar says so', async () => {
    await vscode.commands.executeCommand('tejarat.signOut');
    try {
      assert.equal((await env.api.state()).hasToken, false);
      assert.equal(env.api.statusBar().kind, 'noToken');
    } finally {
      await env.api.setToken(env.core.token ?? '');
    }
    assert.equal((await env.api.state()).hasToken, true);
    assert.equal(env.api.statusBar().kind, 'idle');
  });

  test('an https URL and a loopback http URL are accepted', async () => {
    // The loopback case is every other test in this suite; https needs no opt-in either.
    await setSetting('tejarat.coreUrl', 'https://127.0.0.1:1');
    try {
      const turn = await ask('anything');
      assert.notEqual(turn.error?.kind, 'config');
    } finally {
      await setSetting('tejarat.coreUrl', env.core.url);
    }
  });
});

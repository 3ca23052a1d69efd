// Settings apply to the next question without a reload, and a core URL that would carry the token in clear is
// refused unless the user allowed it.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { answering, ask, setSetting, useCore } from './helpers';

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

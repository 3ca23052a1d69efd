// The waiting line in real Chromium, on Playwright's fake clock: from the question until the first answer text the
// panel says that it waits for the core and for how long, in the panel's language and digits, and Stop ends the
// wait at any moment with the question kept.
import assert from 'node:assert/strict';
import type { HostMessage } from '../../src/shared/messages';
import { state, turn } from './fixtures';
import { useWebviewPage, type WebviewPage } from './harness';

const START = new Date('2026-12-01T09:00:00Z').getTime();

describe('waiting for the core (Chromium, fake clock)', function () {
  let view: WebviewPage;
  useWebviewPage(async (opened) => {
    view = opened;
    await view.page.clock.install({ time: START });
    // The page loaded before the clock was installed: load it again on the fake clock, then stop time.
    await view.reload();
    await view.page.clock.pauseAt(START + 60_000);
  });

  const waiting = () => view.page.locator('.waiting');

  /** Posts host messages and lets the panel's frame (a fake-clock animation frame) apply them. */
  async function post(...messages: HostMessage[]): Promise<void> {
    await view.page.evaluate((messages) => {
      for (const message of messages) window.postMessage(message, '*');
    }, messages);
    await view.page.clock.runFor(50);
  }

  it('counts the seconds up while the question waits, until the first text', async function () {
    await post(state([]), { type: 'turnStarted', turn: turn('t1', 'How long does retrieval take?') });
    assert.equal(await waiting().innerText(), 'Waiting for RAG Core…');
    await view.page.clock.runFor(1_000);
    assert.equal(await waiting().innerText(), 'Waiting for RAG Core… 1 s');
    await view.page.clock.runFor(13_000);
    assert.equal(await waiting().innerText(), 'Waiting for RAG Core… 14 s');
    // Headers (the answer's start) are not text yet: still waiting.
    await post({ type: 'answerStarted', turnId: 't1', mode: 'stream' });
    await view.page.clock.runFor(2_000);
    assert.equal(await waiting().innerText(), 'Waiting for RAG Core… 16 s');
    await post({ type: 'append', turnId: 't1', text: 'Retrieval takes a few seconds.' });
    assert.equal(await waiting().count(), 0, 'the first text ends the wait');
    // textContent, not innerText: with time stopped the page gets no rendering update, and until one runs the
    // answer's groups (content-visibility: auto) count as skipped, whose innerText is empty.
    assert.equal(await view.page.locator('article[data-turn-id="t1"] .markdown').textContent(), 'Retrieval takes a few seconds.');
  });

  it('shows the wait in Persian with Persian digits in the Persian panel', async function () {
    await post(state([], 'fa'), { type: 'turnStarted', turn: turn('t1', 'بازیابی چقدر طول می‌کشد؟') });
    await view.page.clock.runFor(14_000);
    assert.equal(await waiting().innerText(), 'در انتظار RAG Core… ۱۴ ثانیه');
  });

  it('a panel that reloads mid-answer keeps counting from when it first saw the question', async function () {
    await post(state([]), { type: 'turnStarted', turn: turn('t1', 'q') });
    await view.page.clock.runFor(5_000);
    // The host re-sends the whole state (a conversation change, a view that opened): the same turn, still waiting.
    await post(state([turn('t1', 'q')]));
    await view.page.clock.runFor(2_000);
    assert.equal(await waiting().innerText(), 'Waiting for RAG Core… 7 s');
  });

  it('Stop during the wait: the turn ends as stopped with the question kept, and the count stops', async function () {
    await post(state([]), { type: 'turnStarted', turn: turn('t1', 'A slow question') });
    await view.page.clock.runFor(30_000);
    assert.equal(await waiting().innerText(), 'Waiting for RAG Core… 30 s');
    await view.page.locator('.stop-button').dispatchEvent('click');
    assert.deepEqual(await view.postedOfType('stop'), [{ type: 'stop' }]);
    await post({ type: 'turnEnded', turnId: 't1', status: 'stopped' });
    assert.equal(await waiting().count(), 0);
    assert.equal(await view.page.locator('article[data-turn-id="t1"] .question-text').innerText(), 'A slow question');
    assert.match(await view.page.locator('.turn-status').innerText(), /Stopped\./);
    assert.equal(await view.page.getByRole('button', { name: 'Retry' }).count(), 1);
    await view.page.clock.runFor(10_000);
    assert.equal(await waiting().count(), 0, 'nothing counts once the turn ended');
  });

  it('Esc stops before the answer starts, and while it streams', async function () {
    await post(state([]), { type: 'turnStarted', turn: turn('t1', 'q') });
    await view.page.locator('.composer-input').focus();
    await view.page.keyboard.press('Escape');
    assert.equal((await view.postedOfType('stop')).length, 1, 'while waiting');
    await post({ type: 'answerStarted', turnId: 't1', mode: 'stream' }, { type: 'append', turnId: 't1', text: 'Part' });
    await view.page.keyboard.press('Escape');
    assert.equal((await view.postedOfType('stop')).length, 2, 'while streaming');
  });
});

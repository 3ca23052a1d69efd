// The panel's controls in real Chromium: sending, Stop (button and Esc), Retry, cut-off and failure marks with the
// partial text kept, the draft kept on failure and across hide, New conversation, the answer and code actions,
// sources, the details line, the empty state and the live region.
import assert from 'node:assert/strict';
import { sourcesEn, state, turn } from './fixtures';
import { useWebviewPage, type WebviewPage } from './harness';

describe('controls (Chromium)', function () {
  let view: WebviewPage;
  useWebviewPage(async (opened) => {
    view = opened;
    await view.send(state([]));
  });

  const input = () => view.page.locator('.composer-input');
  const answerText = (id: string) => view.page.locator(`article[data-turn-id="${id}"] .markdown`).innerText();

  it('sends with Enter, adds a line with Shift+Enter, and does not send an empty question', async function () {
    await input().focus();
    await view.page.keyboard.press('Enter');
    await input().pressSequentially('first line');
    await view.page.keyboard.press('Shift+Enter');
    await input().pressSequentially('second line');
    assert.equal(await input().inputValue(), 'first line\nsecond line');
    await view.page.keyboard.press('Enter');
    assert.deepEqual(await view.postedOfType('ask'), [{ type: 'ask', text: 'first line\nsecond line' }]);
    assert.equal(await input().inputValue(), '');
  });

  it('Stop button and Esc post stop; a stopped answer keeps its text, is marked, and offers Retry', async function () {
    await view.send({ type: 'turnStarted', turn: turn('t1', 'q') }, { type: 'answerStarted', turnId: 't1', mode: 'stream' },
      { type: 'append', turnId: 't1', text: 'Partial **answer** so' });
    await view.page.locator('.stop-button').click();
    assert.equal((await view.postedOfType('stop')).length, 1);
    await view.page.keyboard.press('Escape');
    assert.equal((await view.postedOfType('stop')).length, 2);
    await view.send({ type: 'turnEnded', turnId: 't1', status: 'stopped' });
    assert.equal(await answerText('t1'), 'Partial answer so');
    assert.match(await view.page.locator('.turn-status').innerText(), /Stopped\. The answer is incomplete\./);
    assert.equal(await view.page.locator('.answer-incomplete').count(), 1);
    assert.equal(await view.page.locator('.stop-button').count(), 0, 'the Stop button is gone');
    await view.page.keyboard.press('Escape');
    assert.equal((await view.postedOfType('stop')).length, 2, 'Esc does nothing when nothing runs');
    await view.page.getByRole('button', { name: 'Retry' }).click();
    assert.deepEqual(await view.postedOfType('retry'), [{ type: 'retry', turnId: 't1' }]);
    // The host restarts the same turn: the old partial text gives way to the new answer.
    await view.send({ type: 'turnStarted', turn: turn('t1', 'q') }, { type: 'append', turnId: 't1', text: 'Complete answer.' },
      { type: 'turnEnded', turnId: 't1', status: 'done' });
    assert.equal(await answerText('t1'), 'Complete answer.');
    assert.equal(await view.page.locator('.turn-status').count(), 0);
    assert.equal(await view.page.locator('article').count(), 1);
  });

  it('marks a cut-off answer, keeps its partial text, and offers Retry', async function () {
    await view.send({ type: 'turnStarted', turn: turn('t1', 'q') }, { type: 'append', turnId: 't1', text: '# Title\n\nHalf of the' },
      { type: 'turnEnded', turnId: 't1', status: 'cut-off', error: { kind: 'network', message: 'The answer was cut off. The core closed the connection before the answer was complete.' } });
    assert.equal(await answerText('t1'), 'Title\n\nHalf of the');
    // The host's sentence says why (and quotes the core's words when it said any); without one, the panel's own.
    assert.equal(await view.page.locator('.turn-status-text').innerText(), 'The answer was cut off. The core closed the connection before the answer was complete.');
    assert.equal(await view.page.getByRole('button', { name: 'Retry' }).count(), 1);
    assert.equal(await view.page.locator('[role=status]').innerText(), 'Answer cut off.');
  });

  it('puts the question back in the input when sending fails, and keeps the error on screen', async function () {
    await input().fill('Why is the sky blue?');
    await view.page.keyboard.press('Enter');
    assert.equal(await input().inputValue(), '');
    await view.send({ type: 'turnStarted', turn: turn('t1', 'Why is the sky blue?') },
      { type: 'turnEnded', turnId: 't1', status: 'error', error: { kind: 'auth', message: 'The token was rejected (401).' } });
    assert.equal(await input().inputValue(), 'Why is the sky blue?');
    assert.match(await view.page.locator('.turn-status').innerText(), /The token was rejected \(401\)\./);
    assert.equal(await view.page.locator('[role=status]').innerText(), 'Answer failed: The token was rejected (401).');
    // The host may also put a draft back itself.
    await view.send({ type: 'setDraft', text: 'from the host' });
    assert.equal(await input().inputValue(), 'from the host');
    assert.ok(await input().evaluate((element) => element === document.activeElement));
  });

  it('keeps the draft across hide (webview reload) through the webview state', async function () {
    await input().fill('a draft\nwith two lines');
    await view.reload();
    assert.equal(await input().inputValue(), 'a draft\nwith two lines');
  });

  it('posts newConversation, and shows the empty state for the new one', async function () {
    await view.send({ type: 'turnStarted', turn: turn('t1', 'q') }, { type: 'turnEnded', turnId: 't1', status: 'done' });
    await view.page.getByRole('button', { name: 'New conversation' }).click();
    assert.equal((await view.postedOfType('newConversation')).length, 1);
    await view.send(state([]));
    assert.equal(await view.page.locator('.empty-state').count(), 1);
  });

  it('offers setting a token in the empty state when there is none', async function () {
    assert.equal(await view.page.locator('.token-callout').count(), 0);
    await view.send({ type: 'tokenStatus', hasToken: false });
    await view.page.getByRole('button', { name: 'Set access token' }).click();
    assert.deepEqual(await view.postedOfType('setToken'), [{ type: 'setToken' }]);
  });

  it('copies and inserts the answer, and each code block on its own', async function () {
    const answer = 'Run this:\n\n```bash\nnpm run build\n```\n\nThen:\n\n```js\nconsole.log(1)\n```\n';
    await view.send({ type: 'turnStarted', turn: turn('t1', 'q') }, { type: 'append', turnId: 't1', text: answer },
      { type: 'turnEnded', turnId: 't1', status: 'done' });
    await view.page.getByRole('button', { name: 'Copy', exact: true }).click();
    await view.page.getByRole('button', { name: 'Insert at cursor', exact: true }).click();
    await view.page.getByRole('button', { name: 'Insert as new document' }).click();
    await view.page.getByRole('button', { name: 'Copy code' }).nth(1).click();
    await view.page.getByRole('button', { name: 'Insert code at cursor' }).nth(0).click();
    assert.deepEqual(await view.postedOfType('copy'), [{ type: 'copy', text: answer }, { type: 'copy', text: 'console.log(1)' }]);
    assert.deepEqual(await view.postedOfType('insert'), [
      { type: 'insert', text: answer, target: 'cursor' },
      { type: 'insert', text: answer, target: 'newDocument' },
      { type: 'insert', text: 'npm run build', target: 'cursor' },
    ]);
  });

  it('shows sources collapsed with a count, and opens their links through the host', async function () {
    await view.send({ type: 'turnStarted', turn: turn('t1', 'q') }, { type: 'append', turnId: 't1', text: 'See [docs](https://docs.example.com/a).' },
      { type: 'sources', turnId: 't1', sources: sourcesEn },
      { type: 'turnEnded', turnId: 't1', status: 'done', mode: 'fallback', metadata: { model: 'gpt-4', tokens: 150, processingTimeMs: 2500, cached: true } });
    const summary = view.page.locator('details.sources summary');
    assert.equal(await summary.innerText(), 'Sources (3)');
    assert.equal(await view.page.locator('details.sources').getAttribute('open'), null);
    assert.equal(await view.page.locator('.source').first().isVisible(), false);
    await summary.focus();
    await view.page.keyboard.press('Enter');
    assert.equal(await view.page.locator('.source').first().isVisible(), true);
    const first = await view.page.locator('.source').first().innerText();
    assert.match(first, /Streaming answers/);
    assert.match(first, /docs\.example\.com\/tejarat\/streaming/);
    assert.match(first, /score 0\.92/);
    assert.match(await view.page.locator('.source').nth(1).innerText(), /page 4/);
    assert.deepEqual(await view.page.locator('.details .detail').allInnerTexts(), ['model gpt-4', '150 tokens', '2.5 s', 'cached', 'non-streaming mode']);
    await view.page.locator('.source a').first().click();
    await view.page.locator('.markdown a').click();
    assert.deepEqual(await view.postedOfType('openLink'), [
      { type: 'openLink', url: 'https://docs.example.com/tejarat/streaming' },
      { type: 'openLink', url: 'https://docs.example.com/a' },
    ]);
    assert.equal(view.page.url(), 'https://tejarat-webview.test/', 'no navigation');
    assert.equal(await view.page.locator('[role=status]').innerText(), 'Answer ready, with 3 sources.');
  });

  it('reaches every control by keyboard', async function () {
    await view.send({ type: 'turnStarted', turn: turn('t1', 'q') }, { type: 'append', turnId: 't1', text: 'Text\n\n```js\nx()\n```\n' },
      { type: 'sources', turnId: 't1', sources: sourcesEn }, { type: 'turnEnded', turnId: 't1', status: 'cut-off' });
    const reached = new Set<string>();
    for (let index = 0; index < 20; index += 1) {
      await view.page.keyboard.press('Tab');
      const label = await view.page.evaluate(() => {
        const element = document.activeElement as HTMLElement | null;
        return element ? `${element.tagName.toLowerCase()}:${element.getAttribute('aria-label') ?? element.innerText.trim()}` : '';
      });
      reached.add(label);
    }
    for (const expected of ['button:New conversation', 'button:Copy code', 'button:Insert code at cursor', 'summary:Sources (3)',
      'button:Retry', 'button:Copy', 'button:Insert at cursor', 'button:Insert as new document', 'textarea:Ask a question']) {
      assert.ok([...reached].some((label) => label === expected), `${expected} in ${[...reached].join(' | ')}`);
    }
    const outline = await view.page.evaluate(() => getComputedStyle(document.activeElement as Element).outlineStyle);
    assert.notEqual(outline, 'none', 'focus is visible');
  });

  it('ignores messages it does not know and malformed ones', async function () {
    await view.page.evaluate(() => {
      window.postMessage({ type: 'evil', html: '<img src=x onerror=alert(1)>' }, '*');
      window.postMessage({ type: 'append', turnId: 42, text: {} }, '*');
      window.postMessage('a string', '*');
      window.postMessage(null, '*');
    });
    await view.frames(2);
    assert.equal(await view.page.locator('.empty-state').count(), 1);
    await view.send({ type: 'turnStarted', turn: turn('t1', 'still works') });
    assert.equal(await view.page.locator('.question-text').innerText(), 'still works');
  });

  it('follows the display language: Persian strings and a right-to-left panel', async function () {
    await view.send(state([turn('t1', 'سلام', { answer: 'پاسخ', status: 'done' })], 'fa'));
    assert.equal(await view.page.locator('html').getAttribute('lang'), 'fa');
    assert.equal(await view.page.evaluate(() => getComputedStyle(document.body).direction), 'rtl');
    assert.equal(await view.page.locator('.answer-actions button').first().innerText(), 'رونوشت');
    assert.equal(await input().getAttribute('aria-label'), 'پرسش خود را بنویسید');
  });
});

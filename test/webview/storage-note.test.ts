// An answer the history kept shortened says so under its text, in the panel's language; other answers do not.
import assert from 'node:assert/strict';
import { state, turn } from './fixtures';
import { useWebviewPage, type WebviewPage } from './harness';

describe('answers shortened for storage (Chromium)', function () {
  let view: WebviewPage;
  useWebviewPage((opened) => {
    view = opened;
  });

  const note = (id: string) => view.page.locator(`article[data-turn-id="${id}"] .status-truncated`);

  it('shows "Shortened for storage" under a shortened answer only, with its code block closed', async function () {
    await view.send(state([
      turn('long', 'q1', { status: 'done', answer: 'Start of a long answer.\n\n```ts\nconst a = 1;\n```', truncatedForStorage: true }),
      turn('short', 'q2', { status: 'done', answer: 'A short answer.' }),
    ]));
    await note('long').waitFor();
    assert.match(await note('long').innerText(), /Shortened for storage/);
    assert.equal(await note('short').count(), 0);
    assert.equal(await view.page.locator('article[data-turn-id="long"] pre code').innerText(), 'const a = 1;');
  });

  it('says it in Persian in a Persian panel', async function () {
    await view.send(state([turn('long', 'q1', { status: 'done', answer: 'متن', truncatedForStorage: true })], 'fa'));
    await note('long').waitFor();
    assert.match(await note('long').innerText(), /برای نگه‌داری کوتاه شد/);
  });
});

// The panel's side of the one URL policy, in Chromium with the real bundle: a link in an answer, an image's link
// and a source's address are live exactly when the shared rule says so (the same table the host and the client
// are tested with), and a click asks the host to open exactly that address. An e-mail address stays readable text.
import assert from 'node:assert/strict';
import { urlCases } from '../core/url-cases';
import { state, turn } from './fixtures';
import { useWebviewPage, type WebviewPage } from './harness';

describe('links (Chromium)', function () {
  let view: WebviewPage;
  useWebviewPage((opened) => {
    view = opened;
  });

  it('a link, an image and a source are live exactly when the shared URL policy says so, and open that address', async function () {
    const answer = urlCases.map(([address], index) => `Case ${index}: [link ${index}](<${address}>) ![image ${index}](<${address}>)`).join('\n\n');
    const sources = urlCases.map(([address], index) => ({ title: `Source ${index}`, url: address }));
    await view.send(state([turn('t1', 'Links?', { answer, status: 'done', sources })]));
    await view.page.locator('details.sources summary').click();

    const shown = await view.page.evaluate(() => {
      const paragraphs = [...document.querySelectorAll('article .markdown p')];
      const sourceItems = [...document.querySelectorAll('article .source')];
      return {
        paragraphs: paragraphs.map((paragraph) => [...paragraph.querySelectorAll('a')].map((link) => link.getAttribute('href'))),
        sources: sourceItems.map((item) => item.querySelector('a')?.getAttribute('href') ?? null),
      };
    });
    assert.equal(shown.paragraphs.length, urlCases.length);
    urlCases.forEach(([address, verdict], index) => {
      assert.deepEqual(shown.paragraphs[index], verdict === undefined ? [] : [verdict, verdict], `answer: ${address}`);
      assert.equal(shown.sources[index], verdict ?? null, `source: ${address}`);
    });

    for (const link of await view.page.locator('article .markdown a, article .source a').all()) await link.click();
    const expected = urlCases.flatMap(([, verdict]) => (verdict === undefined ? [] : [verdict, verdict]));
    const expectedSources = urlCases.flatMap(([, verdict]) => (verdict === undefined ? [] : [verdict]));
    assert.deepEqual((await view.postedOfType('openLink')).map((message) => message.url), [...expected, ...expectedSources]);
    assert.equal(view.page.url(), 'https://tejarat-webview.test/', 'no navigation');
  });

  it('an e-mail link is text that still shows its address', async function () {
    const answer = 'Write to [the support team](mailto:support@tejarat.example?subject=Help) or <someone@tejarat.example>.';
    await view.send(state([turn('t1', 'Mail?', { answer, status: 'done' })]));
    const markdown = view.page.locator('article .markdown');
    assert.equal(await markdown.locator('a').count(), 0);
    assert.equal((await markdown.innerText()).trim(), 'Write to the support team (support@tejarat.example) or someone@tejarat.example.');
  });
});

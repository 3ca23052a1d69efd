// Nothing in an answer or a source may run, load or navigate. The XSS set goes through the real bundle in the real
// HTML (with its CSP) in Chromium; the page counts script runs (`window.__pwned`), network requests, and CSP
// violations (a request the CSP blocks never reaches the network, so it is counted there).
import assert from 'node:assert/strict';
import { chunk, state, turn, xssAnswer, xssSources } from './fixtures';
import { useWebviewPage, type WebviewPage } from './harness';

const forbiddenElements = 'script, img, svg, iframe, object, embed, video, audio, style, link, meta, form, frame, base, source, picture, math';

async function domFindings(view: WebviewPage) {
  return view.page.evaluate((forbidden) => {
    // The conversation: everything an answer, a question or a source can reach (the panel's own input is a form).
    const root = document.querySelector('.conversation') as HTMLElement;
    const elements = [...root.querySelectorAll(forbidden)].map((element) => element.tagName.toLowerCase());
    const handlers = [...root.querySelectorAll('*')].flatMap((element) =>
      [...element.attributes].filter((attribute) => /^on/i.test(attribute.name)).map((attribute) => `${element.tagName}.${attribute.name}`));
    const hrefs = [...root.querySelectorAll('[href], [src], [action], [formaction], [xlink\\:href]')]
      .map((element) => element.getAttribute('href') ?? element.getAttribute('src') ?? '')
      .filter((href) => !/^https?:/.test(href));
    return { elements, handlers, hrefs };
  }, forbiddenElements);
}

describe('security (Chromium)', function () {
  let view: WebviewPage;
  useWebviewPage((opened) => {
    view = opened;
  });

  it('the detectors work: a planted image is reported as a CSP violation', async function () {
    await view.page.evaluate(() => {
      const image = document.createElement('img');
      image.src = 'https://evil.example/canary.png';
      document.body.append(image);
    });
    await view.page.waitForFunction(() => (window as unknown as { __host: { cspViolations: string[] } }).__host.cspViolations.length > 0);
    assert.match((await view.host()).cspViolations.join(), /img-src https:\/\/evil\.example\/canary\.png/);
  });

  it('an XSS set in answers (streamed and whole) and in source titles, snippets and URLs runs nothing and requests nothing', async function () {
    await view.send(state([turn('t0', '<img src=x onerror="window.__pwned(\'question\')">', { answer: xssAnswer, status: 'done', sources: xssSources })]));
    await view.send({ type: 'turnStarted', turn: turn('t1', 'streamed <script>window.__pwned("q")</script>') });
    await view.page.evaluate((pieces) => {
      for (const text of pieces) window.postMessage({ type: 'append', turnId: 't1', text }, '*');
    }, chunk(xssAnswer, 400, 3));
    await view.send({ type: 'sources', turnId: 't1', sources: xssSources }, { type: 'turnEnded', turnId: 't1', status: 'done' });

    // Open every source list, hover and click everything that looks clickable.
    for (const summary of await view.page.locator('details.sources summary').all()) await summary.click();
    for (const target of await view.page.locator('.markdown p, .markdown li, .markdown td, .markdown pre, .source').all()) {
      await target.hover({ force: true, timeout: 500 }).catch(() => undefined);
    }
    for (const link of await view.page.locator('.markdown a, .source a, .link-removed, .image-link').all()) {
      await link.click({ force: true, timeout: 1000 }).catch(() => undefined);
    }
    await view.frames(10);
    await view.page.waitForTimeout(300);

    const host = await view.host();
    assert.deepEqual(host.pwned, [], 'no payload ran');
    assert.deepEqual(view.unexpectedRequests(), [], 'no request beyond the bundle');
    assert.deepEqual(host.cspViolations, [], 'nothing even tried to load');
    assert.equal(view.page.url(), 'https://tejarat-webview.test/', 'no navigation');
    const findings = await domFindings(view);
    assert.deepEqual(findings, { elements: [], handlers: [], hrefs: [] });

    // Clicked links reached the host only when http(s).
    const opened = (await view.postedOfType('openLink')).map((message) => message.url);
    assert.ok(opened.length > 0, 'safe links were clickable');
    for (const url of opened) assert.match(url, /^https?:/);
    assert.ok(!opened.some((url) => /javascript|data:|vbscript/i.test(url)));

    // Raw HTML is shown as text, and the streamed and whole renderings agree.
    const [whole, streamed] = await view.page.$$eval('article .markdown', (nodes) => nodes.map((node) => node.innerHTML));
    assert.equal(streamed, whole);
    const text = await view.page.locator('article[data-turn-id="t1"] .markdown').innerText();
    assert.match(text, /<script>window\.__pwned\('script-block'\)<\/script>/);
    assert.match(text, /<img src="https:\/\/evil\.example\/img\.png" onerror=/);
    assert.match(text, /<script>window\.__pwned\('entities'\)<\/script>/, 'entities decode to text, not markup');
    assert.match(await view.page.locator('article[data-turn-id="t1"] .source').first().innerText(), /<script>window\.__pwned\("source-title"\)<\/script>/);
    assert.equal(await view.page.locator('article[data-turn-id="t1"] .source a').count(), 1, 'only the https source is a link');
    // Images became labelled links to their address, never images.
    assert.ok(await view.page.locator('.image-link').count() >= 2);
  });

  it('never renders a javascript:, data: or mailto: address as a link, however it is disguised', async function () {
    const disguises = [
      '[a](javascript:alert(1))', '[b]( javascript:alert(1))', '[c](JaVaScRiPt:alert(1))', '[d](jav&#x09;ascript:alert(1))',
      '[e](jav&#97;script:alert(1))', '[f](&#106;avascript:alert(1))', '[g](data:text/html,<script>x</script>)',
      '[h](<javascript:alert(1)>)', '[i][ref]', '[j](vbscript:x)', '[k](file:///etc/passwd)', '[l](command:workbench.action.quit)',
      '[m](https://ok.example/path)', '[n](mailto:someone@example.com)',
    ];
    await view.send(state([]), { type: 'turnStarted', turn: turn('t1', 'q') },
      { type: 'append', turnId: 't1', text: `${disguises.join('\n\n')}\n\n[ref]: javascript:alert(1)\n` },
      { type: 'turnEnded', turnId: 't1', status: 'done' });
    const hrefs = await view.page.$$eval('.markdown a', (links) => links.map((link) => link.getAttribute('href')));
    assert.deepEqual(hrefs, ['https://ok.example/path']);
  });
});

// Citation markers in answers become chips tied to the turn's sources; the sources list links back to them and
// reads in the answer's direction. In Chromium with the real bundle, as a reader sees and uses the panel.
import assert from 'node:assert/strict';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import type { SourceView } from '../../src/shared/messages';
import { state, turn } from './fixtures';
import { launchChromium, useWebviewPage, WebviewPage } from './harness';

const sources: SourceView[] = [
  { title: 'Streaming answers', url: 'https://docs.example.com/streaming', snippet: 'The stream endpoint sends start, chunk, sources and end events.', score: 0.92, page: 3 },
  { title: 'Access token', url: 'https://docs.example.com/token', snippet: 'The token lives in SecretStorage only.', score: 0.81 },
  { title: 'Internal runbook', snippet: 'Restart the gateway, then check the health endpoint.', score: 0.5, page: 7 },
];

const sourcesFa: SourceView[] = [
  { title: 'پاسخ جریانی', url: 'https://docs.example.com/fa/streaming', snippet: 'نقطه‌ی پایانی جریانی رویدادهای start و chunk و sources و end را می‌فرستد.', score: 0.92 },
  { title: 'توکن دسترسی', url: 'https://docs.example.com/fa/token', snippet: 'توکن فقط در SecretStorage نگه‌داری می‌شود.', score: 0.81 },
  { title: 'Gateway runbook', snippet: 'Restart the gateway, then check the health endpoint.', score: 0.5 },
];

/** Each chip as `source number: shown text`, in document order. */
async function chips(view: WebviewPage, scope = 'article'): Promise<string[]> {
  return view.page.$$eval(`${scope} .citation-chip`, (nodes) => nodes.map((node) => `${(node as HTMLElement).dataset.source}:${node.textContent}`));
}

describe('citations (Chromium)', function () {
  let view: WebviewPage;
  useWebviewPage((opened) => {
    view = opened;
  });

  it('turns every marker form into chips: [1], [1, 2], [1][3], [^2], Persian and Arabic-Indic digits', async function () {
    const answer = 'One [1]. Two [1, 2]. Adjacent[1][3]. Footnote[^2]. Persian [۲] and [۱، ۳]. Arabic-Indic [٣].\n';
    await view.send(state([turn('t1', 'q', { answer, status: 'done', sources })]));
    assert.deepEqual(await chips(view), ['1:1', '1:1', '2:2', '1:1', '3:3', '2:2', '2:۲', '1:۱', '3:۳', '3:٣']);
    const text = await view.page.locator('article .markdown p').textContent();
    assert.ok(!text?.includes('['), `no bracket left: ${text}`);
  });

  it('leaves markers in code, in links, reference links and definitions, and markers naming no source, as text', async function () {
    const answer = [
      'Code `arr[1]` and a missing source [4] and [1, 9] and a year [2024].',
      '',
      '```js',
      'const x = list[1];',
      '```',
      '',
      'See [the docs][1] and [1].',
      '',
      '[1]: https://example.com/defined',
      '',
    ].join('\n');
    await view.send(state([turn('t1', 'q', { answer, status: 'done', sources })]));
    // `[1]` has a definition here, so it is a reference link, not a citation.
    assert.deepEqual(await chips(view), []);
    const paragraphs = await view.page.$$eval('article .markdown p', (nodes) => nodes.map((node) => node.textContent));
    assert.equal(paragraphs[0], 'Code arr[1] and a missing source [4] and [1, 9] and a year [2024].');
    assert.match(await view.page.locator('article .code-block code').textContent() ?? '', /list\[1\]/);
    const links = await view.page.$$eval('article .markdown a', (nodes) => nodes.map((node) => [node.textContent, node.getAttribute('href')]));
    assert.deepEqual(links, [['the docs', 'https://example.com/defined'], ['1', 'https://example.com/defined']]);
  });

  it('no chips without sources; sources arriving after the text turn the markers into chips', async function () {
    await view.send(state([]), { type: 'turnStarted', turn: turn('t1', 'q') });
    const text = 'First paragraph [1].\n\nSecond paragraph, no marker.\n\nThird [2] paragraph.\n\nStill `[1]` in code, and growing [1]';
    for (const piece of text.match(/[^]{1,9}/g) ?? []) await view.send({ type: 'append', turnId: 't1', text: piece });
    assert.deepEqual(await chips(view), []);
    await view.send({ type: 'sources', turnId: 't1', sources });
    assert.deepEqual(await chips(view), ['1:1', '2:2', '1:1']);
    await view.send({ type: 'turnEnded', turnId: 't1', status: 'done' });
    assert.deepEqual(await chips(view), ['1:1', '2:2', '1:1']);
  });

  it('hover and keyboard focus show the title, snippet and score; Esc closes; the chip describes itself', async function () {
    await view.send(state([turn('t1', 'q', { answer: 'Streams [1] with a token [2].\n', status: 'done', sources })]));
    const first = view.page.locator('article .citation-chip').first();
    assert.equal(await first.getAttribute('aria-label'), 'Source 1: Streaming answers');
    await first.hover();
    const tip = view.page.locator('[role="tooltip"]');
    await tip.waitFor();
    const text = await tip.textContent();
    assert.match(text ?? '', /Streaming answers/);
    assert.match(text ?? '', /The stream endpoint sends start, chunk, sources and end events\./);
    assert.match(text ?? '', /score 0\.92/);
    assert.equal(await first.getAttribute('aria-describedby'), await tip.getAttribute('id'));
    await view.page.mouse.move(5, 5);
    await tip.waitFor({ state: 'detached' });

    await view.page.locator('.composer-input').focus();
    const second = view.page.locator('article .citation-chip').nth(1);
    await second.focus();
    assert.match(await view.page.locator('[role="tooltip"]').textContent() ?? '', /Access token.*SecretStorage.*score 0\.81/);
    assert.equal(await second.evaluate((node) => node === document.activeElement), true);
    await view.page.keyboard.press('Escape');
    assert.equal(await view.page.locator('[role="tooltip"]').count(), 0);
  });

  it('a click opens an http(s) source through the host, and asks for a preview of a source without address', async function () {
    await view.send(state([turn('t1', 'q', { answer: 'Web [2], runbook [3].\n', status: 'done', sources })]));
    await view.page.locator('article .citation-chip[data-source="2"]').click();
    await view.page.locator('article .citation-chip[data-source="3"]').click();
    await view.page.locator('article .citation-chip[data-source="3"]').press('Enter');
    assert.deepEqual(await view.postedOfType('openLink'), [{ type: 'openLink', url: 'https://docs.example.com/token' }]);
    assert.deepEqual(await view.postedOfType('previewSource'), [
      { type: 'previewSource', turnId: 't1', index: 2 }, { type: 'previewSource', turnId: 't1', index: 2 },
    ]);
  });

  it('the sources list says how often each source is cited and links back to each chip', async function () {
    const filler = Array.from({ length: 30 }, (_, index) => `Filler paragraph ${index} to scroll.`).join('\n\n');
    const answer = `Start [1].\n\n${filler}\n\nMiddle [2] and again [1].\n\n${filler}\n\nEnd [1, 2].\n`;
    await view.send(state([turn('t1', 'q', { answer, status: 'done', sources })]));
    await view.page.locator('details.sources summary').click();
    const cited = await view.page.$$eval('.source', (nodes) => nodes.map((node) => node.querySelector('.source-cited > span')?.textContent ?? ''));
    assert.deepEqual(cited, ['cited 3×', 'cited 2×', '']);
    const backLinks = view.page.locator('.source').first().locator('.source-backlink');
    assert.equal(await backLinks.count(), 3);
    await backLinks.nth(1).click();
    const target = view.page.locator('article .citation-chip[data-source="1"]').nth(1);
    assert.equal(await target.evaluate((node) => node === document.activeElement), true);
    assert.equal(await target.evaluate((node) => node.classList.contains('citation-flash')), true);
    const box = await target.boundingBox();
    const viewport = view.page.viewportSize();
    assert.ok(box && viewport && box.y >= 0 && box.y + box.height <= viewport.height, 'the chip is scrolled into view');
  });

  it('the sources list under a Persian answer reads right to left; each title in its own direction', async function () {
    const answer = 'پاسخ جریانی متن را تکه‌تکه نشان می‌دهد [۱]. توکن در فضای امن می‌ماند [۲، ۳].\n';
    // An English panel: the list follows the answer, not the panel.
    await view.send(state([turn('t1', 'پرسش', { answer, status: 'done', sources: sourcesFa })]));
    await view.page.locator('details.sources summary').click();
    assert.equal(await view.page.locator('details.sources').evaluate((node) => getComputedStyle(node).direction), 'rtl');
    const titleDirs = await view.page.$$eval('.source-title', (nodes) => nodes.map((node) => node.getAttribute('dir')));
    assert.deepEqual(titleDirs, ['rtl', 'rtl', 'ltr']);
    // The item's number sits on the right of its right-aligned title.
    const first = view.page.locator('.source').first();
    const geometry = await first.evaluate((item) => {
      const title = item.querySelector('.source-title span, .source-title a') as HTMLElement;
      const list = item.parentElement as HTMLElement;
      return { item: item.getBoundingClientRect().right, title: title.getBoundingClientRect().right, list: list.getBoundingClientRect().right, padStart: getComputedStyle(list).paddingRight };
    });
    assert.ok(geometry.title <= geometry.item + 1 && geometry.item < geometry.list, JSON.stringify(geometry));
    assert.notEqual(geometry.padStart, '0px', 'the numbers have their room on the right');
  });
});

describe('citations screenshot (Chromium)', function () {
  let browser: Browser;
  before(async function () {
    browser = await launchChromium();
  });
  after(async function () {
    await browser?.close();
  });

  it('citations in a Persian answer, a tooltip open and the sources list shown', async function () {
    const outDir = join(process.cwd(), 'test-results', 'webview');
    await mkdir(outDir, { recursive: true });
    const view = await WebviewPage.open(browser, { locale: 'fa', theme: 'dark', height: 700 });
    try {
      const answer = [
        '## پاسخ جریانی',
        '',
        'پاسخ به‌صورت جریانی و تکه‌تکه می‌رسد و پنل فقط بخش در حال رشد را دوباره تجزیه می‌کند [۱].',
        '',
        'توکن دسترسی فقط در SecretStorage نگه‌داری می‌شود و هرگز به پنل نمی‌رسد [۲، ۳]. برای راه‌اندازی دوباره، راهنمای داخلی را ببینید [۳].',
        '',
        '```bash',
        'curl -N https://core.example/api/v1/query/stream  # [1] here is code, not a citation',
        '```',
        '',
      ].join('\n');
      await view.send(state([turn('t1', 'پاسخ جریانی چگونه کار می‌کند؟', { answer, status: 'done', sources: sourcesFa })], 'fa'));
      await view.page.locator('details.sources summary').click();
      await view.page.evaluate(() => document.fonts.ready);
      await view.highlighted();
      await view.page.locator('article .citation-chip').nth(1).hover();
      await view.page.locator('[role="tooltip"]').waitFor();
      await view.frames(3);
      assert.deepEqual(await chips(view), ['1:۱', '2:۲', '3:۳', '3:۳']);
      // The chip ends a right-to-left line, at the panel's left edge: its tooltip still fits in the panel.
      const tip = await view.page.locator('[role="tooltip"]').boundingBox();
      assert.ok(tip && tip.x >= 0 && tip.x + tip.width <= 520, JSON.stringify(tip));
      await view.page.screenshot({ path: join(outDir, 'citations-dark-fa.png'), fullPage: true });
    } finally {
      await view.close();
    }
  });
});

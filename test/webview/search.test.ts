// The panel's search in real Chromium: the field posts each keystroke's search, shows the host's results (title,
// turn, snippet with the match marked, each in its own direction), keyboard and click open a result, Esc closes
// without stopping an answer, a late answer to an older keystroke is ignored; and `revealTurn` scrolls the turn into
// view with the query's matches marked (Persian matched however it was typed) and the highlight then fades.
import assert from 'node:assert/strict';
import type { SearchHitView } from '../../src/shared/messages';
import { longConversation, state, turn } from './fixtures';
import { launchChromium, WebviewPage } from './harness';
import type { Browser } from 'playwright-core';

function hit(partial: Partial<SearchHitView>): SearchHitView {
  return { conversationId: 'c-old', title: 'Old', updatedAt: 1, turnId: 't1', turnIndex: 0, field: 'answer', snippet: 'x', marks: [], ...partial };
}

describe('search (Chromium)', function () {
  let browser: Browser;
  let view: WebviewPage;
  before(async () => {
    browser = await launchChromium();
  });
  after(async () => browser.close());
  afterEach(async () => view.close());

  const openSearch = async (): Promise<void> => {
    await view.page.locator('.search-toggle').click();
    // The field takes focus.
    await view.page.waitForFunction(() => document.activeElement?.classList.contains('search-input'));
  };
  const lastSearch = async () => (await view.postedOfType('search')).at(-1);

  it('English: results as you type, the match marked, arrows and Enter open one, Esc closes without stopping', async () => {
    view = await WebviewPage.open(browser, { locale: 'en' });
    await view.send(state([turn('now', 'A running question', { status: 'streaming', answer: 'Partial' })]));
    await openSearch();
    await view.page.locator('.search-input').pressSequentially('proxy');
    await view.waitForPosted('search', 5);
    const searches = await view.postedOfType('search');
    assert.deepEqual(searches.map((message) => message.query), ['p', 'pr', 'pro', 'prox', 'proxy']);
    const latest = searches.at(-1);
    assert.ok(latest);
    // A late answer to an older keystroke is not shown.
    await view.send({ type: 'searchResults', requestId: latest.requestId - 1, query: 'prox', hits: [hit({ title: 'stale' })], more: false });
    await view.send({
      type: 'searchResults', requestId: latest.requestId, query: 'proxy', more: false,
      hits: [
        hit({ conversationId: 'c-new', title: 'Network', turnId: 'a', turnIndex: 2, field: 'question', snippet: 'Why does the Proxy fail?', marks: [[13, 18]] }),
        hit({ conversationId: 'c-old', title: 'Setup', turnId: 'b', turnIndex: 0, field: 'answer', snippet: '…set http.proxy in settings…', marks: [[10, 15]] }),
      ],
    });
    await view.frames();
    const items = view.page.locator('.search-hit');
    assert.equal(await items.count(), 2);
    assert.equal(await view.page.locator('.search-count').innerText(), '2 results');
    assert.equal(await items.nth(0).locator('.search-hit-title').innerText(), 'Network');
    assert.equal(await items.nth(0).locator('.search-hit-where').innerText(), 'question 3');
    assert.deepEqual(await view.page.locator('.search-hit mark').allInnerTexts(), ['Proxy', 'proxy']);
    assert.equal(await items.nth(0).locator('.search-hit-snippet').getAttribute('dir'), 'ltr');
    await view.page.keyboard.press('ArrowDown');
    assert.equal(await items.nth(1).getAttribute('aria-selected'), 'true');
    await view.page.keyboard.press('Enter');
    assert.deepEqual(await view.postedOfType('openSearchResult'), [{ type: 'openSearchResult', conversationId: 'c-old', turnId: 'b', query: 'proxy' }]);
    assert.equal(await view.page.locator('.search').count(), 0, 'opening a result closes the search');

    await openSearch();
    await view.page.keyboard.press('Escape');
    assert.equal(await view.page.locator('.search').count(), 0, 'Esc closes the search');
    assert.equal((await view.postedOfType('stop')).length, 0, 'Esc in the search does not stop the answer');
  });

  it('Persian: results right to left, the match marked in its own spelling; a click opens it', async () => {
    view = await WebviewPage.open(browser, { locale: 'fa' });
    await view.send(state([], 'fa'));
    await openSearch();
    assert.equal(await view.page.locator('.search-input').getAttribute('placeholder'), 'جستجو در همه‌ی گفتگوها…');
    await view.page.locator('.search-input').fill('كليد دسترسي');
    await view.waitForPosted('search');
    const latest = await lastSearch();
    assert.equal(latest?.query, 'كليد دسترسي');
    assert.equal(await view.page.locator('.search-input').getAttribute('dir'), 'rtl');
    const snippet = '…برای تنظیم کلید دسترسی، فرمان را اجرا کنید…';
    const start = snippet.indexOf('کلید');
    await view.send({
      type: 'searchResults', requestId: latest?.requestId ?? 0, query: 'كليد دسترسي', more: true,
      hits: [hit({ title: 'تنظیم توکن', turnId: 'p1', turnIndex: 4, snippet, marks: [[start, start + 4], [start + 5, start + 11]] })],
    });
    await view.frames();
    assert.equal(await view.page.locator('.search-count').innerText(), '۱ نتیجه‌ی نخست');
    assert.equal(await view.page.locator('.search-hit-where').innerText(), 'پاسخ ۵');
    assert.equal(await view.page.locator('.search-hit-snippet').getAttribute('dir'), 'rtl');
    assert.equal(await view.page.locator('.search-hit-title').getAttribute('dir'), 'rtl');
    assert.deepEqual(await view.page.locator('.search-hit mark').allInnerTexts(), ['کلید', 'دسترسی']);
    // Right to left: the title starts at the right edge of the row.
    const row = await view.page.locator('.search-hit').boundingBox();
    const title = await view.page.locator('.search-hit-title').boundingBox();
    assert.ok(row && title && Math.abs(row.x + row.width - (title.x + title.width)) < 16, 'the title sits on the right');
    await view.page.locator('.search-hit').click();
    assert.deepEqual(await view.postedOfType('openSearchResult'), [{ type: 'openSearchResult', conversationId: 'c-old', turnId: 'p1', query: 'كليد دسترسي' }]);
  });

  it('revealTurn scrolls the turn into view and marks the matches, Persian typed with Arabic letters, then fades', async () => {
    view = await WebviewPage.open(browser, { locale: 'fa', height: 400 });
    const filler = Array.from({ length: 12 }, (_, k) => turn(`f${k}`, `پرسش ${k}`, { status: 'done', answer: 'متن '.repeat(80) }));
    const target = turn('target', 'تنظیم توکن؟', { status: 'done', answer: 'برای تنظیم کلید دسترسی، فرمان «تنظیم توکن» را اجرا کنید.' });
    // The result's state and the reveal arrive together, as the host sends them when it opens the conversation.
    await view.send(state([target, ...filler], 'fa'), { type: 'revealTurn', turnId: 'target', query: 'كليد دسترسي' });
    await view.page.waitForFunction(() => document.querySelector('[data-turn-id="target"]')?.classList.contains('turn-revealed'));
    const marked = await view.page.evaluate(() => {
      const highlight = (CSS as unknown as { highlights: Map<string, Iterable<Range>> }).highlights.get('tejarat-search');
      return highlight ? [...highlight].map((range) => range.toString()) : [];
    });
    assert.deepEqual(marked, ['کلید', 'دسترسی']);
    const inView = await view.page.evaluate(() => {
      const box = document.querySelector('[data-turn-id="target"] .markdown')?.getBoundingClientRect();
      const scroller = document.querySelector('.conversation')?.getBoundingClientRect();
      return box && scroller ? box.bottom > scroller.top && box.top < scroller.bottom : false;
    });
    assert.ok(inView, 'the answer with the match is on screen');
    // The mark fades: gone a few seconds later (bounded wait, no exact timing).
    await view.page.waitForFunction(() => !document.querySelector('[data-turn-id="target"]')?.classList.contains('turn-revealed')
      && !(CSS as unknown as { highlights: Map<string, unknown> }).highlights.has('tejarat-search'), undefined, { timeout: 15_000 });
  });

  it('revealTurn scrolls down to a turn far from the top in English', async () => {
    view = await WebviewPage.open(browser, { locale: 'en', height: 400 });
    const turns = Array.from({ length: 15 }, (_, k) => turn(`t${k}`, `Question ${k}`, { status: 'done', answer: 'Some text. '.repeat(60) }));
    turns.push(turn('last', 'Where is the PROXY setting?', { status: 'done', answer: 'Set http.proxy.' }));
    await view.send(state(turns));
    await view.frames();
    await view.page.evaluate(() => document.querySelector('.conversation')?.scrollTo(0, 0));
    await view.send({ type: 'revealTurn', turnId: 't2', query: 'question 2' });
    await view.page.waitForFunction(() => document.querySelector('[data-turn-id="t2"]')?.classList.contains('turn-revealed'));
    const marked = await view.page.evaluate(() => [...((CSS as unknown as { highlights: Map<string, Iterable<Range>> }).highlights.get('tejarat-search') ?? [])].map(String));
    assert.deepEqual(marked, ['Question', '2']);
  });

  it('revealTurn builds and shows a turn of a long conversation that was still an empty slot', async function () {
    this.timeout(60_000);
    view = await WebviewPage.open(browser, { locale: 'en', height: 600 });
    const turns = longConversation(100);
    await view.send(state(turns));
    await view.frames();
    assert.equal(await view.page.locator('[data-turn-id="h3"]').count(), 0, 'an old turn far from the view is not built');
    await view.send({ type: 'revealTurn', turnId: 'h3', query: 'question 3' });
    await view.page.waitForFunction(() => document.querySelector('[data-turn-id="h3"]')?.classList.contains('turn-revealed'), undefined, { timeout: 20_000 });
    const marked = await view.page.evaluate(() => [...((CSS as unknown as { highlights: Map<string, Iterable<Range>> }).highlights.get('tejarat-search') ?? [])].map(String));
    // Every word of the query is marked wherever it stands in the turn: the question's and the answer's.
    assert.ok(marked.includes('Question') && marked.includes('3'), `marked: ${marked.slice(0, 6).join(', ')}…`);
    // Turns above it are built as they come near and may move it for a frame or two; it ends on screen.
    await view.page.waitForFunction(() => {
      const box = document.querySelector('[data-turn-id="h3"] .question-text')?.getBoundingClientRect();
      const scroller = document.querySelector('.conversation')?.getBoundingClientRect();
      return box && scroller ? box.bottom > scroller.top && box.top < scroller.bottom : false;
    }, undefined, { timeout: 5_000 });
  });
});

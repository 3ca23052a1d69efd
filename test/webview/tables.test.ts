// Tables in a narrow panel (360 px), in Chromium with the real bundle: a wide table scrolls inside its own block
// and the page does not; a cell's words and its code are never broken across lines; cells still wrap between words.
import assert from 'node:assert/strict';
import type { Browser } from 'playwright-core';
import { state, turn } from './fixtures';
import { launchChromium, WebviewPage } from './harness';

const columns = 30;
const wide = [
  `| ${Array.from({ length: columns }, (_, index) => (index === 0 ? 'Setting' : index === 1 ? 'Default' : `Column ${index}`)).join(' | ')} |`,
  `|${' --- |'.repeat(columns)}`,
  `| ${Array.from({ length: columns }, (_, index) => (index === 0 ? '`tejarat.timeouts.firstEvent`' : index === 1 ? 'Default' : `allowInsecureHttp ${index}`)).join(' | ')} |`,
].join('\n');

const narrow = `| Setting | Meaning |
| --- | --- |
| \`tejarat.streamPath\` | The path of the streaming endpoint on the core, tried first for every question and again after a while |
| streamingFallback | Default |
`;

const answer = `A wide table:\n\n${wide}\n\nA narrow one:\n\n${narrow}`;

interface Measured {
  wrapScrolls: boolean[];
  pageScrollWidth: number;
  pageClientWidth: number;
  conversationScrollWidth: number;
  conversationClientWidth: number;
  /** For each probed word: the number of line boxes its text takes. */
  wordLines: Record<string, number>;
  codeLines: number[];
  longCellLines: number;
}

async function measure(view: WebviewPage): Promise<Measured> {
  return view.page.evaluate(() => {
    const wraps = [...document.querySelectorAll<HTMLElement>('.markdown .table-wrap')];
    const conversation = document.querySelector('.conversation') as HTMLElement;
    /** Line boxes a range of text occupies (one rect per line for a single text node). */
    const lines = (node: Node, start: number, end: number) => {
      const range = document.createRange();
      range.setStart(node, start);
      range.setEnd(node, end);
      return range.getClientRects().length;
    };
    const wordLines: Record<string, number> = {};
    const walker = document.createTreeWalker(document.querySelector('.markdown') as Node, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      if (!node.parentElement?.closest('td, th') || node.parentElement.closest('.inline-code')) continue;
      const text = node.textContent ?? '';
      for (const match of text.matchAll(/\S+/g)) {
        const word = match[0];
        wordLines[word] = Math.max(wordLines[word] ?? 0, lines(node, match.index, match.index + word.length));
      }
    }
    const codeLines = [...document.querySelectorAll('.markdown td .inline-code, .markdown th .inline-code')]
      .map((code) => code.getClientRects().length);
    const longCell = [...document.querySelectorAll('.markdown td')].find((cell) => (cell.textContent ?? '').startsWith('The path')) as HTMLElement;
    const longText = longCell.firstChild as Node;
    return {
      wrapScrolls: wraps.map((wrap) => wrap.scrollWidth > wrap.clientWidth),
      pageScrollWidth: document.documentElement.scrollWidth,
      pageClientWidth: document.documentElement.clientWidth,
      conversationScrollWidth: conversation.scrollWidth,
      conversationClientWidth: conversation.clientWidth,
      wordLines,
      codeLines,
      longCellLines: lines(longText, 0, (longText.textContent ?? '').length),
    };
  });
}

describe('tables at 360 px (Chromium)', function () {
  let browser: Browser;
  before(async function () {
    browser = await launchChromium();
  });
  after(async function () {
    await browser.close();
  });

  for (const locale of ['en', 'fa'] as const) {
    it(`a 30-column table scrolls in its block, not the page; words and code in cells stay whole (${locale})`, async function () {
      const view = await WebviewPage.open(browser, { width: 360, height: 700, locale });
      try {
        await view.send(state([turn('t1', 'Settings?', { answer, status: 'done' })], locale));
        await view.highlighted();
        const measured = await measure(view);
        assert.deepEqual(measured.wrapScrolls, [true, false], 'the wide table scrolls inside its block; the narrow one fits');
        assert.ok(measured.pageScrollWidth <= measured.pageClientWidth, `the page does not scroll sideways (${measured.pageScrollWidth} > ${measured.pageClientWidth})`);
        assert.ok(measured.conversationScrollWidth <= measured.conversationClientWidth, 'nor does the conversation');
        for (const word of ['Default', 'Setting', 'allowInsecureHttp', 'streamingFallback', 'streaming', 'endpoint']) {
          assert.equal(measured.wordLines[word], 1, `«${word}» on one line`);
        }
        assert.ok(Object.values(measured.wordLines).every((count) => count === 1), JSON.stringify(measured.wordLines));
        assert.deepEqual(measured.codeLines, [1, 1], 'code in a cell is never broken');
        assert.ok(measured.longCellLines > 1, 'a long cell still wraps, between words');
      } finally {
        await view.close();
      }
    });
  }
});

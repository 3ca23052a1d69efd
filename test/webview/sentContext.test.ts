// What was sent with a question, under the question, in real Chromium: one compact line ("Problem: … in
// file.ts:12", "Terminal output from bash, 4 lines") that opens to the exact text sent, in English and Persian,
// each part in its own direction. Screenshots go to test-results/webview/ for people to look at.
import assert from 'node:assert/strict';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import type { SentContext } from '../../src/shared/messages';
import { state, turn } from './fixtures';
import { launchChromium, WebviewPage } from './harness';

const outDir = join(process.cwd(), 'test-results', 'webview');

const problemText = [
  "Problem (error, ts, code 2552): Cannot find name 'subtotl'. Did you mean 'subtotal'?",
  'File: src/cart/total.ts (typescript), line 12, column 15',
  "Code, lines 2-22 (the problem's lines are marked with >>):",
  '```typescript',
  '   11 | const tax = subtotal * rate;',
  '>> 12 | const total = subtotl + tax;',
  '      |               ^^^^^^^',
  '   13 | export { total };',
  '```',
].join('\n');

const problem: SentContext = {
  kind: 'problem',
  summary: "Cannot find name 'subtotl'. Did you mean 'subtotal'?",
  location: 'total.ts:12',
  lines: 3,
  truncated: false,
  text: problemText,
};

const terminal: SentContext = {
  kind: 'terminal',
  summary: 'bash',
  lines: 4,
  truncated: true,
  text: 'Terminal output selected in "bash" (the first 196 of 200 lines are left out):\n```text\n$ npm run build\nخطا: ماژول پیدا نشد\nnpm ERR! code 1\n```',
};

describe('sent context under the question (Chromium)', function () {
  let browser: Browser;
  before(async function () {
    browser = await launchChromium();
    await mkdir(outDir, { recursive: true });
  });
  after(async function () {
    await browser?.close();
  });

  it('shows a problem compactly and opens to exactly the text sent', async function () {
    const view = await WebviewPage.open(browser, { locale: 'en', theme: 'dark' });
    try {
      await view.send(state([
        turn('t1', 'Explain this problem and how to fix it.', { context: problem, answer: 'Rename `subtotl`.', status: 'done' }),
        turn('t2', 'A plain question', { answer: 'Plain.', status: 'done' }),
      ]));
      const line = view.page.locator('article[data-turn-id="t1"] .sent-context summary');
      // textContent: the label's parts are flex items, which innerText would put on lines of their own.
      assert.equal(await line.textContent(), "Problem: Cannot find name 'subtotl'. Did you mean 'subtotal'? in total.ts:12");
      assert.equal(await view.page.locator('article[data-turn-id="t2"] .sent-context').count(), 0, 'nothing sent, nothing shown');
      const text = view.page.locator('article[data-turn-id="t1"] .sent-context-text');
      assert.equal(await text.isVisible(), false, 'collapsed at first');
      await line.click();
      assert.equal(await text.isVisible(), true);
      assert.equal(await text.textContent(), problemText, 'the exact text sent');
      assert.equal(await text.evaluate((element) => getComputedStyle(element).direction), 'ltr');
      // It sits under the question, above the answer.
      const order = await view.page.locator('article[data-turn-id="t1"]').evaluate((article) =>
        [...article.querySelectorAll('.question-text, .sent-context, .markdown')].map((element) => element.className.split(' ')[0]));
      assert.deepEqual(order, ['question-text', 'sent-context', 'markdown']);
      await view.page.screenshot({ path: join(outDir, 'sent-context-problem-dark-en.png') });
    } finally {
      await view.close();
    }
  });

  it('in Persian: the sentence runs right to left, the English message and the file keep their direction', async function () {
    const view = await WebviewPage.open(browser, { locale: 'fa', theme: 'light' });
    try {
      await view.send(state([
        turn('t1', 'این مشکل را توضیح بده و بگو چطور رفعش کنم.', { context: problem, answer: 'نام `subtotl` را درست کنید.', status: 'done' }),
        turn('t2', 'چرا ساخت شکست خورد؟', { context: terminal, answer: 'ماژول نصب نیست.', status: 'done' }),
      ], 'fa'));
      const first = view.page.locator('article[data-turn-id="t1"] .sent-context');
      assert.equal(await first.locator('summary').textContent(), "مشکل: Cannot find name 'subtotl'. Did you mean 'subtotal'? در total.ts:12");
      assert.equal(await first.evaluate((element) => getComputedStyle(element).direction), 'rtl');
      assert.equal(await first.locator('.sent-context-summary').getAttribute('dir'), 'ltr');
      assert.equal(await first.locator('.sent-context-location').getAttribute('dir'), 'ltr');
      // Right to left: the label's start ("مشکل:") is at the right of the English message.
      const boxes = await first.locator('summary').evaluate((summary) => {
        const label = summary.querySelector('.sent-context-label') as HTMLElement;
        const message = summary.querySelector('.sent-context-summary') as HTMLElement;
        return { label: label.getBoundingClientRect().right, message: message.getBoundingClientRect().right };
      });
      assert.ok(boxes.label > boxes.message + 10, JSON.stringify(boxes));

      const second = view.page.locator('article[data-turn-id="t2"] .sent-context summary');
      assert.equal(await second.locator('.sent-context-label').textContent(), 'خروجی ترمینال bash، ۴ سطر');
      assert.equal(await second.locator('.sent-context-note').textContent(), 'کوتاه‌شده');
      await second.click();
      assert.equal(await view.page.locator('article[data-turn-id="t2"] .sent-context-text').textContent(), terminal.text);
      await view.page.evaluate(() => document.fonts.ready);
      await view.page.screenshot({ path: join(outDir, 'sent-context-light-fa.png') });
    } finally {
      await view.close();
    }
  });

  it('in a narrow panel the message shrinks with an ellipsis while the file name stays whole', async function () {
    const view = await WebviewPage.open(browser, { width: 300 });
    try {
      await view.send(state([turn('t1', 'Explain this problem and how to fix it.', { context: problem, answer: 'a', status: 'done' })]));
      const sizes = await view.page.locator('.sent-context summary').evaluate((summary) => {
        const message = summary.querySelector('.sent-context-summary') as HTMLElement;
        const location = summary.querySelector('.sent-context-location') as HTMLElement;
        return {
          messageCut: message.scrollWidth > message.clientWidth,
          locationWhole: location.scrollWidth <= location.clientWidth + 1,
          locationInside: location.getBoundingClientRect().right <= summary.getBoundingClientRect().right + 1,
        };
      });
      assert.deepEqual(sizes, { messageCut: true, locationWhole: true, locationInside: true });
      await view.page.screenshot({ path: join(outDir, 'sent-context-narrow-en.png') });
    } finally {
      await view.close();
    }
  });

  it('an editor selection shows its file and lines; one line is "1 line"', async function () {
    const view = await WebviewPage.open(browser);
    try {
      const selection: SentContext = { kind: 'selection', summary: 'add.js', location: 'add.js:3-5', lines: 3, truncated: false, text: 'File: add.js (javascript), lines 3-5\n```javascript\nx\n```' };
      await view.send(state([
        turn('t1', 'What does this do?', { context: selection, answer: 'a', status: 'done' }),
        turn('t2', 'And this?', { context: { ...selection, location: 'add.js:7', lines: 1 }, answer: 'b', status: 'done' }),
      ]));
      assert.equal(await view.page.locator('article[data-turn-id="t1"] .sent-context-label').textContent(), 'Selection from add.js:3-5, 3 lines');
      assert.equal(await view.page.locator('article[data-turn-id="t2"] .sent-context-label').textContent(), 'Selection from add.js:7, 1 line');
      assert.equal(await view.page.locator('article[data-turn-id="t1"] .sent-context .codicon-selection').count(), 1);
    } finally {
      await view.close();
    }
  });

  it('a malformed context from the host shows nothing rather than breaking the turn', async function () {
    const view = await WebviewPage.open(browser);
    try {
      const bad = { kind: 'script', text: '<img src=x onerror=__pwned(1)>' } as unknown as SentContext;
      await view.send(state([turn('t1', 'q', { context: bad, answer: 'a', status: 'done' })]));
      assert.equal(await view.page.locator('article[data-turn-id="t1"] .markdown').innerText(), 'a');
      assert.equal(await view.page.locator('.sent-context').count(), 0);
    } finally {
      await view.close();
    }
  });
});

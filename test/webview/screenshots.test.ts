// Screenshots in light, dark and high contrast, English and Persian, saved to test-results/webview/ for people to
// look at. Each also checks what a reader would notice first: the panel's direction and a highlighted code block.
import assert from 'node:assert/strict';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import type { Locale } from '../../src/shared/messages';
import { richAnswerEn, richAnswerFa, sourcesEn, sourcesFa, state, turn } from './fixtures';
import { launchChromium, WebviewPage } from './harness';
import type { ThemeName } from './themes';

const outDir = join(process.cwd(), 'test-results', 'webview');
const questions: Record<Locale, [string, string]> = {
  en: ['How does streaming work in the chat panel?', 'And what happens when the connection drops?'],
  fa: ['پاسخ جریانی در پنل گفتگو چگونه کار می‌کند؟', 'اگر اتصال قطع شود چه می‌شود؟'],
};
const partial: Record<Locale, string> = {
  en: 'When the connection drops **before** any text arrives, the extension retries with backoff. Once text has',
  fa: 'اگر اتصال **پیش از** رسیدن متن قطع شود، افزونه با فاصله‌ی فزاینده دوباره تلاش می‌کند. اگر متن',
};

describe('screenshots (Chromium)', function () {
  let browser: Browser;

  before(async function () {
    browser = await launchChromium();
    await mkdir(outDir, { recursive: true });
  });
  after(async function () {
    await browser?.close();
  });

  for (const theme of ['light', 'dark', 'high-contrast'] as ThemeName[]) {
    for (const locale of ['en', 'fa'] as Locale[]) {
      it(`conversation, ${theme}, ${locale}`, async function () {
        const view = await WebviewPage.open(browser, { locale, theme, height: 1500 });
        try {
          const answer = locale === 'fa' ? richAnswerFa : richAnswerEn;
          await view.send(state([
            turn('t1', questions[locale][0], {
              answer, status: 'done', mode: 'fallback', sources: locale === 'fa' ? sourcesFa : sourcesEn,
              metadata: { model: 'gpt-4', tokens: 412, processingTimeMs: 2480, cached: false },
            }),
            turn('t2', questions[locale][1], { answer: partial[locale], status: 'cut-off' }),
          ], locale));
          await view.page.locator('details.sources summary').first().click();
          await view.page.locator('.composer-input').fill(locale === 'fa' ? 'پرسش بعدی درباره‌ی React' : 'A follow-up question');
          await view.page.evaluate(() => document.fonts.ready);
          await view.highlighted();
          await view.frames(3);
          const dir = await view.page.evaluate(() => getComputedStyle(document.querySelector('.conversation') as Element).direction);
          assert.equal(dir, locale === 'fa' ? 'rtl' : 'ltr');
          assert.ok(await view.page.locator('.code-block .hljs-keyword, .code-block .hljs-built_in').count() > 0);
          await view.page.screenshot({ path: join(outDir, `conversation-${theme}-${locale}.png`), fullPage: true });
        } finally {
          await view.close();
        }
      });
    }
  }

  for (const locale of ['en', 'fa'] as Locale[]) {
    it(`empty state without a token, streaming caret, ${locale}`, async function () {
      const view = await WebviewPage.open(browser, { locale, theme: 'dark', height: 560 });
      try {
        await view.send(state([], locale, false));
        await view.page.evaluate(() => document.fonts.ready);
        assert.equal(await view.page.locator('.token-callout button').count(), 1);
        await view.page.screenshot({ path: join(outDir, `empty-no-token-dark-${locale}.png`) });
        await view.send(state([], locale, true), { type: 'turnStarted', turn: turn('t1', questions[locale][0]) },
          { type: 'append', turnId: 't1', text: (locale === 'fa' ? richAnswerFa : richAnswerEn).slice(0, 420) });
        await view.page.evaluate(() => document.fonts.ready);
        await view.frames(2);
        await view.page.screenshot({ path: join(outDir, `streaming-dark-${locale}.png`) });
      } finally {
        await view.close();
      }
    });
  }
});

// Check Connection in the window's display language: run.mjs runs the suites titled "Persian panel" again in a
// window started in Persian, where VS Code loads the extension's Persian l10n bundle. There every line is Persian
// and the numbers have Persian digits; in the English window the same lines are English.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { CheckResult } from '../../../src/chat/checkConnection';
import { useCore } from './helpers';

suite('Persian panel: Check Connection', () => {
  useCore();
  const persian = process.env.TEJARAT_SUITE_LOCALE === 'fa';

  test("Check Connection's timings, network path, trust and limits speak the window's language, with its digits", async () => {
    const result = await vscode.commands.executeCommand<CheckResult>('tejarat.checkConnection');
    assert.equal(result.ok, true, result.lines.join(' | '));
    const [, , , timings, network, trust, limits] = result.lines;
    if (persian) {
      assert.match(timings ?? '', /^زمان‌ها: اتصال [۰-۹٬]+ میلی‌ثانیه، سرآیندها [۰-۹٬]+ میلی‌ثانیه، نخستین رویداد [۰-۹٬]+ میلی‌ثانیه، کل [۰-۹٬]+ میلی‌ثانیه\.$/);
      assert.equal(network, 'شبکه: تنظیمات پراکسی VS Code (پراکسی سیستم یا مستقیم؛ http.proxy تنظیم نشده).');
      assert.equal(trust, 'گواهی‌ها: هیچ (http ساده).');
      assert.equal(limits, 'محدودیت‌های زمانی (tejarat.timeouts): اتصال ۱۰ ثانیه، پاسخ ۱۸۰ ثانیه، سکوت ۶۰ ثانیه.');
      // No English sentence of ours: every line carries Persian words (names such as "Core" or settings may stay Latin).
      for (const line of result.lines) assert.match(line, /[\u0600-\u06FF]{2}/, line);
    } else {
      assert.match(timings ?? '', /^Timings: connect [\d,]+ ms, headers [\d,]+ ms, first event [\d,]+ ms, total [\d,]+ ms\.$/);
      assert.equal(limits, 'Time limits (tejarat.timeouts): connect 10 s, answer 180 s, idle 60 s.');
    }
  });
});

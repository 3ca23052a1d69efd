// The language a question is sent with, by its words: the table a user's questions fall into, and the choices
// around it (the setting wins, the display language when the words say nothing).
import assert from 'node:assert/strict';
import { questionLanguage, textLanguage, type TextLanguage } from '../../src/shared/direction';

const table: ReadonlyArray<readonly [string, TextLanguage | undefined]> = [
  // Persian with English product names, commands, code, paths and addresses
  ['چطور SecretStorage را در GNOME Keyring تنظیم کنم؟', 'fa'],
  ['Docker چیست؟', 'fa'],
  ['تفاوت React Native و Flutter در چیست؟', 'fa'],
  ['تفاوت React Native و Flutter', 'fa'],
  ['React یک کتابخانه‌ی جاوااسکریپت است؟', 'fa'],
  ['چرا VS Code Server روی WSL کند است؟', 'fa'],
  ['در Visual Studio Code Remote SSH چطور کلید SSH Agent را Forward کنم؟', 'fa'],
  ['چطور npm install را پشت proxy اجرا کنم؟', 'fa'],
  ['با git rebase -i چطور چند commit را squash کنم؟', 'fa'],
  ['خطای ECONNREFUSED 127.0.0.1:8787 یعنی چه؟', 'fa'],
  ['چرا `const x = await fetch(url)` در Node 18 خطا می‌دهد؟', 'fa'],
  ['این کد چه کار می‌کند؟\n```ts\nexport function add(a: number, b: number): number {\n  return a + b;\n}\n```', 'fa'],
  ['این خطا را چطور رفع کنم؟\n```\nError: unable to get local issuer certificate\n    at TLSSocket.onConnectSecure (node:_tls_wrap:1674:34)\n```', 'fa'],
  ['فایل /etc/nginx/sites-available/default را چطور ویرایش کنم؟', 'fa'],
  ['مسیر C:\\Users\\me\\AppData\\Roaming\\Code\\User\\settings.json کجاست؟', 'fa'],
  ['مستندات https://docs.example.com/tejarat/streaming/overview را خلاصه کن', 'fa'],
  ['گزینه‌ی --password-store=basic برای VS Code چه می‌کند؟', 'fa'],
  ['tejarat.coreUrl را کجا تنظیم کنم؟', 'fa'],
  ['متغیر HTTPS_PROXY و NO_PROXY را چطور بگذارم؟', 'fa'],
  ['کاربرد useEffect و useMemo در React چیست؟', 'fa'],
  ['سرور Kubernetes من خطای 503 Service Unavailable می‌دهد', 'fa'],
  ['Kafka یا RabbitMQ؟ کدام برای صف پیام بهتر است؟', 'fa'],
  ['آیا TLS 1.3 از HTTP/2 پشتیبانی می‌کند؟', 'fa'],
  ['چطور یک Pull Request در GitHub باز کنم؟', 'fa'],
  ['سلام', 'fa'],
  ['می‌شود با Python و pandas یک فایل CSV بزرگ را خواند؟', 'fa'],
  ['در لینوکس، SecretStorage به کی‌رینگ سیستم (keyring، مثلاً GNOME Keyring یا KWallet) نیاز دارد؟', 'fa'],
  // English with a Persian word or two
  ['What does تجارت mean?', 'en'],
  ['How do I use the تجارت chat in VS Code?', 'en'],
  ['Is «سلام» a greeting?', 'en'],
  ['Translate کتابخانه into English, please.', 'en'],
  ['Why does the panel show «خطا» after a timeout?', 'en'],
  // English with products, commands, code
  ['How do I configure SecretStorage in GNOME Keyring?', 'en'],
  ['How do I run npm install behind a proxy?', 'en'],
  ['What is the difference between React Native and Flutter?', 'en'],
  ['Why does `fetch` fail with UNABLE_TO_VERIFY_LEAF_SIGNATURE?', 'en'],
  ['Explain this:\n```python\nprint("سلام دنیا")\n```', 'en'],
  ['Where is ~/.config/Code/User/settings.json on Linux?', 'en'],
  ['I get HTTP 429 from the core. What should I do?', 'en'],
  ['hello', 'en'],
  // Only names, only code, nothing at all
  ['Docker Compose', 'en'],
  ['GNOME Keyring KWallet', 'en'],
  ['`npm run build`', undefined],
  ['```\nls -la /var/log\n```', undefined],
  ['https://core.tejarat.chat/api/v1/query', undefined],
  ['42 + 17 = ?', undefined],
  ['۱۲۳۴', undefined],
  ['', undefined],
  // Ties: Persian wins, as a Persian question leans on English terms
  ['Explain تجارت', 'fa'],
  ['Kubernetes چیه', 'fa'],
];

describe('question language by words', function () {
  it(`reads the language of ${table.length} questions`, function () {
    assert.ok(table.length >= 40);
    const wrong = table.filter(([text, expected]) => textLanguage(text) !== expected).map(([text, expected]) => `${expected ?? 'none'} ← ${text}`);
    assert.deepEqual(wrong, []);
  });

  it('a code block still streaming in (no closing fence) does not vote', function () {
    assert.equal(textLanguage('این تابع چیست؟\n```js\nconst result = items.filter(item => item.enabled).map(item => item.name)'), 'fa');
  });

  it('reads a long pasted text (a token, a log line, backticks) in one pass, not once per position', function () {
    // Scanned again from every position, each of these takes minutes at this length; in one pass, milliseconds.
    const started = performance.now();
    for (const unit of ['a', 'a-', 'a.', '`', '~', 'C:', 'a_', 'ab ', 'a@']) textLanguage(unit.repeat(100_000 / unit.length));
    assert.ok(performance.now() - started < 5_000, `${Math.round(performance.now() - started)} ms`);
  });

  it('sends the setting when it names a language, else the words, else the display language', function () {
    assert.equal(questionLanguage('چطور SecretStorage را در GNOME Keyring تنظیم کنم؟', 'auto', 'en'), 'fa');
    assert.equal(questionLanguage('How do I set the token?', 'auto', 'fa'), 'en');
    assert.equal(questionLanguage('How do I set the token?', 'auto', 'en-US'), 'en');
    assert.equal(questionLanguage('Wie setze ich das Token?', 'auto', 'de-CH'), 'de');
    assert.equal(questionLanguage('`npm run build`', 'auto', 'fa'), 'fa');
    assert.equal(questionLanguage('42', 'auto', 'en'), 'en');
    assert.equal(questionLanguage('سلام', 'en', 'fa'), 'en');
    assert.equal(questionLanguage('hello', 'fa', 'en'), 'fa');
  });
});

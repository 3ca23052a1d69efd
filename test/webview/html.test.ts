// The webview HTML and the small pure helpers behind safe rendering.
import assert from 'node:assert/strict';
import { contentSecurityPolicy, renderWebviewHtml } from '../../src/views/webviewHtml';
import { decodeEntities } from '../../webview/markdown/entities';
import { safeUrl } from '../../webview/markdown/urls';

const base = {
  cspSource: 'https://file+.vscode-resource.vscode-cdn.net',
  scriptUri: 'https://file+.vscode-resource.vscode-cdn.net/ext/dist/webview.js',
  styleUri: 'https://file+.vscode-resource.vscode-cdn.net/ext/dist/webview.css',
  nonce: 'b64Nonce0123456789abcdefABCDEF==',
} as const;

describe('webview HTML', function () {
  it('has the strict CSP, the nonce on the only script, and no inline style or script', function () {
    const html = renderWebviewHtml({ ...base, locale: 'en', dir: 'ltr' });
    assert.equal(
      contentSecurityPolicy(base.cspSource, base.nonce),
      `default-src 'none'; script-src 'nonce-${base.nonce}'; style-src ${base.cspSource}; font-src ${base.cspSource}; img-src ${base.cspSource} data:`,
    );
    assert.ok(html.includes(`content="${contentSecurityPolicy(base.cspSource, base.nonce).replace(/'/g, '&#39;')}"`));
    assert.equal(html.match(/<script/g)?.length, 1);
    assert.ok(html.includes(`<script nonce="${base.nonce}" src="${base.scriptUri}"></script>`));
    assert.ok(!/<style|style=/.test(html));
    assert.match(html, /<html lang="en" dir="ltr">/);
    assert.ok(!html.includes('preload'), 'no font preload for English');
  });

  it('sets Persian and right to left, and preloads the Persian font', function () {
    const html = renderWebviewHtml({ ...base, locale: 'fa', dir: 'rtl', fontUri: `${base.cspSource}/ext/dist/fonts/Vazirmatn-Variable.woff2` });
    assert.match(html, /<html lang="fa" dir="rtl">/);
    assert.match(html, /<link rel="preload" href="[^"]+Vazirmatn-Variable\.woff2" as="font" type="font\/woff2" crossorigin>/);
  });

  it('escapes attribute values and refuses a weak nonce or a CSP source that could rewrite the policy', function () {
    const html = renderWebviewHtml({ ...base, scriptUri: 'https://x/"><script>alert(1)</script>', locale: 'en', dir: 'ltr' });
    assert.ok(html.includes('src="https://x/&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;"'));
    assert.throws(() => renderWebviewHtml({ ...base, nonce: 'short', locale: 'en', dir: 'ltr' }));
    assert.throws(() => renderWebviewHtml({ ...base, cspSource: "https://a; script-src 'unsafe-inline'", locale: 'en', dir: 'ltr' }));
    // VS Code 1.100's real value: quoted keywords and spaces are fine.
    const real = renderWebviewHtml({ ...base, cspSource: "'self' https://*.vscode-cdn.net", locale: 'en', dir: 'ltr' });
    assert.ok(real.includes('style-src &#39;self&#39; https://*.vscode-cdn.net;'));
  });
});

describe('safe addresses and entities', function () {
  it('allows only http and https (mailto is text, as everywhere else)', function () {
    assert.equal(safeUrl('https://example.com/a b?q=1#x'), 'https://example.com/a%20b?q=1#x');
    for (const bad of ['mailto:someone@example.com', 'javascript:alert(1)', ' JAVASCRIPT:alert(1)', 'java\tscript:alert(1)', 'jav&#x61;script:alert(1)',
      '&#106;avascript:x', 'data:text/html,x', 'vbscript:x', 'file:///etc/passwd', 'command:workbench.action.quit',
      '/relative', '//evil.example/x', 'http://', '', undefined]) {
      assert.equal(safeUrl(bad), undefined, String(bad));
    }
  });

  it('decodes character references once, and leaves unknown ones as written', function () {
    assert.equal(decodeEntities('&lt;b&gt; &amp;lt; &#1604; &#x1F600; &zwnj; &bogus; &#0;'), '<b> &lt; ل 😀 \u200c &bogus; \ufffd');
  });
});

// Which core URLs may carry the token: the one rule the CLI and the extension share.
import assert from 'node:assert/strict';
import { checkCoreUrl, isLoopbackHost } from '../../src/core';

describe('core URL policy', function () {
  it('accepts https anywhere and plain http only to this machine', function () {
    for (const url of ['https://core.tejarat.chat', 'https://10.0.0.5:8443/base', 'http://127.0.0.1:8080', 'http://127.3.4.5', 'http://localhost:3000', 'http://[::1]:9000', 'http://api.localhost']) {
      const checked = checkCoreUrl(url, false);
      assert.equal(checked.ok, true, url);
    }
  });

  it('refuses plain http to another host unless allowed, naming the host', function () {
    for (const url of ['http://core.example.invalid', 'http://10.0.0.5:8080', 'http://128.0.0.1', 'http://localhost.evil.example', 'http://[::2]']) {
      const checked = checkCoreUrl(url, false);
      assert.equal(checked.ok, false, url);
      if (!checked.ok) {
        assert.equal(checked.code, 'insecure-http');
        assert.equal(checked.params.host, new URL(url).host);
        assert.match(checked.message, /^Refusing to send your token in clear text to /);
      }
      assert.equal(checkCoreUrl(url, true).ok, true, `${url} allowed`);
    }
  });

  it('refuses other schemes, credentials and what is no URL, whatever is allowed', function () {
    const cases: Array<[string, string, Record<string, string>]> = [
      ['ftp://core.example', 'bad-url-scheme', { scheme: 'ftp:' }],
      ['javascript:alert(1)', 'bad-url-scheme', { scheme: 'javascript:' }],
      ['https://user:pass@core.example', 'url-credentials', {}],
      ['core.example', 'bad-url', { url: 'core.example' }],
    ];
    for (const [url, code, params] of cases) {
      const checked = checkCoreUrl(url, true);
      assert.deepEqual(checked.ok ? undefined : { code: checked.code, params: checked.params }, { code, params }, url);
    }
  });

  it('knows loopback addresses, IPv4-mapped ones included', function () {
    assert.ok(isLoopbackHost('[::ffff:7f00:1]'));
    assert.ok(!isLoopbackHost('[::ffff:a00:1]'));
    assert.ok(isLoopbackHost('LOCALHOST'));
  });
});

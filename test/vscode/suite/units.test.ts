// The extension's pure decisions, checked inside VS Code (they read vscode.l10n and settings types):
// which core URLs are allowed, when the proxy is used, code-only inserts, the status bar.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { summarize } from '../../../src/chat/checkConnection';
import { codeOnly } from '../../../src/chat/insert';
import type { CheckReport } from '../../../src/core/types';
import { checkCoreUrl, proxyFor, readSettings, type TejaratSettings } from '../../../src/config';
import { statusKind } from '../../../src/statusBar';
import type { TejaratTestApi } from '../../../src/extension';
import type { RunningCoreServer } from '../../core-server/server';
import { ask, setSetting, startCore, stopCore } from './helpers';

suite('Decisions', () => {
  test('core URLs: https and loopback http pass; other http only when allowed; other schemes never', () => {
    const allowed = (url: string, insecure = false): boolean => checkCoreUrl(url, insecure).ok;
    assert.equal(allowed('https://core.tejarat.chat'), true);
    assert.equal(allowed('http://127.0.0.1:8787'), true);
    assert.equal(allowed('http://localhost:8787/base'), true);
    assert.equal(allowed('http://[::1]:8787'), true);
    assert.equal(allowed('http://core.tejarat.chat'), false);
    assert.equal(allowed('http://10.0.0.5'), false);
    assert.equal(allowed('http://localhost.evil.example'), false);
    assert.equal(allowed('http://core.tejarat.chat', true), true);
    assert.equal(allowed('ftp://core.tejarat.chat', true), false);
    assert.equal(allowed('not a url'), false);
    const credentials = checkCoreUrl('https://me:secret@core.tejarat.chat', false);
    assert.equal(credentials.ok, false, 'a password in the URL would reach logs and settings sync');
    assert.match(credentials.ok ? '' : credentials.message, /Set Access Token/);
    assert.doesNotMatch(credentials.ok ? '' : credentials.message, /secret/);
  });

  test('the explicit proxy: tejarat.proxy only (VS Code applies http.proxy itself); never for http.noProxy hosts or loopback', async () => {
    await setSetting('http.proxy', 'http://vs:1');
    try {
      const settings = (change: Partial<TejaratSettings>): TejaratSettings => ({ ...readSettings(), proxy: '', noProxy: [], ...change });
      assert.equal(proxyFor(settings({}), 'core.tejarat.chat'), undefined, 'http.proxy is not copied into the own agent');
      assert.equal(proxyFor(settings({ proxy: 'http://own:2' }), 'core.tejarat.chat'), 'http://own:2');
      assert.equal(proxyFor(settings({ proxy: 'http://own:2', noProxy: ['.tejarat.chat'] }), 'core.tejarat.chat'), undefined);
      assert.equal(proxyFor(settings({ proxy: 'http://own:2', noProxy: ['other.example'] }), 'core.tejarat.chat'), 'http://own:2');
      assert.equal(proxyFor(settings({ proxy: 'http://own:2' }), '127.0.0.1'), undefined);
    } finally {
      await setSetting('http.proxy', undefined);
    }
  });

  test('code-only insert: exactly one fenced block becomes its code; anything else stays whole', () => {
    assert.equal(codeOnly('```ts\nconst a = 1;\n```'), 'const a = 1;');
    assert.equal(codeOnly('\n~~~\nplain\n~~~\n'), 'plain');
    assert.equal(codeOnly('````md\n```js\nx\n```\n````'), '```js\nx\n```');
    assert.equal(codeOnly('```a\n1\n```\ntext\n```b\n2\n```'), '```a\n1\n```\ntext\n```b\n2\n```');
    assert.equal(codeOnly('Use `npm start`.'), 'Use `npm start`.');
  });

  test('Check Connection\'s lines: phases not reached are left out, a proxy\'s password never shows, Persian digits in Persian', () => {
    const report: CheckReport = {
      baseUrl: 'https://core.tejarat.chat',
      reachable: true,
      tokenAccepted: true,
      streaming: 'fallback',
      timings: { totalMs: 1234, headersMs: 1200 },
      network: { path: 'explicit-proxy', trust: 'ca-file', proxy: 'http://me:hunter2@proxy.example.com:8080' },
    };
    const english = summarize(report, { hasToken: true, language: 'en' });
    assert.equal(english.ok, true);
    assert.equal(english.lines[3], 'Timings: headers 1,200 ms, total 1,234 ms.');
    assert.equal(english.lines[4], 'Network: explicit proxy http://proxy.example.com:8080 (tejarat.proxy).');
    assert.equal(english.lines[5], "Certificates: Node's built-in list and tejarat.caFile.");
    assert.ok(english.lines.every((line) => !line.includes('hunter2')));
    const persian = summarize(report, { hasToken: true, language: 'fa', limits: { connectMs: 10_000, answerMs: 180_000, idleMs: 60_000 } });
    assert.match(persian.lines[3] ?? '', /۱٬۲۰۰/);
    assert.match(persian.lines[6] ?? '', /connect ۱۰ s, answer ۱۸۰ s, idle ۶۰ s/);
    const vscodePath = summarize({ ...report, network: { path: 'vscode', trust: 'vscode-system' } }, { hasToken: true, vscodeProxy: 'http://u:p@proxy:3128' });
    assert.equal(vscodePath.lines[4], "Network: VS Code's proxy settings (http.proxy http://proxy:3128).");
    const plainFetch = summarize({ ...report, network: { path: 'vscode', trust: 'vscode-system' } }, { hasToken: true, fetchSupport: false });
    assert.match(plainFetch.lines[4] ?? '', /http\.fetchAdditionalSupport is off/);
    assert.equal(plainFetch.lines[5], "Certificates: Node's built-in list.");
  });

  test('the status bar shows what matters most', () => {
    const base = { hasToken: true, busy: false, offline: false, streaming: 'active' as const };
    assert.equal(statusKind(base), 'idle');
    assert.equal(statusKind({ ...base, streaming: 'fallback' }), 'fallback');
    assert.equal(statusKind({ ...base, offline: true, streaming: 'fallback' }), 'offline');
    assert.equal(statusKind({ ...base, hasToken: false, offline: true }), 'noToken');
    assert.equal(statusKind({ ...base, hasToken: false, busy: true }), 'streaming');
  });
});

suite('CA file setting', () => {
  let core: RunningCoreServer;
  let api: TejaratTestApi;

  suiteSetup(async () => {
    ({ core, api } = await startCore());
  });
  suiteTeardown(() => stopCore(core));

  test('an unreadable tejarat.caFile is reported as a settings problem, not a network one', async () => {
    await setSetting('tejarat.caFile', '/nonexistent/corporate-ca.pem');
    try {
      const turn = await ask('anything');
      assert.equal(turn.status, 'error');
      assert.equal(turn.error?.kind, 'config');
      assert.match(turn.error?.message ?? '', /corporate-ca\.pem/);
    } finally {
      await setSetting('tejarat.caFile', undefined);
    }
    assert.equal((await ask('anything')).status, 'done');
    assert.ok(api.lastAnswer());
    assert.equal(vscode.workspace.getConfiguration('tejarat').get('caFile'), '');
  });
});

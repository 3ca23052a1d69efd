// Where trust in the core's certificate comes from. By default the extension host's fetch, which VS Code gives the
// operating system's certificates (on Linux the bundle file @vscode/proxy-agent reads; run.mjs starts code-server in
// a private mount namespace whose bundle also holds a test CA, so the machine's own trust store is never touched).
// `tejarat.caFile` is the explicit override, and `http.proxyStrictSSL: false` never turns the check off.
import * as assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as vscode from 'vscode';
import type { CheckResult } from '../../../src/chat/checkConnection';
import { ask, setSetting, useCore } from './helpers';
import { createAuthority, loopbackCertificate, startTlsFront, systemAuthority, type TlsFront } from './tls';

suite('Certificates', () => {
  const env = useCore();
  const fronts: TlsFront[] = [];
  let unknownCa: { cert: string; key: string };
  let unknown: TlsFront;

  suiteSetup(async () => {
    unknownCa = await createAuthority('Tejarat Chat Test Unknown CA');
    unknown = await startTlsFront(Number(new URL(env.core.url).port), await loopbackCertificate(unknownCa));
    fronts.push(unknown);
  });
  suiteTeardown(async () => {
    await Promise.all(fronts.map((front) => front.close()));
  });

  const check = async (): Promise<CheckResult> => {
    const result = await vscode.commands.executeCommand<CheckResult>('tejarat.checkConnection');
    assert.ok(result?.report, 'Check Connection returned its report');
    return result;
  };

  test("an HTTPS core signed by a CA among the system's certificates is trusted through VS Code, with no tejarat.caFile", async () => {
    const system = systemAuthority();
    if ('unavailable' in system) assert.fail(`no test CA among the system's certificates: ${system.unavailable}`);
    const front = await startTlsFront(Number(new URL(env.core.url).port), await loopbackCertificate(system));
    fronts.push(front);
    await setSetting('tejarat.coreUrl', front.url);
    try {
      const turn = await ask('How do I trust our company CA?');
      assert.equal(turn.status, 'done', turn.error?.message);
      assert.ok(front.handshakes > 0);
      const result = await check();
      assert.equal(result.report?.network.path, 'vscode');
      assert.equal(result.report?.network.trust, 'vscode-system');
      assert.ok(result.lines.includes("Certificates: the system's, through VS Code."), result.lines.join(' | '));
    } finally {
      await setSetting('tejarat.coreUrl', env.core.url);
    }
  });

  test('a core signed by a CA the system does not know is refused; tejarat.caFile with that CA trusts it', async () => {
    await setSetting('tejarat.coreUrl', unknown.url);
    const caFile = join(tmpdir(), `tejarat-test-ca-${process.pid}.pem`);
    writeFileSync(caFile, unknownCa.cert);
    try {
      const refused = await ask('Is this core trusted?');
      assert.equal(refused.status, 'error');
      assert.equal(refused.error?.kind, 'network');
      assert.equal(unknown.handshakes, 0, 'no TLS session with an untrusted certificate');

      await setSetting('tejarat.caFile', caFile);
      const trusted = await ask('Is this core trusted?');
      assert.equal(trusted.status, 'done', trusted.error?.message);
      const result = await check();
      assert.equal(result.report?.network.trust, 'ca-file');
      assert.ok(result.lines.includes("Certificates: Node's built-in list and tejarat.caFile."), result.lines.join(' | '));
    } finally {
      await setSetting('tejarat.caFile', undefined);
      await setSetting('tejarat.coreUrl', env.core.url);
    }
  });

  test('http.proxyStrictSSL: false checks certificates all the same, and says so once per window', async () => {
    await setSetting('tejarat.coreUrl', unknown.url);
    await setSetting('http.proxyStrictSSL', false);
    const handshakes = unknown.handshakes;
    try {
      const first = await ask('Is this core trusted?');
      assert.equal(first.status, 'error', 'the token does not go to a core whose certificate does not verify');
      assert.equal(first.error?.kind, 'network');
      // Another setting rebuilds the client, which reads http.proxyStrictSSL again.
      await setSetting('tejarat.timeouts.idle', 30);
      const second = await ask('Is this core trusted?');
      assert.equal(second.status, 'error');
      assert.equal(unknown.handshakes, handshakes, 'no TLS session with an untrusted certificate');
      const notices = env.api.notices().filter((notice) => notice.includes('http.proxyStrictSSL'));
      assert.equal(notices.length, 1, notices.join(' | '));
      assert.match(notices[0] ?? '', /still checks the core's certificate/);
    } finally {
      await setSetting('http.proxyStrictSSL', undefined);
      await setSetting('tejarat.timeouts.idle', undefined);
      await setSetting('tejarat.coreUrl', env.core.url);
    }
  });
});

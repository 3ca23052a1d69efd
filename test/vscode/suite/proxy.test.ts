// Corporate networks: the core is reached through VS Code's own proxy handling (http.proxy here; PAC files, the
// system proxy and proxy sign-in take the same path), or through tejarat.proxy when set. A stand-in proxy on
// loopback tunnels every CONNECT to the local core, whatever host was asked for, and counts the tunnels.
//
// VS Code sends localhost, 127.0.0.1 and ::1 past any proxy (@vscode/proxy-agent decides so before it reads a
// setting), so the tests name the core by a host that never resolves (`.invalid`, RFC 6761): only the proxy can
// reach it, and the proxy reaches the core on 127.0.0.1. Nothing leaves loopback, and a request that went direct
// fails instead of passing by mistake.
import * as assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import { connect, type Socket } from 'node:net';
import * as vscode from 'vscode';
import type { CheckResult } from '../../../src/chat/checkConnection';
import type { RunningCoreServer } from '../../core-server/server';
import { ask, setSetting, startCore, stopCore } from './helpers';

interface Proxy {
  url: string;
  /** The `host:port` of every CONNECT received. */
  tunnels: string[];
  close(): Promise<void>;
}

async function startProxy(corePort: number): Promise<Proxy> {
  const tunnels: string[] = [];
  const sockets = new Set<Socket>();
  const server: Server = createServer((_, res) => res.writeHead(405).end());
  server.on('connect', (req, client: Socket, head: Buffer) => {
    tunnels.push(req.url ?? '');
    const upstream = connect(corePort, '127.0.0.1', () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      upstream.write(head);
      upstream.pipe(client);
      client.pipe(upstream);
    });
    for (const socket of [client, upstream]) {
      sockets.add(socket);
      socket.on('error', () => undefined);
      socket.on('close', () => sockets.delete(socket));
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}`,
    tunnels,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

suite('Proxy', () => {
  let core: RunningCoreServer;
  let proxy: Proxy;

  suiteSetup(async () => {
    ({ core } = await startCore());
    proxy = await startProxy(Number(new URL(core.url).port));
    // A name only the proxy can reach (it goes to the local core); plain http needs the explicit opt-in.
    await setSetting('tejarat.allowInsecureHttp', true);
    await setSetting('tejarat.coreUrl', 'http://core.tejarat.invalid');
  });
  suiteTeardown(async () => {
    await proxy.close();
    await stopCore(core);
  });

  test("VS Code's http.proxy carries the questions with no tejarat.* network setting, through VS Code's own proxy handling", async () => {
    await setSetting('http.proxy', proxy.url);
    try {
      const turn = await ask('How do I set a proxy?');
      assert.equal(turn.status, 'done', turn.error?.message);
      assert.ok(proxy.tunnels.includes('core.tejarat.invalid:80'), proxy.tunnels.join(', '));
      assert.equal(core.lastRequest?.headers.host, 'core.tejarat.invalid');
      const check = await vscode.commands.executeCommand<CheckResult>('tejarat.checkConnection');
      assert.equal(check?.report?.network.path, 'vscode');
      assert.ok(check?.lines.includes(`Network: VS Code's proxy settings (http.proxy ${proxy.url}).`), check?.lines.join(' | '));

      // VS Code's switch for its proxy handling in extensions turns it off for Tejarat too: the extension itself
      // does not read http.proxy any more.
      await setSetting('http.proxySupport', 'off');
      const before = proxy.tunnels.length;
      const direct = await ask('How do I set a proxy?');
      assert.equal(direct.status, 'error', 'without the proxy the made-up host cannot be reached');
      assert.equal(direct.error?.kind, 'network');
      assert.equal(proxy.tunnels.length, before);
    } finally {
      await setSetting('http.proxySupport', undefined);
      await setSetting('http.proxy', undefined);
    }
  });

  test('tejarat.proxy wins over http.proxy, and http.noProxy bypasses both', async () => {
    await setSetting('http.proxy', 'http://127.0.0.1:9');
    await setSetting('tejarat.proxy', proxy.url);
    try {
      const before = proxy.tunnels.length;
      const turn = await ask('How do I set a proxy?');
      assert.equal(turn.status, 'done', turn.error?.message);
      assert.ok(proxy.tunnels.length > before);
      const check = await vscode.commands.executeCommand<CheckResult>('tejarat.checkConnection');
      assert.equal(check?.report?.network.path, 'explicit-proxy');

      await setSetting('http.noProxy', ['tejarat.invalid']);
      const direct = await ask('How do I set a proxy?');
      assert.equal(direct.status, 'error', 'without the proxy the made-up host cannot be reached');
      assert.equal(direct.error?.kind, 'network');
    } finally {
      await setSetting('http.noProxy', undefined);
      await setSetting('tejarat.proxy', undefined);
      await setSetting('http.proxy', undefined);
    }
  });
});

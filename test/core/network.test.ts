// The network around the core: redirects (the token never leaves the core's origin), proxies (explicit and
// from the environment) and TLS with an extra CA, all on loopback.
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { createServer as createHttpsServer } from 'node:https';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import selfsigned from 'selfsigned';
import { createCoreClient } from '../../src/core';
import { startCoreServer, type RunningCoreServer } from '../core-server/server';
import { collect, listen } from './helpers';

const QUESTION = 'How do I set the access token?';

describe('RAG Core client on the network', function () {
  let core: RunningCoreServer;
  before(async () => {
    core = await startCoreServer({ paceMs: 0 });
  });
  after(async () => core.close());

  describe('redirects', function () {
    it('follows a redirect within the core origin', async function () {
      const received: IncomingMessage[] = [];
      const gateway = await listen((request, response) => {
        received.push(request);
        if (request.url === '/old/api/v1/query/stream') {
          response.writeHead(307, { location: '/new/api/v1/query/stream' }).end();
          return;
        }
        response.writeHead(200, { 'content-type': 'text/event-stream' });
        response.end('data: {"type":"start"}\n\ndata: {"type":"chunk","content":"moved"}\n\ndata: {"type":"end","metadata":{}}\n\n');
      });
      const client = createCoreClient({ baseUrl: `${gateway.url}/old`, getToken: () => 'tok-1234' });
      const answer = await collect(client.ask({ query: QUESTION }));
      await client.close();
      await gateway.close();
      assert.equal(answer.text, 'moved');
      assert.deepEqual(received.map((request) => [request.method, request.url, request.headers.authorization]), [
        ['POST', '/old/api/v1/query/stream', 'Bearer tok-1234'],
        ['POST', '/new/api/v1/query/stream', 'Bearer tok-1234'],
      ]);
    });

    it('never sends the question or the token to another origin', async function () {
      const elsewhere: IncomingMessage[] = [];
      const other = await listen((request, response) => {
        elsewhere.push(request);
        response.end();
      });
      const gateway = await listen((_request, response) => {
        response.writeHead(302, { location: `${other.url}/steal` }).end();
      });
      const client = createCoreClient({ baseUrl: gateway.url, getToken: () => 'tok-1234' });
      const answer = await collect(client.ask({ query: QUESTION }));
      await client.close();
      await gateway.close();
      await other.close();
      assert.equal(answer.error?.kind, 'config');
      assert.match(answer.error?.message ?? '', /redirected to another origin/);
      assert.equal(elsewhere.length, 0);
    });
  });

  describe('proxies', function () {
    async function startProxy(): Promise<{ url: string; tunnels: string[]; close(): void }> {
      // `proxy` is ESM-only; this suite is CommonJS.
      const { createProxy } = await import('proxy');
      const proxy = createProxy(createServer());
      const tunnels: string[] = [];
      proxy.on('connect', (request: IncomingMessage) => tunnels.push(request.url ?? ''));
      proxy.listen(0, '127.0.0.1');
      await once(proxy, 'listening');
      return {
        url: `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`,
        tunnels,
        close: () => {
          proxy.closeAllConnections();
          proxy.close();
        },
      };
    }

    it('goes through an explicit proxy URL', async function () {
      const proxy = await startProxy();
      const client = createCoreClient({ baseUrl: core.url, getToken: () => core.token ?? undefined, proxyUrl: proxy.url });
      const answer = await collect(client.ask({ query: QUESTION }));
      await client.close();
      proxy.close();
      assert.equal(answer.error, undefined, answer.error?.message);
      assert.ok(answer.text.length > 100);
      assert.deepEqual(proxy.tunnels, [new URL(core.url).host]);
    });

    it('honours HTTP_PROXY and NO_PROXY from the environment', async function () {
      const proxy = await startProxy();
      const saved = { HTTP_PROXY: process.env.HTTP_PROXY, NO_PROXY: process.env.NO_PROXY };
      try {
        process.env.HTTP_PROXY = proxy.url;
        delete process.env.NO_PROXY;
        const proxied = createCoreClient({ baseUrl: core.url, getToken: () => core.token ?? undefined });
        assert.equal((await collect(proxied.ask({ query: QUESTION }))).error, undefined);
        await proxied.close();
        assert.equal(proxy.tunnels.length, 1);

        process.env.NO_PROXY = '127.0.0.1';
        const direct = createCoreClient({ baseUrl: core.url, getToken: () => core.token ?? undefined });
        assert.equal((await collect(direct.ask({ query: QUESTION }))).error, undefined);
        await direct.close();
        assert.equal(proxy.tunnels.length, 1, 'NO_PROXY skips the proxy');
      } finally {
        if (saved.HTTP_PROXY === undefined) delete process.env.HTTP_PROXY;
        else process.env.HTTP_PROXY = saved.HTTP_PROXY;
        if (saved.NO_PROXY === undefined) delete process.env.NO_PROXY;
        else process.env.NO_PROXY = saved.NO_PROXY;
        proxy.close();
      }
    });
  });

  describe('TLS', function () {
    it('refuses a certificate it cannot verify, and trusts it with the extra CA', async function () {
      const pems = await selfsigned.generate([{ name: 'commonName', value: '127.0.0.1' }], {
        notAfterDate: new Date(Date.now() + 24 * 3600_000),
        keySize: 2048,
        extensions: [{ name: 'subjectAltName', altNames: [{ type: 7, ip: '127.0.0.1' }] }],
      });
      const server = createHttpsServer({ key: pems.private, cert: pems.cert }, (request, response) => {
        if (request.url === '/api/v1/query') {
          response.writeHead(200, { 'content-type': 'application/json' });
          response.end(JSON.stringify({ answer: 'over TLS', sources: [] }));
        } else response.writeHead(404).end();
      });
      server.listen(0, '127.0.0.1');
      await once(server, 'listening');
      const url = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
      try {
        const untrusted = createCoreClient({ baseUrl: url, getToken: () => 't', retry: { maxAttempts: 1 } });
        const refused = await collect(untrusted.ask({ query: QUESTION }));
        await untrusted.close();
        assert.equal(refused.error?.kind, 'network');
        assert.match(refused.error?.message ?? '', /certificate/i);

        const trusted = createCoreClient({ baseUrl: url, getToken: () => 't', ca: pems.cert });
        const answer = await collect(trusted.ask({ query: QUESTION }));
        await trusted.close();
        assert.equal(answer.text, 'over TLS');
        assert.equal(answer.start?.mode, 'fallback');
      } finally {
        server.closeAllConnections();
        server.close();
      }
    });
  });
});

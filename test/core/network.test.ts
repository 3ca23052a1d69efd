// The network around the core: redirects (the token never leaves the core's origin), proxies (explicit and
// from the environment) and TLS with an extra CA, all on loopback.
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { createServer as createHttpsServer } from 'node:https';
import { createServer, type IncomingMessage } from 'node:http';
import { createServer as createTcpServer, type AddressInfo, type Socket } from 'node:net';
import selfsigned from 'selfsigned';
import { createCoreClient, type CoreClientOptions, type LogLevel } from '../../src/core';
import { startCoreServer, type RunningCoreServer } from '../core-server/server';
import { abortMidStream, askOnce, clientFor, collect, listen, type Answer } from './helpers';

/** An HTTPS core with a self-signed certificate for 127.0.0.1, answering the normal endpoint only. */
async function startTlsCore(): Promise<{ url: string; cert: string; close(): void }> {
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
  return {
    url: `https://127.0.0.1:${(server.address() as AddressInfo).port}`,
    cert: pems.cert,
    close: () => {
      server.closeAllConnections();
      server.close();
    },
  };
}

/** A TCP port that accepts connections and never says a word: a TLS handshake or a proxy tunnel that hangs. */
async function startSilentPort(): Promise<{ port: number; close(): void }> {
  const sockets: Socket[] = [];
  const server = createTcpServer((socket) => void sockets.push(socket));
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return {
    port: (server.address() as AddressInfo).port,
    close: () => {
      for (const socket of sockets) socket.destroy();
      server.close();
    },
  };
}

/** Node's global fetch, wrapped to record what the client passes it. */
function recordingFetch(): { fetch: typeof globalThis.fetch; calls: Array<{ url: string; init: RequestInit | undefined }> } {
  const calls: Array<{ url: string; init: RequestInit | undefined }> = [];
  const wrapped: typeof globalThis.fetch = (input, init) => {
    calls.push({ url: String(input), init });
    return globalThis.fetch(input, init);
  };
  return { fetch: wrapped, calls };
}

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

    it('says the proxy refused when it answers the tunnel request with an error status, and does not retry', async function () {
      const connects: string[] = [];
      const refusing = createServer();
      refusing.on('connect', (request: IncomingMessage, socket: Socket) => {
        connects.push(request.url ?? '');
        socket.end('HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: Basic realm="corp"\r\n\r\n');
      });
      refusing.listen(0, '127.0.0.1');
      await once(refusing, 'listening');
      try {
        const client = createCoreClient({ baseUrl: core.url, getToken: () => 't', proxyUrl: `http://127.0.0.1:${(refusing.address() as AddressInfo).port}` });
        const answer = await collect(client.ask({ query: QUESTION }));
        await client.close();
        assert.equal(answer.error?.code, 'network-proxy');
        assert.equal(answer.error?.message, `Could not reach the core at ${core.url} through the proxy: HTTP 407.`);
        assert.equal(connects.length, 1);
      } finally {
        refusing.closeAllConnections();
        refusing.close();
      }
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
      const tlsCore = await startTlsCore();
      const url = tlsCore.url;
      const pems = { cert: tlsCore.cert };
      try {
        const untrusted = createCoreClient({ baseUrl: url, getToken: () => 't', retry: { maxAttempts: 1 } });
        const refused = await collect(untrusted.ask({ query: QUESTION }));
        await untrusted.close();
        assert.equal(refused.error?.kind, 'network');
        assert.equal(refused.error?.code, 'tls-untrusted');
        assert.deepEqual(refused.error?.params, { origin: url, detail: 'DEPTH_ZERO_SELF_SIGNED_CERT' });

        const trusted = createCoreClient({ baseUrl: url, getToken: () => 't', ca: pems.cert });
        const answer = await collect(trusted.ask({ query: QUESTION }));
        await trusted.close();
        assert.equal(answer.text, 'over TLS');
        assert.equal(answer.start?.mode, 'fallback');
      } finally {
        tlsCore.close();
      }
    });

    it('turns certificate checks off only on its own connection, saying so in the log; a given fetch ignores it', async function () {
      const tlsCore = await startTlsCore();
      try {
        const lines: string[] = [];
        const log = (level: LogLevel, message: string): void => void lines.push(`${level} ${message}`);
        const insecure = createCoreClient({ baseUrl: tlsCore.url, getToken: () => 't', rejectUnauthorized: false, log });
        assert.equal((await collect(insecure.ask({ query: QUESTION }))).text, 'over TLS');
        assert.equal((await collect(insecure.ask({ query: QUESTION }))).text, 'over TLS');
        assert.equal((await insecure.check()).network.trust, 'none-insecure');
        await insecure.close();
        assert.equal(lines.filter((line) => line.startsWith('warn') && /certificate checks are OFF/.test(line)).length, 1, lines.join('\n'));

        lines.length = 0;
        const viaFetch = createCoreClient({ baseUrl: tlsCore.url, getToken: () => 't', rejectUnauthorized: false, transport: { kind: 'fetch', fetch: globalThis.fetch }, retry: { maxAttempts: 1 }, log });
        const refused = await collect(viaFetch.ask({ query: QUESTION }));
        assert.equal(refused.error?.code, 'tls-untrusted', 'the fetch error is read through its cause');
        assert.equal((await viaFetch.check()).network.trust, 'vscode-system');
        await viaFetch.close();
        assert.ok(lines.some((line) => line.startsWith('warn') && /ignored with the fetch transport/.test(line)), lines.join('\n'));
      } finally {
        tlsCore.close();
      }
    });
  });

  describe('connect limit', function () {
    it('cuts a TLS handshake that hangs at the connect limit', async function () {
      const silent = await startSilentPort();
      try {
        const client = createCoreClient({ baseUrl: `https://127.0.0.1:${silent.port}`, getToken: () => 't', timeouts: { connectMs: 300 }, retry: { maxAttempts: 1 } });
        const answer = await collect(client.ask({ query: QUESTION }));
        await client.close();
        assert.equal(answer.error?.code, 'timeout-connect');
        assert.equal(answer.error?.message, `Could not connect to the core at https://127.0.0.1:${silent.port} within 0.3 s (connect timeout).`);
      } finally {
        silent.close();
      }
    });

    it('cuts a proxy that never opens the tunnel at the connect limit', async function () {
      const silent = await startSilentPort();
      try {
        const client = createCoreClient({ baseUrl: core.url, getToken: () => 't', proxyUrl: `http://127.0.0.1:${silent.port}`, timeouts: { connectMs: 300 }, retry: { maxAttempts: 1 } });
        const answer = await collect(client.ask({ query: QUESTION }));
        await client.close();
        assert.equal(answer.error?.code, 'timeout-connect', JSON.stringify(answer.error));
      } finally {
        silent.close();
      }
    });
  });

  describe('stop', function () {
    it('ends a question at once while a proxy has not opened its tunnel yet', async function () {
      const silent = await startSilentPort();
      try {
        const client = createCoreClient({ baseUrl: core.url, getToken: () => 't', proxyUrl: `http://127.0.0.1:${silent.port}` });
        const controller = new AbortController();
        setTimeout(() => controller.abort(), 200);
        const started = Date.now();
        const answer = await collect(client.ask({ query: QUESTION }, { signal: controller.signal }));
        await client.close();
        assert.equal(answer.error?.code, 'cancelled');
        assert.ok(Date.now() - started < 3_000, `ended ${Date.now() - started} ms after the start (stop at 200 ms, connect limit 10 s)`);
      } finally {
        silent.close();
      }
    });
  });

  describe('through a given fetch (as VS Code\u2019s extension host provides)', function () {
    let reference: Answer;
    before(async () => {
      reference = await askOnce(core, '', QUESTION);
    });
    beforeEach(() => {
      core.setStreaming(true);
      core.resetStats();
    });
    const viaFetch = (fetch: typeof globalThis.fetch, extra: Partial<CoreClientOptions> = {}): Partial<CoreClientOptions> => ({ transport: { kind: 'fetch', fetch }, ...extra });

    it('sends every request through that fetch as it is (no dispatcher, redirects not followed by it) and streams the same answer', async function () {
      const recorder = recordingFetch();
      const answer = await askOnce(core, 'chunk-chars=20,pace=2', QUESTION, viaFetch(recorder.fetch));
      assert.equal(answer.error, undefined, answer.error?.message);
      assert.equal(answer.start?.mode, 'stream');
      assert.equal(answer.text, reference.text);
      assert.deepEqual(answer.sources, reference.sources);
      assert.ok(answer.events.filter((event) => event.type === 'chunk').length > 5, 'streamed, not read whole');
      assert.equal(recorder.calls.length, 1);
      const init = recorder.calls[0]?.init as (RequestInit & { dispatcher?: unknown }) | undefined;
      assert.equal(init?.dispatcher, undefined);
      assert.equal(init?.redirect, 'manual');
      assert.equal(init?.method, 'POST');
    });

    it('falls back to the normal request on 404, and keeps Persian whole across reads', async function () {
      core.setStreaming(false);
      const recorder = recordingFetch();
      const answer = await askOnce(core, '', QUESTION, viaFetch(recorder.fetch));
      assert.equal(answer.start?.mode, 'fallback');
      assert.equal(answer.text, reference.text);
      assert.deepEqual(recorder.calls.map((call) => new URL(call.url).pathname), ['/api/v1/query/stream', '/api/v1/query']);
      core.setStreaming(true);
      const persian = await askOnce(core, 'split-writes', 'چطور توکن دسترسی را تنظیم کنم؟', viaFetch(recorder.fetch));
      assert.ok(/[\u0600-\u06ff]/.test(persian.text) && !persian.text.includes('\ufffd'));
    });

    it('applies the answer and idle limits, and lets a core send headers after the connect limit', async function () {
      const slow = await askOnce(core, 'slow-headers=600', QUESTION, viaFetch(globalThis.fetch, { timeouts: { connectMs: 150, answerMs: 5_000 }, retry: { maxAttempts: 1 } }));
      assert.equal(slow.error, undefined, slow.error?.message);
      assert.equal(slow.text, reference.text);
      const silent = await askOnce(core, 'heartbeats=50', QUESTION, viaFetch(globalThis.fetch, { timeouts: { answerMs: 400 } }));
      assert.equal(silent.error?.code, 'timeout-answer');
      const stalled = await askOnce(core, 'stall-after=2', QUESTION, viaFetch(globalThis.fetch, { timeouts: { idleMs: 300 } }));
      assert.equal(stalled.error?.code, 'timeout-idle');
      assert.equal(stalled.error?.partial, true);
    });

    it('cuts a hanging TLS handshake at the connect limit once it has seen that fetch send a request', async function () {
      const silent = await startSilentPort();
      const recorder = recordingFetch();
      try {
        // The first request shows the client that this fetch reports when its requests go out.
        assert.equal((await askOnce(core, '', QUESTION, viaFetch(recorder.fetch))).error, undefined);
        const client = createCoreClient({ baseUrl: `https://127.0.0.1:${silent.port}`, getToken: () => 't', transport: { kind: 'fetch', fetch: recorder.fetch }, timeouts: { connectMs: 300 }, retry: { maxAttempts: 1 } });
        const started = Date.now();
        const answer = await collect(client.ask({ query: QUESTION }));
        await client.close();
        assert.equal(answer.error?.code, 'timeout-connect');
        assert.ok(Date.now() - started < 5_000, 'cut by the 0.3 s limit, not fetch\u2019s own 10 s');
      } finally {
        silent.close();
      }
    });

    it('closes the connection at once when the signal aborts', async function () {
      const { last, closeDelayMs } = await abortMidStream({ transport: { kind: 'fetch', fetch: globalThis.fetch } });
      assert.equal(last?.type === 'error' && last.error.code, 'cancelled');
      assert.equal(last?.type === 'error' && last.error.partial, true);
      // Generous for a busy machine: a connection the client left open would never close.
      assert.ok(closeDelayMs < 2_000, `socket closed ${closeDelayMs} ms after abort`);
    });

    it('follows a same-origin redirect and refuses another origin, as the own connection does', async function () {
      const elsewhere: string[] = [];
      const other = await listen((request, response) => {
        elsewhere.push(request.url ?? '');
        response.end();
      });
      const gateway = await listen((request, response) => {
        if (request.url === '/old/api/v1/query/stream') return void response.writeHead(308, { location: '/new/api/v1/query/stream' }).end();
        if (request.url === '/new/api/v1/query/stream') {
          response.writeHead(200, { 'content-type': 'text/event-stream' });
          return void response.end('data: {"type":"chunk","content":"moved"}\n\ndata: {"type":"end"}\n\n');
        }
        response.writeHead(302, { location: `${other.url}/steal` }).end();
      });
      try {
        const moved = await collect(createCoreClient({ baseUrl: `${gateway.url}/old`, getToken: () => 't', transport: { kind: 'fetch', fetch: globalThis.fetch } }).ask({ query: QUESTION }));
        assert.equal(moved.text, 'moved');
        const stolen = await collect(createCoreClient({ baseUrl: gateway.url, getToken: () => 't', transport: { kind: 'fetch', fetch: globalThis.fetch } }).ask({ query: QUESTION }));
        assert.equal(stolen.error?.code, 'redirect-other-origin');
        assert.deepEqual(elsewhere, []);
      } finally {
        await gateway.close();
        await other.close();
      }
    });

    it('maps a refused connection through fetch\u2019s cause chain', async function () {
      // Not port 9: fetch refuses that one itself ("bad port").
      const closed = await startSilentPort();
      closed.close();
      const answer = await collect(createCoreClient({ baseUrl: `http://127.0.0.1:${closed.port}`, getToken: () => 't', transport: { kind: 'fetch', fetch: globalThis.fetch }, retry: { maxAttempts: 1 } }).ask({ query: QUESTION }));
      assert.equal(answer.error?.code, 'network-refused');
      assert.equal(answer.error?.params?.detail, 'ECONNREFUSED');
    });

    it('reports connect, headers and first-event times, the path and the trust in check', async function () {
      const report = await clientFor(core, '', viaFetch(globalThis.fetch)).check();
      assert.equal(report.error, undefined, report.error?.message);
      assert.equal(typeof report.timings.connectMs, 'number', 'seen on the diagnostics channel of Node\u2019s fetch');
      assert.equal(typeof report.timings.firstEventMs, 'number');
      assert.deepEqual(report.network, { path: 'vscode', trust: 'not-tls' });
      const overridden = await clientFor(core, '', viaFetch(globalThis.fetch, { networkPath: 'direct' })).check();
      assert.equal(overridden.network.path, 'direct');
    });
  });

  describe('check: the network path', function () {
    it('names an explicit proxy by host and port only, the environment\u2019s proxy, NO_PROXY and an extra CA', async function () {
      const saved = { HTTP_PROXY: process.env.HTTP_PROXY, NO_PROXY: process.env.NO_PROXY };
      try {
        delete process.env.HTTP_PROXY;
        delete process.env.NO_PROXY;
        const explicit = createCoreClient({ baseUrl: 'https://core.example.com', getToken: () => 't', proxyUrl: 'http://alice:s3cret@proxy.corp:3128' });
        // Only the static part of the report is read here; the request itself may fail.
        const report = await explicit.check({ signal: AbortSignal.abort() });
        await explicit.close();
        assert.deepEqual(report.network, { path: 'explicit-proxy', trust: 'node', proxy: 'proxy.corp:3128' });
        assert.ok(!JSON.stringify(report).includes('s3cret'));

        process.env.HTTP_PROXY = 'http://bob:pw@envproxy.corp:8080';
        const fromEnvironment = createCoreClient({ baseUrl: 'https://core.example.com', getToken: () => 't', ca: 'PEM' });
        assert.deepEqual((await fromEnvironment.check({ signal: AbortSignal.abort() })).network, { path: 'environment-proxy', trust: 'ca-file', proxy: 'envproxy.corp:8080' });
        await fromEnvironment.close();
        process.env.NO_PROXY = 'localhost,.example.com';
        const excluded = createCoreClient({ baseUrl: 'https://core.example.com', getToken: () => 't' });
        assert.deepEqual((await excluded.check({ signal: AbortSignal.abort() })).network, { path: 'direct', trust: 'node' });
        await excluded.close();
      } finally {
        if (saved.HTTP_PROXY === undefined) delete process.env.HTTP_PROXY;
        else process.env.HTTP_PROXY = saved.HTTP_PROXY;
        if (saved.NO_PROXY === undefined) delete process.env.NO_PROXY;
        else process.env.NO_PROXY = saved.NO_PROXY;
      }
    });
  });
});

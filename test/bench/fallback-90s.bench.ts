// `npm run bench -- fallback-90s` (opt-in, not in the default run: it takes 90 s): a core that, like today's
// production core, has no streaming endpoint and takes 90 s to compute an answer before it sends anything.
// With the default time limits the answer must arrive, through one request to the normal endpoint, over both
// transports (the client's own undici agent and Node's fetch, as VS Code's extension host uses), run side by side.
import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { loadavg } from 'node:os';
import { createCoreClient, type CoreTransport } from '../../src/core';

const THINK_MS = Number(process.env.TEJARAT_BENCH_THINK_MS ?? 90_000);
const ANSWER = 'After 90 seconds of retrieval and generation: set the token with "Tejarat: Set Access Token".';

async function slowJsonCore(): Promise<{ url: string; requests: string[]; close(): void }> {
  const requests: string[] = [];
  const server = createServer((request, response) => {
    requests.push(request.url ?? '');
    if (request.url?.endsWith('/stream')) return void response.writeHead(404, { 'content-type': 'application/json' }).end('{"detail":"Not Found"}');
    const timer = setTimeout(() => {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ answer: ANSWER, sources: [], metadata: { processing_time_ms: THINK_MS } }));
    }, THINK_MS);
    response.on('close', () => clearTimeout(timer));
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests,
    close: () => {
      server.closeAllConnections();
      server.close();
    },
  };
}

async function run(transport: CoreTransport): Promise<object> {
  const core = await slowJsonCore();
  // Default timeouts: nothing here is tuned for the benchmark.
  const client = createCoreClient({ baseUrl: core.url, getToken: () => 'bench-token', transport });
  const started = performance.now();
  let text = '';
  let error: string | undefined;
  let mode: string | undefined;
  for await (const event of client.ask({ query: 'How do I set the access token?' })) {
    if (event.type === 'chunk') text += event.content;
    if (event.type === 'end') mode = event.mode;
    if (event.type === 'error') error = `${event.error.code}: ${event.error.message}`;
  }
  const seconds = (performance.now() - started) / 1000;
  await client.close();
  core.close();
  return {
    transport: transport.kind,
    arrived: text === ANSWER,
    mode,
    error,
    seconds: Number(seconds.toFixed(2)),
    normalEndpointRequests: core.requests.filter((path) => path === '/api/v1/query').length,
    streamEndpointRequests: core.requests.filter((path) => path.endsWith('/stream')).length,
  };
}

async function main(): Promise<void> {
  const load = loadavg()[0] ?? 0;
  const results = await Promise.all([run({ kind: 'undici' }), run({ kind: 'fetch', fetch: globalThis.fetch })]);
  console.log(
    `BENCH-RESULT ${JSON.stringify({
      metric: `fallback answer the core takes ${THINK_MS / 1000} s to produce (stream endpoint 404, default client timeouts)`,
      results,
      loadAverage1m: Number(load.toFixed(1)),
      target: 'arrives, 1 request to the normal endpoint',
    })}`,
  );
  if (!results.every((result) => (result as { arrived: boolean }).arrived)) process.exitCode = 1;
}

void main();

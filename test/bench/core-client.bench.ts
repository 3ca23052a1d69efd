// The client's numbers, each measured side by side in one run so the machine's noise cancels out:
//  1. CPU per MB of the client's SSE reading and normalizing vs eventsource-parser alone, on the same 5 MB;
//  2. time to the first chunk through the client vs a bare request, median of 50 runs each, for both transports
//     (the own undici agent, and Node's fetch as VS Code's extension host uses it);
//  3. requests the stream endpoint receives for 20 questions while the core does not stream.
// The 90 s fallback answer is measured by fallback-90s.bench.ts (opt-in: `npm run bench -- fallback-90s`).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildSync } from 'esbuild';
import { Agent, request } from 'undici';
import { createCoreClient } from '../../src/core';
import { startCoreServer, type RunningCoreServer } from '../core-server/server';

const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
};
const round = (value: number, digits = 2): number => Number(value.toFixed(digits));
const report = (result: object): void => console.log(`BENCH-RESULT ${JSON.stringify({ ...result, loadAverage1m: round(loadavg()[0] ?? 0, 1) })}`);

/** A real answer stream from the local core, its chunk events repeated to `size` bytes, cut into 64 KiB reads. */
async function recordStream(server: RunningCoreServer, size: number): Promise<Uint8Array[]> {
  const bodies: string[] = [];
  for (const query of ['How do I set the access token?', 'چطور توکن دسترسی را تنظیم کنم؟', 'What happens when the core does not stream?']) {
    const response = await request(`${server.url}/api/v1/query/stream`, {
      method: 'POST',
      headers: { authorization: `Bearer ${server.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ query }),
    });
    bodies.push(await response.body.text());
  }
  const blocks = bodies.flatMap((body) => body.split('\n\n').filter((block) => block.includes('"type":"chunk"')));
  const firstBody = (bodies[0] ?? '').split('\n\n');
  let text = `${firstBody[0]}\n\n`;
  for (let index = 0; text.length < size; index++) text += `${blocks[index % blocks.length]}\n\n`;
  text += `${firstBody.find((block) => block.includes('"type":"end"'))}\n\n`;
  const bytes = new TextEncoder().encode(text);
  const pieces: Uint8Array[] = [];
  for (let offset = 0; offset < bytes.length; offset += 65_536) pieces.push(bytes.subarray(offset, offset + 65_536));
  return pieces;
}

async function throughput(server: RunningCoreServer): Promise<void> {
  const pieces = await recordStream(server, 5_000_000);
  const bytes = pieces.reduce((total, piece) => total + piece.length, 0);
  const directory = mkdtempSync(join(tmpdir(), 'tejarat-bench-'));
  const recording = join(directory, 'stream.sse');
  writeFileSync(recording, Buffer.concat(pieces));
  // Bundled by esbuild as dist/extension.js and dist/cli.js bundle the client: under tsx every call across
  // modules would go through a getter, a cost the shipped bundles do not have.
  const runner = join(directory, 'pipeline.js');
  buildSync({ entryPoints: ['test/bench/core-client/pipeline.ts'], bundle: true, platform: 'node', format: 'cjs', target: 'node20', outfile: runner, logLevel: 'warning' });
  const measure = (mode: string): number => {
    const output = execFileSync(process.execPath, [runner, mode, recording], { encoding: 'utf8' });
    return (JSON.parse(output) as { msPerPass: number }).msPerPass;
  };
  const baseline: number[] = [];
  const client: number[] = [];
  // Each side in its own process (no shared JIT or heap), alternating, so a busy moment hits all sides.
  for (let round = 0; round < 7; round++) {
    baseline.push(measure('parser'));
    client.push(measure('client'));
  }
  rmSync(directory, { recursive: true, force: true });
  const mbps = (ms: number): number => bytes / 1e6 / (ms / 1000);
  report({
    metric: 'client throughput vs eventsource-parser (5 MB recorded stream, 64 KiB reads, CPU time, 7 alternating processes per side)',
    bytes,
    eventsourceParserMBps: round(mbps(median(baseline)), 1),
    clientMBps: round(mbps(median(client)), 1),
    eventsourceParserMsPerMB: round(median(baseline) / (bytes / 1e6)),
    clientMsPerMB: round(median(client) / (bytes / 1e6)),
    // CPU per MB of the client over that of eventsource-parser alone: the client decodes, parses and normalizes.
    cpuRatio: round(median(client) / median(baseline)),
    target: 'cpuRatio <= 2',
  });
}

async function firstChunk(server: RunningCoreServer): Promise<void> {
  const body = JSON.stringify({ query: 'How do I set the access token?' });
  const agent = new Agent({ keepAliveTimeout: 30_000 });
  const bare = async (): Promise<number> => {
    const started = performance.now();
    const response = await request(`${server.url}/api/v1/query/stream`, {
      method: 'POST',
      dispatcher: agent,
      headers: { authorization: `Bearer ${server.token}`, 'content-type': 'application/json', accept: 'text/event-stream' },
      body,
    });
    let seen = '';
    for await (const piece of response.body) {
      seen += (piece as Buffer).toString();
      if (seen.includes('"type":"chunk"')) break;
    }
    const elapsed = performance.now() - started;
    response.body.destroy();
    return elapsed;
  };
  const bareFetch = async (): Promise<number> => {
    const started = performance.now();
    const response = await fetch(`${server.url}/api/v1/query/stream`, {
      method: 'POST',
      headers: { authorization: `Bearer ${server.token}`, 'content-type': 'application/json', accept: 'text/event-stream' },
      body,
    });
    const reader = (response.body as ReadableStream<Uint8Array>).getReader();
    const decoder = new TextDecoder();
    let seen = '';
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      seen += decoder.decode(value, { stream: true });
      if (seen.includes('"type":"chunk"')) break;
    }
    const elapsed = performance.now() - started;
    await reader.cancel();
    return elapsed;
  };
  const client = createCoreClient({ baseUrl: server.url, getToken: () => server.token ?? undefined });
  const fetchClient = createCoreClient({ baseUrl: server.url, getToken: () => server.token ?? undefined, transport: { kind: 'fetch', fetch: globalThis.fetch } });
  const viaClient = async (through = client): Promise<number> => {
    const started = performance.now();
    const controller = new AbortController();
    let elapsed = Number.NaN;
    for await (const event of through.ask({ query: 'How do I set the access token?' }, { signal: controller.signal })) {
      if (event.type === 'chunk') {
        elapsed = performance.now() - started;
        controller.abort();
      }
    }
    return elapsed;
  };
  const sides: Array<[number[], () => Promise<number>]> = [
    [[], bare],
    [[], () => viaClient(client)],
    [[], bareFetch],
    [[], () => viaClient(fetchClient)],
  ];
  for (let warm = 0; warm < 5; warm++) for (const [, measure] of sides) await measure();
  for (let run = 0; run < 50; run++) {
    // Rotating the order, so no side always goes first after a pause.
    for (let index = 0; index < sides.length; index++) {
      const [times, measure] = sides[(index + run) % sides.length] as [number[], () => Promise<number>];
      times.push(await measure());
    }
  }
  await client.close();
  await fetchClient.close();
  await agent.close();
  const [bareTimes, clientTimes, bareFetchTimes, clientFetchTimes] = sides.map(([times]) => median(times)) as [number, number, number, number];
  report({
    metric: 'time to first chunk, local core (median of 50, side by side)',
    bareUndiciMs: round(bareTimes),
    clientMs: round(clientTimes),
    differenceMs: round(clientTimes - bareTimes),
    bareFetchMs: round(bareFetchTimes),
    clientFetchMs: round(clientFetchTimes),
    fetchDifferenceMs: round(clientFetchTimes - bareFetchTimes),
    target: '<= 2 ms',
  });
}

async function fallbackRoundTrips(server: RunningCoreServer): Promise<void> {
  server.setStreaming(false);
  server.resetStats();
  const client = createCoreClient({ baseUrl: server.url, getToken: () => server.token ?? undefined });
  const modes = new Set<string>();
  for (let question = 0; question < 20; question++) {
    for await (const event of client.ask({ query: `question ${question} about streaming` })) if (event.type === 'end') modes.add(event.mode);
  }
  await client.close();
  const { stream, query } = server.stats;
  server.setStreaming(true);
  report({
    metric: 'requests for 20 questions to a core that does not stream (fallback memory 10 min)',
    questions: 20,
    streamEndpointRequests: stream,
    normalEndpointRequests: query,
    extraRoundTrips: stream,
    modes: [...modes],
    target: '1 extra round trip per 10 minutes, not one per question',
  });
}

async function main(): Promise<void> {
  const server = await startCoreServer({ paceMs: 0 });
  try {
    await throughput(server);
    await firstChunk(server);
    await fallbackRoundTrips(server);
  } finally {
    await server.close();
  }
}

void main();

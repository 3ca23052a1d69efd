// `npm run core -- [--port N] [--host 127.0.0.1] [--token T | --no-auth] [--no-stream] [--latency on|off]
// [--retrieval-ms N] [--tokens-per-second N] [--jitter F] [--time-scale F] [--pace-ms N] [--chunk-chars N]
// [--https]`. Starts the local RAG Core, by default with a realistic latency model, and prints one line with its URL
// once it listens; Ctrl+C (or SIGTERM) closes it.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { describeLatency, REALISTIC_LATENCY, type LatencyModel } from './latency';
import { startCoreServer, type CoreServerOptions } from './server';
import { createTestCertificates } from './tls';

const USAGE =
  'usage: npm run core -- [--port N] [--host 127.0.0.1] [--token T | --no-auth] [--no-stream]\n' +
  '                       [--latency on|off] [--retrieval-ms N] [--tokens-per-second N] [--jitter 0..1]\n' +
  '                       [--time-scale F] [--pace-ms N] [--chunk-chars N] [--https]';

function toNumber(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value)) throw new Error(`--${name} must be a whole number, got "${value}"`);
  return Number(value);
}

function toDecimal(name: string, value: string | undefined, max = Infinity): number | undefined {
  if (value === undefined) return undefined;
  const number = /^\d+(\.\d+)?$|^\.\d+$/.test(value) ? Number(value) : Number.NaN;
  if (!(number >= 0 && number <= max)) throw new Error(`--${name} must be a number from 0 to ${max}, got "${value}"`);
  return number;
}

function readLatency(values: Record<string, string | boolean | undefined>): LatencyModel | undefined {
  const asString = (name: string): string | undefined => {
    const value = values[name];
    return typeof value === 'string' ? value : undefined;
  };
  const switchValue = (asString('latency') ?? 'on').toLowerCase();
  if (switchValue !== 'on' && switchValue !== 'off') throw new Error(`--latency must be on or off, got "${switchValue}"`);
  if (switchValue === 'off') return undefined;
  const tokensPerSecond = toDecimal('tokens-per-second', asString('tokens-per-second'));
  if (tokensPerSecond === 0) throw new Error('--tokens-per-second must be more than 0');
  return {
    retrievalMs: toNumber('retrieval-ms', asString('retrieval-ms')) ?? REALISTIC_LATENCY.retrievalMs,
    tokensPerSecond: tokensPerSecond ?? REALISTIC_LATENCY.tokensPerSecond,
    jitter: toDecimal('jitter', asString('jitter'), 1) ?? REALISTIC_LATENCY.jitter,
  };
}

/** `--https`: a fresh private CA for this run; its certificate goes to a file the user can hand to a client. */
let caFile: string | undefined;

async function useHttps(options: CoreServerOptions): Promise<void> {
  const { caPem, key, cert } = await createTestCertificates();
  const dir = mkdtempSync(join(tmpdir(), 'tejarat-core-'));
  caFile = join(dir, 'ca.pem');
  writeFileSync(caFile, caPem);
  options.tls = { key, cert };
}

function readOptions(): CoreServerOptions & { https: boolean } {
  const { values } = parseArgs({
    options: {
      port: { type: 'string' },
      host: { type: 'string' },
      token: { type: 'string' },
      'no-auth': { type: 'boolean' },
      'no-stream': { type: 'boolean' },
      latency: { type: 'string' },
      'retrieval-ms': { type: 'string' },
      'tokens-per-second': { type: 'string' },
      jitter: { type: 'string' },
      'time-scale': { type: 'string' },
      'pace-ms': { type: 'string' },
      'chunk-chars': { type: 'string' },
      https: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
  });
  if (values.help) {
    console.log(USAGE);
    process.exit(0);
  }
  const options: CoreServerOptions & { https: boolean } = {
    streaming: !values['no-stream'],
    https: values.https === true,
  };
  const port = toNumber('port', values.port);
  const paceMs = toNumber('pace-ms', values['pace-ms']);
  const chunkChars = toNumber('chunk-chars', values['chunk-chars']);
  const timeScale = toDecimal('time-scale', values['time-scale']);
  const latency = readLatency(values);
  if (port !== undefined) options.port = port;
  if (paceMs !== undefined) options.paceMs = paceMs;
  if (chunkChars !== undefined) options.chunkChars = chunkChars;
  if (timeScale !== undefined) options.timeScale = timeScale;
  if (latency !== undefined) options.latency = latency;
  if (values.host !== undefined) options.host = values.host;
  if (values['no-auth']) options.token = null;
  else if (values.token !== undefined) options.token = values.token;
  return options;
}

async function main(): Promise<void> {
  let options: CoreServerOptions & { https: boolean };
  try {
    options = readOptions();
  } catch (error) {
    console.error(`${error instanceof Error ? error.message : String(error)}\n${USAGE}`);
    process.exit(2);
  }
  if (options.https) await useHttps(options);
  const server = await startCoreServer(options);
  const streaming = server.streaming ? 'on' : 'off';
  const latency = describeLatency(options.latency, options.timeScale ?? 1);
  const ca = caFile === undefined ? '' : `, CA: ${caFile}`;
  console.log(
    `RAG Core listening on ${server.url} (token: ${server.token ?? 'none'}, streaming: ${streaming}, ${latency}${ca})`,
  );
  const stop = (): void => {
    if (caFile !== undefined) rmSync(join(caFile, '..'), { recursive: true, force: true });
    void server.close().then(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((error: unknown) => {
  console.error(`RAG Core failed to start: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});

// `npm run core -- [--port N] [--host 127.0.0.1] [--token T | --no-auth] [--no-stream] [--pace-ms N]
// [--chunk-chars N]`. Starts the local RAG Core and prints one line with its URL once it listens;
// Ctrl+C (or SIGTERM) closes it.
import { parseArgs } from 'node:util';
import { startCoreServer, type CoreServerOptions } from './server';

const USAGE =
  'usage: npm run core -- [--port N] [--host 127.0.0.1] [--token T | --no-auth] [--no-stream] ' +
  '[--pace-ms N] [--chunk-chars N]';

function toNumber(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value)) throw new Error(`--${name} must be a whole number, got "${value}"`);
  return Number(value);
}

function readOptions(): CoreServerOptions {
  const { values } = parseArgs({
    options: {
      port: { type: 'string' },
      host: { type: 'string' },
      token: { type: 'string' },
      'no-auth': { type: 'boolean' },
      'no-stream': { type: 'boolean' },
      'pace-ms': { type: 'string' },
      'chunk-chars': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
  });
  if (values.help) {
    console.log(USAGE);
    process.exit(0);
  }
  const options: CoreServerOptions = { streaming: !values['no-stream'] };
  const port = toNumber('port', values.port);
  const paceMs = toNumber('pace-ms', values['pace-ms']);
  const chunkChars = toNumber('chunk-chars', values['chunk-chars']);
  if (port !== undefined) options.port = port;
  if (paceMs !== undefined) options.paceMs = paceMs;
  if (chunkChars !== undefined) options.chunkChars = chunkChars;
  if (values.host !== undefined) options.host = values.host;
  if (values['no-auth']) options.token = null;
  else if (values.token !== undefined) options.token = values.token;
  return options;
}

async function main(): Promise<void> {
  let options: CoreServerOptions;
  try {
    options = readOptions();
  } catch (error) {
    console.error(`${error instanceof Error ? error.message : String(error)}\n${USAGE}`);
    process.exit(2);
  }
  const server = await startCoreServer(options);
  const streaming = server.streaming ? 'on' : 'off';
  console.log(`RAG Core listening on ${server.url} (token: ${server.token ?? 'none'}, streaming: ${streaming})`);
  const stop = (): void => {
    void server.close().then(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((error: unknown) => {
  console.error(`RAG Core failed to start: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});

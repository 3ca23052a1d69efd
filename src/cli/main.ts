// `tejarat ask` and `tejarat check`: the RAG Core client from a terminal, for people and for diagnosing a
// core. The token comes from TEJARAT_TOKEN or --token-file only: an argument would sit in the shell history
// and in every process listing.
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { checkCoreUrl, createCoreClient, CoreError, type AskEvent, type CheckReport, type CoreClientOptions, type ErrorKind } from '../core/index.js';

const PRODUCTION_CORE = 'https://core.tejarat.chat';

export const exitCodes = { answered: 0, usage: 2, auth: 3, network: 4, server: 5, interrupted: 130 } as const;

const usage = `Usage:
  tejarat ask [--url URL] [--json] [--no-stream] [--conversation ID] [--language fa|en] QUESTION
  tejarat check [--url URL] [--json]

Options for both:
  --url URL           the core (default: $TEJARAT_CORE_URL, else ${PRODUCTION_CORE})
  --token-file FILE   read the token from FILE (default: $TEJARAT_TOKEN)
  --ca-file FILE      trust the extra CA certificates in FILE (PEM)
  --proxy URL         use this proxy (default: $HTTPS_PROXY / $NO_PROXY)
  --header "N: V"     send an extra request header (repeatable; never Authorization)
  --allow-insecure-http  allow a plain http:// core that is not on this machine (the token travels
                      in clear text); without it only https:// and loopback http:// are used

Exit codes: 0 answered, 2 usage, 3 auth, 4 network or timeout, 5 server or protocol error, 130 interrupted.`;

class UsageError extends Error {}

interface Io {
  out: (text: string) => void;
  err: (text: string) => void;
  env: NodeJS.ProcessEnv;
}

/** Runs one command; resolves with the exit code. `signal` is Ctrl+C. */
export async function main(argv: string[], io: Io, signal: AbortSignal): Promise<number> {
  try {
    const [command, ...rest] = argv;
    if (command === 'ask') return await ask(rest, io, signal);
    if (command === 'check') return await check(rest, io, signal);
    if (command === '--help' || command === '-h' || command === 'help') {
      io.out(`${usage}\n`);
      return exitCodes.answered;
    }
    throw new UsageError(command ? `Unknown command "${command}".` : 'No command given.');
  } catch (error) {
    if (error instanceof UsageError) {
      io.err(`tejarat: ${error.message}\n\n${usage}\n`);
      return exitCodes.usage;
    }
    if (error instanceof CoreError) {
      io.err(`tejarat: ${error.message}\n`);
      return error.info.kind === 'config' ? exitCodes.usage : exitCodeFor(error.info.kind);
    }
    throw error;
  }
}

const commonOptions = {
  url: { type: 'string' },
  'token-file': { type: 'string' },
  'ca-file': { type: 'string' },
  proxy: { type: 'string' },
  header: { type: 'string', multiple: true },
  json: { type: 'boolean', default: false },
  'allow-insecure-http': { type: 'boolean', default: false },
  token: { type: 'string' },
} as const;

async function ask(args: string[], io: Io, signal: AbortSignal): Promise<number> {
  const { values, positionals } = parse(args, {
    ...commonOptions,
    'no-stream': { type: 'boolean', default: false },
    conversation: { type: 'string' },
    language: { type: 'string' },
  });
  const query = positionals.join(' ').trim();
  if (!query) throw new UsageError('No question given.');
  if (values.language !== undefined && values.language !== 'fa' && values.language !== 'en') {
    throw new UsageError(`--language must be fa or en, not "${values.language}".`);
  }
  const client = createCoreClient({ ...clientOptions(values, io), streaming: values['no-stream'] ? 'never' : 'auto' });
  let code: number = exitCodes.server;
  let endsWithNewline = true;
  try {
    for await (const event of client.ask({ query, conversationId: values.conversation, language: values.language }, { signal })) {
      if (values.json) {
        io.out(`${JSON.stringify(event)}\n`);
      } else if (event.type === 'chunk') {
        io.out(event.content);
        endsWithNewline = event.content.endsWith('\n');
      } else {
        if (!endsWithNewline && (event.type === 'end' || event.type === 'error')) {
          io.out('\n');
          endsWithNewline = true;
        }
        io.err(describe(event));
      }
      if (event.type === 'end') code = exitCodes.answered;
      if (event.type === 'error') code = exitCodeFor(event.error.kind);
    }
  } finally {
    await client.close();
  }
  return code;
}

async function check(args: string[], io: Io, signal: AbortSignal): Promise<number> {
  const { values, positionals } = parse(args, commonOptions);
  if (positionals.length > 0) throw new UsageError(`check takes no question (got "${positionals.join(' ')}").`);
  const client = createCoreClient(clientOptions(values, io));
  try {
    const report = await client.check({ signal });
    io.out(values.json ? `${JSON.stringify(report)}\n` : formatCheck(report));
    if (signal.aborted) return exitCodes.interrupted;
    if (report.error) return exitCodeFor(report.error.kind);
    return report.reachable && report.tokenAccepted ? exitCodes.answered : exitCodes.auth;
  } finally {
    await client.close();
  }
}

export function formatCheck(report: CheckReport): string {
  const streaming =
    report.streaming === 'active'
      ? `active (the stream endpoint answered ${report.streamStatus ?? 200})`
      : report.streaming === 'fallback'
        ? `fallback: the stream endpoint answered ${report.streamStatus ?? 'no stream'}, answers use the normal request`
        : 'unknown';
  const token = report.tokenAccepted === true ? 'accepted' : report.tokenAccepted === false ? 'rejected' : 'not checked';
  const { connectMs, headersMs, firstEventMs, totalMs } = report.timings;
  const ms = (value: number | undefined): string => (value === undefined ? '-' : `${value} ms`);
  const paths = { vscode: "VS Code's network settings", 'explicit-proxy': 'explicit proxy', 'environment-proxy': 'proxy from the environment', direct: 'direct' } as const;
  const trusts = {
    'vscode-system': "the system's certificates (through VS Code)",
    node: "Node's built-in certificates",
    'ca-file': "Node's built-in certificates and the CA file",
    'none-insecure': 'NOTHING: certificate checks are off',
    'not-tls': 'no TLS (plain http)',
  } as const;
  const lines = [
    `Core:       ${report.baseUrl}`,
    `Reachable:  ${report.reachable ? 'yes' : 'no'}`,
    `Token:      ${token}`,
    `Streaming:  ${streaming}`,
    `Timings:    connect ${ms(connectMs)}, headers ${ms(headersMs)}, first event ${ms(firstEventMs)}, total ${totalMs} ms`,
    `Network:    ${paths[report.network.path]}${report.network.proxy ? ` (${report.network.proxy})` : ''}`,
    `Trust:      ${trusts[report.network.trust]}`,
  ];
  if (report.error) lines.push(`Problem:    ${report.error.message}`);
  return `${lines.join('\n')}\n`;
}

function describe(event: Exclude<AskEvent, { type: 'chunk' }>): string {
  switch (event.type) {
    case 'start':
      return event.mode === 'fallback' ? '[non-streaming mode: the core answered with the normal request]\n' : '';
    case 'sources':
      return event.sources.length === 0
        ? ''
        : `\nSources:\n${event.sources
            .map((source, index) => `  ${index + 1}. ${source.title ?? source.url ?? 'untitled'}${source.url && source.title ? ` <${source.url}>` : ''}${source.page !== undefined ? ` (section ${source.page})` : ''}${source.score !== undefined ? ` score ${source.score.toFixed(2)}` : ''}`)
            .join('\n')}\n`;
    case 'end': {
      const { model, tokens, processingTimeMs, cached } = event.metadata;
      const parts = [model, tokens !== undefined ? `${tokens} tokens` : undefined, processingTimeMs !== undefined ? `${processingTimeMs} ms` : undefined, cached ? 'cached' : undefined, event.mode === 'fallback' ? 'non-streaming' : undefined];
      return `\n${parts.filter(Boolean).join(' · ')}\n`;
    }
    case 'error':
      return `\ntejarat: ${event.error.message}\n`;
  }
}

function exitCodeFor(kind: ErrorKind): number {
  switch (kind) {
    case 'auth':
      return exitCodes.auth;
    case 'network':
    case 'timeout':
      return exitCodes.network;
    case 'cancelled':
      return exitCodes.interrupted;
    case 'config':
      return exitCodes.usage;
    default:
      return exitCodes.server;
  }
}

type OptionSpec = Parameters<typeof parseArgs>[0] extends infer C ? (C extends { options?: infer O } ? O : never) : never;

function parse<O extends OptionSpec>(args: string[], options: O) {
  try {
    const parsed = parseArgs({ args, options, allowPositionals: true, strict: true });
    if ((parsed.values as { token?: unknown }).token !== undefined) {
      throw new UsageError('Pass the token in TEJARAT_TOKEN or with --token-file, never as an argument: arguments show in shell history and process lists.');
    }
    return parsed;
  } catch (error) {
    if (error instanceof UsageError) throw error;
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
}

function clientOptions(
  values: { url?: string; 'token-file'?: string; 'ca-file'?: string; proxy?: string; header?: string[]; 'allow-insecure-http'?: boolean },
  io: Io,
): CoreClientOptions {
  const raw = values.url ?? io.env.TEJARAT_CORE_URL ?? PRODUCTION_CORE;
  const checked = checkCoreUrl(raw, values['allow-insecure-http'] === true);
  if (!checked.ok) {
    const from = values.url !== undefined ? '--url' : 'TEJARAT_CORE_URL';
    const hint = checked.code === 'insecure-http' ? ' (--allow-insecure-http allows it)' : '';
    throw new UsageError(`${from}: ${checked.message}${hint}`);
  }
  const tokenFile = values['token-file'];
  const token = tokenFile ? readTextFile(tokenFile, 'token file').trim() : io.env.TEJARAT_TOKEN?.trim();
  const headers: Record<string, string> = {};
  for (const header of values.header ?? []) {
    const colon = header.indexOf(':');
    const name = header.slice(0, colon).trim();
    if (colon <= 0 || !/^[!#$%&'*+.^_`|~0-9a-z-]+$/i.test(name)) throw new UsageError(`--header must look like "Name: value" (got "${header}").`);
    if (name.toLowerCase() === 'authorization') throw new UsageError('--header cannot set Authorization: use TEJARAT_TOKEN or --token-file.');
    headers[name] = header.slice(colon + 1).trim();
  }
  return {
    baseUrl: checked.url.href,
    getToken: () => token || undefined,
    ca: values['ca-file'] ? readTextFile(values['ca-file'], 'CA file') : undefined,
    proxyUrl: values.proxy,
    headers,
    log: io.env.TEJARAT_DEBUG ? (level, message) => io.err(`[${level}] ${message}\n`) : undefined,
  };
}

function readTextFile(path: string, what: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new UsageError(`Cannot read the ${what} ${path}${code ? ` (${code})` : ''}.`);
  }
}

if (require.main === module) {
  const controller = new AbortController();
  // Ctrl+C aborts the request, which closes the socket at once; a second Ctrl+C leaves without waiting.
  process.once('SIGINT', () => {
    controller.abort();
    process.once('SIGINT', () => process.exit(exitCodes.interrupted));
  });
  main(process.argv.slice(2), { out: (text) => process.stdout.write(text), err: (text) => process.stderr.write(text), env: process.env }, controller.signal).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      process.stderr.write(`tejarat: unexpected failure: ${error instanceof Error ? error.message : String(error)}\n`);
      process.exitCode = 1;
    },
  );
}

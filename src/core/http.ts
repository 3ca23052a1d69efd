// The client's HTTP layer on undici: one keep-alive dispatcher per client (direct, explicit proxy, or the
// environment's HTTPS_PROXY/NO_PROXY), extra CA certificates added to Node's own, and redirects followed
// only within the core's origin, so the bearer token never travels anywhere else.
import { rootCertificates } from 'node:tls';
import { Agent, EnvHttpProxyAgent, ProxyAgent, request, type Dispatcher } from 'undici';
import { CoreError, formatBytes } from './errors.js';

export interface DispatcherOptions {
  proxyUrl?: string;
  ca?: string | string[];
  rejectUnauthorized?: boolean;
  /** TCP/TLS connect and response headers. */
  connectMs: number;
}

export function createDispatcher(options: DispatcherOptions): Dispatcher {
  const extraCa = options.ca === undefined ? [] : Array.isArray(options.ca) ? options.ca : [options.ca];
  const tls = {
    // Node's `ca` replaces the default roots; a corporate CA must be added to them, not swapped in.
    ca: extraCa.length > 0 ? [...rootCertificates, ...extraCa] : undefined,
    rejectUnauthorized: options.rejectUnauthorized ?? true,
    timeout: options.connectMs,
  };
  const agentOptions = {
    connect: tls,
    // Reaching the first byte of the body and the gaps inside it are timed by the client per phase.
    headersTimeout: options.connectMs,
    bodyTimeout: 0,
    keepAliveTimeout: 30_000,
  };
  if (options.proxyUrl) return new ProxyAgent({ ...agentOptions, uri: options.proxyUrl, requestTls: tls });
  const env = process.env;
  if (env.HTTPS_PROXY || env.https_proxy || env.HTTP_PROXY || env.http_proxy) {
    return new EnvHttpProxyAgent({ ...agentOptions, requestTls: tls } as EnvHttpProxyAgent.Options);
  }
  return new Agent(agentOptions);
}

export interface PostOptions {
  dispatcher: Dispatcher;
  headers: Record<string, string>;
  body: string;
  signal: AbortSignal;
}

export type Response = Dispatcher.ResponseData;

const MAX_REDIRECTS = 5;

/** POSTs `body` to `url`, following redirects only to the same origin (307/308 keep the POST; so do we for 301–303). */
export async function post(url: URL, options: PostOptions): Promise<Response> {
  let target = url;
  for (let hop = 0; ; hop++) {
    const response = await request(target, {
      method: 'POST',
      dispatcher: options.dispatcher,
      headers: options.headers,
      body: options.body,
      signal: options.signal,
    });
    // An aborted or destroyed body emits 'error'; whoever reads the body sees that error through its own
    // iteration, and a body nobody reads any more must not crash the process with it.
    response.body.on('error', ignore);
    const location = response.headers.location;
    if (response.statusCode < 300 || response.statusCode >= 400 || typeof location !== 'string') return response;
    response.body.resume();
    const next = new URL(location, target);
    if (next.origin !== url.origin) {
      throw new CoreError({
        kind: 'config',
        status: response.statusCode,
        message: `The core redirected to another origin (${next.origin}); the request was not sent there. Check the core URL.`,
      });
    }
    if (hop >= MAX_REDIRECTS) {
      throw new CoreError({ kind: 'server', status: response.statusCode, message: 'The core redirected too many times.' });
    }
    target = next;
  }
}

/** Reads a whole body as text, up to `maxBytes`; more than that is a protocol error, not a memory problem. */
export async function readText(body: Response['body'], maxBytes: number): Promise<string> {
  const decoder = new TextDecoder('utf-8');
  let received = 0;
  let text = '';
  for await (const piece of body as AsyncIterable<Uint8Array>) {
    received += piece.byteLength;
    if (received > maxBytes) {
      discard(body);
      throw new CoreError({ kind: 'protocol', message: `The core's answer is larger than the ${formatBytes(maxBytes)} limit.` });
    }
    text += decoder.decode(piece, { stream: true });
  }
  return text + decoder.decode();
}

/** Closes a body we do not want to read; the socket goes with it. */
export function discard(body: Response['body']): void {
  body.on('error', ignore);
  body.destroy();
}

function ignore(): void {}

/** Retry-After in milliseconds, from seconds or an HTTP date. */
export function retryAfterMs(value: string | string[] | undefined, now = Date.now()): number | undefined {
  const header = Array.isArray(value) ? value[0] : value;
  if (!header) return undefined;
  const seconds = Number(header);
  if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
  const date = Date.parse(header);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

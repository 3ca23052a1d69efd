// The client's HTTP layer: two transports behind one small interface, redirects followed only within the core's
// origin (so the bearer token never travels anywhere else), and the moment a request's headers go out.
// - undici: one keep-alive dispatcher per client (direct, explicit proxy, or the environment's
//   HTTPS_PROXY/NO_PROXY), extra CA certificates added to Node's own.
// - fetch: a given fetch used exactly as it is (in VS Code's extension host it carries VS Code's proxy and
//   certificate support, which a dispatcher of ours would replace).
import { randomUUID } from 'node:crypto';
import { subscribe } from 'node:diagnostics_channel';
import { rootCertificates } from 'node:tls';
import { Agent, EnvHttpProxyAgent, ProxyAgent, request, type Dispatcher } from 'undici';
import { coreError, formatBytes } from './errors.js';

/** One response, whichever transport brought it. Its body has one reader. */
export interface HttpResponse {
  status: number;
  header(name: string): string | undefined;
  body: AsyncIterable<Uint8Array>;
  /** Closes a body nobody will read; the connection goes with it. */
  discard(): void;
}

export interface SendOptions {
  headers: Record<string, string>;
  body: string;
  signal: AbortSignal;
}

export interface Transport {
  readonly kind: 'undici' | 'fetch';
  /** Whether `onSent` is known to be reported for this transport's requests (learned for a given fetch). */
  readonly connectObservable: boolean;
  /** One request, no redirect followed. */
  send(url: URL, options: SendOptions): Promise<HttpResponse>;
  /** A request of this transport was seen going out: from now on its connect phase is observable. */
  noteSent(): void;
  close(): Promise<void>;
}

export interface UndiciOptions {
  proxyUrl?: string;
  ca?: string | string[];
  rejectUnauthorized?: boolean;
  /** TCP and TLS connect (undici's own connect timeout, which also covers a proxy's). */
  connectMs: number;
}

/** Whether the environment names a proxy undici's EnvHttpProxyAgent would use for some origin. */
export function environmentProxy(env: NodeJS.ProcessEnv = process.env): string | undefined {
  return env.HTTPS_PROXY || env.https_proxy || env.HTTP_PROXY || env.http_proxy || undefined;
}

export function createUndiciTransport(options: UndiciOptions): Transport {
  const extraCa = options.ca === undefined ? [] : Array.isArray(options.ca) ? options.ca : [options.ca];
  const tls = {
    // Node's `ca` replaces the default roots; a corporate CA must be added to them, not swapped in.
    ca: extraCa.length > 0 ? [...rootCertificates, ...extraCa] : undefined,
    rejectUnauthorized: options.rejectUnauthorized ?? true,
    timeout: options.connectMs > 0 ? options.connectMs : undefined,
  };
  const agentOptions = {
    connect: tls,
    // Off: a core may take minutes to send headers or the whole body; the client's phase timer owns those limits.
    headersTimeout: 0,
    bodyTimeout: 0,
    keepAliveTimeout: 30_000,
  };
  let dispatcher: Dispatcher;
  if (options.proxyUrl) dispatcher = new ProxyAgent({ ...agentOptions, uri: options.proxyUrl, requestTls: tls, proxyTls: tls });
  else if (environmentProxy()) dispatcher = new EnvHttpProxyAgent({ ...agentOptions, requestTls: tls } as EnvHttpProxyAgent.Options);
  else dispatcher = new Agent(agentOptions);
  return {
    kind: 'undici',
    connectObservable: true,
    async send(url, { headers, body, signal }) {
      const response = await request(url, { method: 'POST', dispatcher, headers, body, signal });
      // An aborted or destroyed body emits 'error'; whoever reads the body sees that error through its own
      // iteration, and a body nobody reads any more must not crash the process with it.
      response.body.on('error', ignore);
      return {
        status: response.statusCode,
        header: (name) => {
          const value = response.headers[name];
          return Array.isArray(value) ? value[0] : value;
        },
        body: response.body as AsyncIterable<Uint8Array>,
        discard: () => response.body.destroy(),
      };
    },
    noteSent: ignore,
    // Destroy, not close: close waits for requests still queued for a connection that may never come.
    close: () => dispatcher.destroy(),
  };
}

/** Fetch functions whose requests were seen on undici's diagnostics channel: their connect phase is observable. */
const observedFetches = new WeakSet<typeof globalThis.fetch>();

export function createFetchTransport(fetchFn: typeof globalThis.fetch): Transport {
  return {
    kind: 'fetch',
    get connectObservable() {
      return observedFetches.has(fetchFn);
    },
    async send(url, { headers, body, signal }) {
      // No dispatcher: that would replace the proxy and certificate support the given fetch carries.
      const response = await fetchFn(url, { method: 'POST', headers, body, signal, redirect: 'manual' });
      const stream = response.body;
      return {
        status: response.status,
        header: (name) => response.headers.get(name) ?? undefined,
        body: stream ? readWebStream(stream) : empty(),
        discard: () => {
          stream?.cancel().catch(ignore);
        },
      };
    },
    noteSent: () => observedFetches.add(fetchFn),
    close: async () => undefined,
  };
}

async function* readWebStream(stream: ReadableStream<Uint8Array>): AsyncGenerator<Uint8Array, void, undefined> {
  const reader = stream.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      yield value;
    }
  } finally {
    // Leaving early (stop, limit, error event) cancels the stream, which closes the connection.
    reader.cancel().catch(ignore);
  }
}

async function* empty(): AsyncGenerator<Uint8Array, void, undefined> {}

/** The header that ties a request to its diagnostics-channel messages, and a production log line to a request. */
export const REQUEST_ID = 'x-request-id';

const sentListeners = new Map<string, () => void>();
let subscribed = false;

/**
 * A fresh request id, and `onSent` called when undici publishes that the request's headers went out
 * ('undici:client:sendHeaders'; both the npm undici and Node's built-in fetch publish it). Call the returned
 * `forget` when the request ends.
 */
export function trackRequest(onSent: () => void): { id: string; forget(): void } {
  if (!subscribed) {
    subscribed = true;
    subscribe('undici:client:sendHeaders', (message) => {
      const id = requestIdOf((message as { request?: { headers?: unknown } }).request?.headers);
      if (id !== undefined) sentListeners.get(id)?.();
    });
  }
  const id = randomUUID();
  sentListeners.set(id, onSent);
  return { id, forget: () => sentListeners.delete(id) };
}

/** undici keeps request headers as a flat [name, value, …] array (strings or buffers), or as raw text. */
function requestIdOf(headers: unknown): string | undefined {
  if (Array.isArray(headers)) {
    for (let index = 0; index + 1 < headers.length; index += 2) {
      if (String(headers[index]).toLowerCase() === REQUEST_ID) return String(headers[index + 1]);
    }
    return undefined;
  }
  if (typeof headers === 'string') return /(?:^|\r\n)x-request-id:\s*([^\r\n]+)/i.exec(headers)?.[1]?.trim();
  return undefined;
}

const MAX_REDIRECTS = 5;

/** POSTs `body` to `url`, following redirects only to the same origin (307/308 keep the POST; so do we for 301–303). */
export async function post(transport: Transport, url: URL, options: SendOptions): Promise<HttpResponse> {
  let target = url;
  for (let hop = 0; ; hop++) {
    const response = await transport.send(target, options);
    const location = response.header('location');
    if (response.status < 300 || response.status >= 400 || location === undefined) return response;
    response.discard();
    const next = new URL(location, target);
    if (next.origin !== url.origin) {
      throw coreError('config', 'redirect-other-origin', { origin: next.origin }, { status: response.status });
    }
    if (hop >= MAX_REDIRECTS) throw coreError('server', 'too-many-redirects', undefined, { status: response.status });
    target = next;
  }
}

/** Reads a whole body as text, up to `maxBytes`; more than that is a protocol error, not a memory problem. */
export async function readText(response: HttpResponse, maxBytes: number): Promise<string> {
  const decoder = new TextDecoder('utf-8');
  let received = 0;
  let text = '';
  for await (const piece of response.body) {
    received += piece.byteLength;
    if (received > maxBytes) {
      response.discard();
      throw coreError('protocol', 'answer-too-large', { limit: formatBytes(maxBytes) });
    }
    text += decoder.decode(piece, { stream: true });
  }
  return text + decoder.decode();
}

function ignore(): void {}

/** Retry-After in milliseconds, from seconds or an HTTP date. */
export function retryAfterMs(header: string | undefined, now = Date.now()): number | undefined {
  if (!header) return undefined;
  const seconds = Number(header);
  if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
  const date = Date.parse(header);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

// The local RAG Core: the production protocol on loopback (HTTP or HTTPS), with an extractive answer over the
// product's docs, an optional latency model, and per-request scenarios (header `x-tejarat-scenario`, see README.md).
// Used by tests, benches and `npm start`.
import {
  createServer,
  type IncomingHttpHeaders,
  type IncomingMessage,
  type RequestListener,
  type ServerResponse,
} from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import {
  errorJson,
  errorPage,
  htmlPage,
  nonAnswerBody,
  normalAnswerBody,
  parseQueryBody,
  prepareAnswer,
  signInPage,
  streamEvents,
  type PreparedAnswer,
} from './answers';
import { requestTiming, type LatencyModel, type RequestTiming } from './latency';
import { createRetriever } from './retrieval';
import { parseScenario, SCENARIO_HEADER, SCENARIO_KEY_HEADER, type Scenario } from './scenarios';
import { writeBytes, type OutgoingEvent } from './sse';
import { closeSignal, playHeartbeatsOnly, playStream, wait } from './stream';

export type { LatencyModel } from './latency';
export { REALISTIC_LATENCY } from './latency';

export interface CoreServerOptions {
  /** Default '127.0.0.1'. Only loopback addresses are accepted. */
  host?: string;
  /** Default 0: a free port. */
  port?: number;
  /** Default 'dev-token'; null turns the bearer check off. */
  token?: string | null;
  /** Default true; false makes the stream endpoint answer 404, like today's production core. */
  streaming?: boolean;
  /** Delay between chunks when no token rate applies, default 15 ms. */
  paceMs?: number;
  /** Code points per chunk; default 6, or one token per chunk when a token rate applies. */
  chunkChars?: number;
  streamPath?: string;
  queryPath?: string;
  /**
   * How long answers take: retrieval before the stream's headers, then chunks at a token rate with jitter; the
   * normal endpoint answers once the whole answer is generated. Default: none (the stream is paced by `paceMs`,
   * the normal endpoint answers at once).
   */
  latency?: LatencyModel;
  /** Multiplies every delay of the server (latency model, pace and scenario times); default 1. */
  timeScale?: number;
  /** Serve HTTPS with this key and certificate chain (PEM) instead of HTTP. */
  tls?: { key: string | Buffer; cert: string | Buffer };
}

export interface RecordedRequest {
  path: string;
  /** Lower-case names, as Node gives them. */
  headers: IncomingHttpHeaders;
  /** The parsed JSON body, or undefined when it was not JSON. */
  body: unknown;
}

export interface CoreServerStats {
  stream: number;
  query: number;
}

export interface RunningCoreServer {
  /** 'http://127.0.0.1:PORT', or 'https://…' with `tls`. */
  readonly url: string;
  /** The accepted token (null: no check). */
  readonly token: string | null;
  readonly streaming: boolean;
  setStreaming(on: boolean): void;
  /** Requests received per endpoint, whatever their answer. A snapshot. */
  readonly stats: CoreServerStats;
  resetStats(): void;
  /** The most recent request to either endpoint. */
  readonly lastRequest: RecordedRequest | undefined;
  /** Stops listening and destroys every open connection at once. */
  close(): Promise<void>;
}

export const DEFAULT_TOKEN = 'dev-token';
const MAX_BODY_BYTES = 1024 * 1024;
/** Answers kept for `ids` resume, per scenario key. */
const MAX_RESUMABLE_ANSWERS = 100;
const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '::1']);
const DEFAULT_CHUNK_CHARS = 6;
/** `trickle` on the normal endpoint: bytes per piece of the JSON body. */
const TRICKLE_PIECE_BYTES = 64;
/** What a single sign-on proxy sends with its login page. */
const SIGN_IN_HEADERS = { 'Cache-Control': 'no-store', 'Set-Cookie': 'sso_session=pending; Path=/; HttpOnly; Secure' };

type Endpoint = 'stream' | 'query';

function sendJson(
  res: ServerResponse,
  status: number,
  body: string | object,
  headers: Record<string, string> = {},
): void {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  res.writeHead(status, {
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': Buffer.byteLength(text),
    ...headers,
  });
  res.end(text);
}

function sendHtml(res: ServerResponse, status: number, html: string, headers: Record<string, string> = {}): void {
  res.writeHead(status, {
    'Content-Type': 'text/html; charset=utf-8',
    'Content-Length': Buffer.byteLength(html),
    ...headers,
  });
  res.end(html);
}

/** A `status=` scenario answer: HTML for 5xx (like a gateway), JSON `{"error"}` otherwise. */
function sendStatus(res: ServerResponse, status: number, retryAfter: string | undefined): void {
  const headers: Record<string, string> = retryAfter === undefined ? {} : { 'Retry-After': retryAfter };
  if (status >= 500) sendHtml(res, status, errorPage(status), headers);
  else sendJson(res, status, errorJson(status), headers);
}

async function readBody(req: IncomingMessage): Promise<string | undefined> {
  const parts: Buffer[] = [];
  let size = 0;
  // Read to the end even when too large (and keep nothing), so the 413 still reaches the client.
  for await (const part of req as AsyncIterable<Buffer>) {
    size += part.length;
    if (size <= MAX_BODY_BYTES) parts.push(part);
  }
  return size > MAX_BODY_BYTES ? undefined : Buffer.concat(parts).toString('utf8');
}

function tryParseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function headerValue(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value.join(',') : value;
}

export async function startCoreServer(options: CoreServerOptions = {}): Promise<RunningCoreServer> {
  const host = options.host ?? '127.0.0.1';
  if (!LOOPBACK_HOSTS.has(host)) throw new Error(`The local RAG Core only listens on loopback, not on ${host}`);
  const token = options.token === undefined ? DEFAULT_TOKEN : options.token;
  const paceMs = options.paceMs ?? 15;
  const chunkChars = options.chunkChars === undefined ? undefined : Math.max(1, options.chunkChars);
  const timeScale = options.timeScale ?? 1;
  if (!(timeScale >= 0)) throw new Error(`timeScale must be 0 or more, got ${timeScale}`);
  const latency = options.latency;
  const paths: Record<string, Endpoint> = {
    [options.streamPath ?? '/api/v1/query/stream']: 'stream',
    [options.queryPath ?? '/api/v1/query']: 'query',
  };
  const retriever = createRetriever();

  let streaming = options.streaming ?? true;
  let stats: CoreServerStats = { stream: 0, query: 0 };
  let lastRequest: RecordedRequest | undefined;
  const failuresByKey = new Map<string, number>();
  const resumableByKey = new Map<string, OutgoingEvent[]>();
  const sockets = new Set<Socket>();

  /** `fail-first=K`: true while fewer than K requests with this key have failed. */
  function shouldFail(scenario: Scenario, key: string): boolean {
    if (scenario.failFirst === undefined) return true;
    const failed = failuresByKey.get(key) ?? 0;
    if (failed >= scenario.failFirst) return false;
    failuresByKey.set(key, failed + 1);
    return true;
  }

  async function answerStream(
    req: IncomingMessage,
    res: ServerResponse,
    scenario: Scenario,
    key: string,
    answer: PreparedAnswer,
    timing: RequestTiming,
    signal: AbortSignal,
  ): Promise<void> {
    if (scenario.jsonOnStream) {
      // A gateway that turns the stream into one JSON answer: like the normal endpoint, it waits for all of it.
      if (!(await wait(timing.wholeAnswerMs(answer.text), signal))) return;
      return sendJson(res, 200, normalAnswerBody(answer, scenario));
    }
    if (scenario.wrongContentType) return sendHtml(res, 200, htmlPage('Tejarat Chat', 'Please sign in to continue.'));
    if (scenario.heartbeatsOnlyMs !== undefined) {
      return playHeartbeatsOnly(res, scenario, Math.max(1, timing.scale(scenario.heartbeatsOnlyMs)));
    }
    const plan = {
      answer,
      scenario,
      chunkDelayMs: timing.chunkDelayMs,
      ...(scenario.trickleMs === undefined ? {} : { trickleMs: timing.scale(scenario.trickleMs) }),
      ...(scenario.heartbeatMs === undefined ? {} : { heartbeatMs: timing.scale(scenario.heartbeatMs) }),
    };
    const lastEventId = Number.parseInt(headerValue(req.headers, 'last-event-id') ?? '', 10);
    const reconnecting = scenario.ids && Number.isInteger(lastEventId);
    const stored = reconnecting ? resumableByKey.get(key) : undefined;
    // A resumed answer was retrieved already: no retrieval wait before its headers.
    if (stored) return playStream(res, { ...plan, events: stored, afterId: lastEventId, mayDrop: false });

    // A streaming core sends its headers once retrieval is done.
    if (!(await wait(timing.streamHeadersMs(), signal))) return;
    const events = streamEvents(answer, scenario);
    if (scenario.ids) {
      // Kept per key, so a reconnect with Last-Event-ID resumes this very answer (ids included).
      resumableByKey.delete(key);
      if (resumableByKey.size >= MAX_RESUMABLE_ANSWERS) resumableByKey.delete(resumableByKey.keys().next().value ?? '');
      resumableByKey.set(key, events);
    }
    // A reconnect is never dropped again, so `ids,drop-after=N` drops once and then resumes to the end.
    return playStream(res, { ...plan, events, mayDrop: !reconnecting });
  }

  /** The normal endpoint: status and headers only once the whole answer is ready, then the body. */
  async function answerWhole(
    res: ServerResponse,
    scenario: Scenario,
    answer: PreparedAnswer,
    timing: RequestTiming,
    signal: AbortSignal,
  ): Promise<void> {
    if (!(await wait(timing.wholeAnswerMs(answer.text), signal))) return;
    if (scenario.trickleMs === undefined) return sendJson(res, 200, normalAnswerBody(answer, scenario));
    // A slow link: the body in small pieces, one every `trickle` ms.
    const body = Buffer.from(JSON.stringify(normalAnswerBody(answer, scenario)), 'utf8');
    res.writeHead(200, { 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': body.length });
    res.flushHeaders();
    const interval = Math.max(1, timing.scale(scenario.trickleMs));
    for (let offset = 0; offset < body.length; offset += TRICKLE_PIECE_BYTES) {
      if (offset > 0 && !(await wait(interval, signal))) return;
      await writeBytes(res, body.subarray(offset, offset + TRICKLE_PIECE_BYTES));
    }
    res.end();
  }

  async function handleEndpoint(
    req: IncomingMessage,
    res: ServerResponse,
    endpoint: Endpoint,
    path: string,
  ): Promise<void> {
    stats = { ...stats, [endpoint]: stats[endpoint] + 1 };
    const raw = await readBody(req);
    lastRequest = { path, headers: { ...req.headers }, body: raw === undefined ? undefined : tryParseJson(raw) };
    const scenario = parseScenario(headerValue(req.headers, SCENARIO_HEADER));
    const key = headerValue(req.headers, SCENARIO_KEY_HEADER) ?? '';
    const timing = requestTiming(scenario, { model: latency, paceMs, timeScale });
    const signal = closeSignal(res);

    if (scenario.slowHeadersMs !== undefined && !(await wait(timing.scale(scenario.slowHeadersMs), signal))) return;
    // A portal in front of the core answers whatever is asked, before the core sees it: with 200, or with the
    // scenario's status (a gateway's 403 page, a proxy's 407).
    if (scenario.signInPage) return sendHtml(res, scenario.status ?? 200, signInPage(), SIGN_IN_HEADERS);
    if (req.method !== 'POST') return sendJson(res, 405, errorJson(405, 'use POST'), { Allow: 'POST' });
    if (endpoint === 'stream' && !streaming) return sendJson(res, 404, errorJson(404, 'not found'));
    if (scenario.status !== undefined && shouldFail(scenario, key)) {
      return sendStatus(res, scenario.status, scenario.retryAfter);
    }
    if (token !== null && headerValue(req.headers, 'authorization') !== `Bearer ${token}`) {
      return sendJson(res, 401, errorJson(401));
    }
    if (raw === undefined) return sendJson(res, 413, errorJson(413, 'the request body is larger than 1 MiB'));
    const body = parseQueryBody(raw);
    if (typeof body === 'string') return sendJson(res, 400, errorJson(400, body));
    if (scenario.nonAnswer !== undefined) {
      // A quota or gateway refusal comes at once, unless the scenario says when.
      const after = scenario.answerAfterMs === undefined ? 0 : timing.scale(scenario.answerAfterMs);
      if (!(await wait(after, signal))) return;
      return sendJson(res, 200, nonAnswerBody(scenario.nonAnswer));
    }

    const chunking = chunkChars ?? (timing.tokensPerSecond === undefined ? DEFAULT_CHUNK_CHARS : 'tokens');
    const answer = prepareAnswer(retriever, body, scenario, chunking);
    if (endpoint === 'query') return answerWhole(res, scenario, answer, timing, signal);
    return answerStream(req, res, scenario, key, answer, timing, signal);
  }

  /** Runtime control for e2e tests and `npm start`: loopback only, no token (it never leaves this machine). */
  async function handleControl(req: IncomingMessage, res: ServerResponse, path: string): Promise<boolean> {
    const snapshot = (): object => ({ ...stats, streaming });
    if (path === '/__stats' && req.method === 'GET') {
      sendJson(res, 200, snapshot());
    } else if (path === '/__stats/reset' && req.method === 'POST') {
      stats = { stream: 0, query: 0 };
      sendJson(res, 200, snapshot());
    } else if (path === '/__control' && req.method === 'POST') {
      const body = tryParseJson((await readBody(req)) ?? '') as { streaming?: unknown } | undefined;
      if (typeof body?.streaming !== 'boolean') {
        sendJson(res, 400, errorJson(400, 'send JSON {"streaming": true|false}'));
      } else {
        streaming = body.streaming;
        sendJson(res, 200, { streaming });
      }
    } else {
      return false;
    }
    return true;
  }

  const listener: RequestListener = (req, res) => {
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    const endpoint = paths[path];
    const handled = endpoint
      ? handleEndpoint(req, res, endpoint, path).then(() => true)
      : handleControl(req, res, path);
    handled
      .then((done) => {
        if (!done) sendJson(res, 404, errorJson(404, 'not found'));
      })
      .catch((error: unknown) => {
        // A bug in this test server: say so loudly rather than hang the client.
        console.error('RAG Core test server error:', error);
        if (!res.headersSent) sendJson(res, 500, errorJson(500, 'internal error'));
        else res.destroy();
      });
  };
  const server = options.tls
    ? createHttpsServer({ key: options.tls.key, cert: options.tls.cert }, listener)
    : createServer(listener);
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const urlHost = address.family === 'IPv6' ? `[${address.address}]` : address.address;

  return {
    url: `${options.tls ? 'https' : 'http'}://${urlHost}:${address.port}`,
    token,
    get streaming() {
      return streaming;
    },
    setStreaming(on) {
      streaming = on;
    },
    get stats() {
      return { ...stats };
    },
    resetStats() {
      stats = { stream: 0, query: 0 };
    },
    get lastRequest() {
      return lastRequest;
    },
    close() {
      return new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const socket of sockets) socket.destroy();
        server.closeAllConnections();
      });
    },
  };
}

// Public types of the RAG Core client. Plain data only: no `vscode`, no DOM, so the CLI,
// the extension host and the tests share them.
import type { ErrorCode, ErrorParams } from './error-text.js';

/** How the client talks to the core. `auto` streams and falls back to the normal request on 404/405/501. */
export type StreamingPreference = 'auto' | 'always' | 'never';

/** Which endpoint served an answer. */
export type AnswerMode = 'stream' | 'fallback';

/**
 * One limit per phase of a request, as real cores answer: connecting is quick or broken, producing an answer takes
 * a RAG core 15-90 s, and a stream that goes silent mid-answer is broken. 0 turns a limit off.
 */
export interface CoreTimeouts {
  /** Opening the connection: TCP, TLS and a proxy tunnel, up to the request being sent. Default 10 000 ms. */
  connectMs?: number;
  /**
   * The question sent → the first SSE event (streaming), or → the complete JSON body (normal request). The core
   * sends headers whenever it likes inside this. Default 180 000 ms, so an answer the core takes 90 s to make arrives.
   */
  answerMs?: number;
  /** Between two SSE events once the answer streams; comments and heartbeats count as activity. Default 60 000 ms. */
  idleMs?: number;
}

/**
 * How the client's requests travel.
 * - `undici` (default): the client's own undici agent, with `proxyUrl`, `ca` and the environment's
 *   HTTPS_PROXY/HTTP_PROXY/NO_PROXY. The CLI and explicit overrides use it.
 * - `fetch`: the given fetch function as it is. In VS Code's extension host the global fetch carries VS Code's
 *   proxy resolution (`http.proxy`, PAC, system proxy, proxy auth) and the system's certificates; passing it a
 *   dispatcher would break that, so the client never does.
 */
export type CoreTransport = { kind: 'undici' } | { kind: 'fetch'; fetch: typeof globalThis.fetch };

/** Which way requests reach the core, for the status check and the log. */
export type NetworkPath = 'vscode' | 'explicit-proxy' | 'environment-proxy' | 'direct';
/** Where the trust in the core's TLS certificate comes from. */
export type TrustSource = 'vscode-system' | 'node' | 'ca-file' | 'none-insecure' | 'not-tls';

export interface CoreClientOptions {
  /** Origin (and optional base path) of the core, e.g. `https://core.tejarat.chat`. */
  baseUrl: string;
  /** Default `/api/v1/query/stream`. */
  streamPath?: string;
  /** Default `/api/v1/query`. */
  queryPath?: string;
  /** Called for every request; the token is never stored by the client. */
  getToken: () => string | undefined | Promise<string | undefined>;
  /** Sent as `language` when a request does not set its own. */
  language?: string;
  /** Default `auto`. */
  streaming?: StreamingPreference;
  timeouts?: CoreTimeouts;
  /** Default `{ kind: 'undici' }`. `proxyUrl`, `ca` and `rejectUnauthorized` apply to `undici` only. */
  transport?: CoreTransport;
  /** Explicit proxy URL. Without it `HTTPS_PROXY`/`HTTP_PROXY`/`NO_PROXY` from the environment are honoured. */
  proxyUrl?: string;
  /** Extra CA certificates (PEM) trusted besides Node's own, e.g. a corporate TLS-intercepting CA. */
  ca?: string | string[];
  /**
   * Whether to reject TLS certificates that do not verify. Default true. Only the `undici` transport honours
   * false (and the client logs a warning when it does); a given fetch checks certificates as it does.
   */
  rejectUnauthorized?: boolean;
  /** What `check()` reports as the network path, when the caller knows better (e.g. `direct` for a fetch with no proxy). */
  networkPath?: NetworkPath;
  /** How long a 404/405/501 from the stream endpoint keeps that core on the normal request. Default 600 000 ms. */
  fallbackMemoryMs?: number;
  /** Retries of network errors and 502/503/504 before any answer text. */
  retry?: { maxAttempts?: number; baseDelayMs?: number; maxDelayMs?: number };
  /** Default: one event 1 MiB, one answer 8 MiB. */
  limits?: { maxEventBytes?: number; maxAnswerBytes?: number };
  /** Extra request headers (used by tests to pick server scenarios). Never carries the token. */
  headers?: Record<string, string>;
  /** Diagnostic log. Receives no token and, above `debug`, no answer text. */
  log?: CoreLogger;
  /** Called when the client learns that the core streams, or that it falls back. */
  onStreamingStatus?: (status: StreamingStatus) => void;
}

export interface CoreClient {
  /** Yields the normalized events of one answer; ends after `end` or `error` (it never throws for I/O). */
  ask(request: AskRequest, options?: AskOptions): AsyncIterable<AskEvent>;
  check(options?: AskOptions): Promise<CheckReport>;
  /** What the client currently believes about the core's streaming endpoint. */
  readonly streamingStatus: StreamingStatus;
  /** Closes pooled connections. */
  close(): Promise<void>;
}

export type LogLevel = 'trace' | 'debug' | 'info' | 'warn' | 'error';
export type CoreLogger = (level: LogLevel, message: string) => void;

export interface AskRequest {
  query: string;
  conversationId?: string;
  language?: string;
}

export interface AskOptions {
  signal?: AbortSignal;
}

/** One retrieved document, as much of it as the core gave. `url` is only ever http(s). */
export interface Source {
  title?: string;
  url?: string;
  snippet?: string;
  score?: number;
  page?: number | string;
}

export interface AnswerMetadata {
  tokens?: number;
  processingTimeMs?: number;
  model?: string;
  cached?: boolean;
}

export type ErrorKind =
  | 'auth' // 401 / 403
  | 'rate-limited' // 429
  | 'server' // 5xx, other unexpected statuses, or an `error` event from the core
  | 'network' // DNS, refused, reset, TLS
  | 'timeout' // see `timeout`
  | 'protocol' // bad JSON, wrong content type, over a size limit
  | 'cancelled' // the caller aborted
  | 'config'; // bad base URL, no token, …

export type TimeoutPhase = 'connect' | 'answer' | 'idle';

/** What a UI needs to act on an error. `message` is one clear sentence, safe to show (no token, no HTML). */
export interface CoreErrorInfo {
  kind: ErrorKind;
  /** Which sentence of error-text.ts: a UI shows that sentence in its own language, filled with `params`. */
  code: ErrorCode;
  params?: ErrorParams;
  /** The core's own words (an error event, a JSON `error`/`detail`/`message`), a safe one-line excerpt; shown quoted. */
  coreSays?: string;
  /** The English sentence (with "The answer was cut off." before it when `partial`), and the core's words quoted. */
  message: string;
  status?: number;
  /** For `rate-limited` (and 503) when the core sent Retry-After. */
  retryAfterMs?: number;
  timeout?: TimeoutPhase;
  /** Answer text had already arrived: the answer is cut off, not empty. */
  partial: boolean;
}

/** The normalized sequence `ask` yields, identical whether the core streamed or the fallback answered. */
export type AskEvent =
  | { type: 'start'; mode: AnswerMode; conversationId?: string; messageId?: string }
  | { type: 'chunk'; content: string }
  | { type: 'sources'; sources: Source[] }
  | { type: 'end'; mode: AnswerMode; metadata: AnswerMetadata }
  | { type: 'error'; error: CoreErrorInfo };

export type StreamingStatus = 'active' | 'fallback' | 'unknown';

/** What `check()` reports: the web product's system test, for one core. */
export interface CheckReport {
  baseUrl: string;
  reachable: boolean;
  /** `undefined` when the core could not be reached, or no token was available to try. */
  tokenAccepted: boolean | undefined;
  streaming: StreamingStatus;
  /** The HTTP status the stream endpoint answered, when it answered. */
  streamStatus?: number;
  /** Milliseconds from sending; a phase that was not reached (or not observable through the transport) is absent. */
  timings: { totalMs: number; connectMs?: number; headersMs?: number; firstEventMs?: number };
  network: { path: NetworkPath; trust: TrustSource; proxy?: string };
  error?: CoreErrorInfo;
}

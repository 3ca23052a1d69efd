// Public types of the RAG Core client. Plain data only: no `vscode`, no DOM, so the CLI,
// the extension host and the tests share them.

/** How the client talks to the core. `auto` streams and falls back to the normal request on 404/405/501. */
export type StreamingPreference = 'auto' | 'always' | 'never';

/** Which endpoint served an answer. */
export type AnswerMode = 'stream' | 'fallback';

export interface CoreTimeouts {
  /** Opening the TCP/TLS connection and receiving response headers. Default 10 000 ms. */
  connectMs?: number;
  /** Headers received → first SSE event (or the whole JSON body in fallback). Default 60 000 ms. */
  firstEventMs?: number;
  /** Between two SSE events; comments and heartbeats count as activity. Default 60 000 ms. */
  idleMs?: number;
}

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
  /** Explicit proxy URL. Without it `HTTPS_PROXY`/`HTTP_PROXY`/`NO_PROXY` from the environment are honoured. */
  proxyUrl?: string;
  /** Extra CA certificates (PEM) trusted besides Node's own, e.g. a corporate TLS-intercepting CA. */
  ca?: string | string[];
  /** Whether to reject TLS certificates that do not verify. Default true. */
  rejectUnauthorized?: boolean;
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

export type TimeoutPhase = 'connect' | 'first-event' | 'idle';

/** What a UI needs to act on an error. `message` is one clear sentence, safe to show (no token, no HTML). */
export interface CoreErrorInfo {
  kind: ErrorKind;
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
  timings: { totalMs: number; streamMs?: number; queryMs?: number };
  error?: CoreErrorInfo;
}

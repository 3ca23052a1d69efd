// The RAG Core client: one question in, one normalized event sequence out, whether the core streamed it
// or the normal endpoint answered. It owns the decisions around a request — which endpoint, when to retry,
// when to resume, when to give up — and leaves an event stream's bytes to event-stream.ts, shapes to
// normalize.ts and HTTP to http.ts.
import type { Dispatcher } from 'undici';
import { AnswerAssembler, answerTooLarge } from './answer.js';
import { CoreError, fromNetworkError, httpError, protocolError, redact, simpleError, timeoutError } from './errors.js';
import { createDispatcher, discard, post, readText, retryAfterMs, type Response } from './http.js';
import { readAnswerBody } from './normalize.js';
import { EventStreamReader, type ResumePoint } from './event-stream.js';
import type {
  AnswerMode,
  AskEvent,
  AskOptions,
  AskRequest,
  CheckReport,
  CoreClient,
  CoreClientOptions,
  LogLevel,
  StreamingStatus,
  TimeoutPhase,
} from './types.js';

const defaults = {
  streamPath: '/api/v1/query/stream',
  queryPath: '/api/v1/query',
  connectMs: 10_000,
  firstEventMs: 60_000,
  idleMs: 60_000,
  fallbackMemoryMs: 10 * 60_000,
  maxAttempts: 3,
  baseDelayMs: 250,
  maxDelayMs: 4_000,
  maxEventBytes: 1 << 20,
  maxAnswerBytes: 8 << 20,
};

/** Statuses that mean "this core has no streaming endpoint": the normal request answers instead. */
const NO_STREAMING = new Set([404, 405, 501]);
const RETRYABLE_STATUS = new Set([502, 503, 504]);
/** A Retry-After longer than this is reported to the person rather than waited out silently. */
const MAX_RETRY_AFTER_MS = 30_000;

/** Everything one `ask` carries between its attempts. */
interface AskState extends ResumePoint {
  body: string;
  token: string | undefined;
  answer: AnswerAssembler;
}

/**
 * Creates a client for one core. The token is asked from `getToken` for every request and never kept.
 * @throws CoreError (kind `config`) when `baseUrl` is not an http(s) URL.
 */
export function createCoreClient(options: CoreClientOptions): CoreClient {
  return new RagCoreClient(options);
}

class RagCoreClient implements CoreClient {
  readonly #options: CoreClientOptions;
  readonly #base: URL;
  readonly #dispatcher: Dispatcher;
  readonly #timeouts: { connectMs: number; firstEventMs: number; idleMs: number };
  readonly #limits: { maxEventBytes: number; maxAnswerBytes: number };
  readonly #retry: { maxAttempts: number; baseDelayMs: number; maxDelayMs: number };
  #status: StreamingStatus = 'unknown';
  /** While `Date.now()` is below this, the stream endpoint is known to be off and is not asked. */
  #fallbackUntil = 0;

  constructor(options: CoreClientOptions) {
    this.#options = options;
    this.#base = parseBaseUrl(options.baseUrl);
    this.#timeouts = {
      connectMs: options.timeouts?.connectMs ?? defaults.connectMs,
      firstEventMs: options.timeouts?.firstEventMs ?? defaults.firstEventMs,
      idleMs: options.timeouts?.idleMs ?? defaults.idleMs,
    };
    this.#limits = {
      maxEventBytes: options.limits?.maxEventBytes ?? defaults.maxEventBytes,
      maxAnswerBytes: options.limits?.maxAnswerBytes ?? defaults.maxAnswerBytes,
    };
    this.#retry = {
      maxAttempts: Math.max(1, options.retry?.maxAttempts ?? defaults.maxAttempts),
      baseDelayMs: options.retry?.baseDelayMs ?? defaults.baseDelayMs,
      maxDelayMs: options.retry?.maxDelayMs ?? defaults.maxDelayMs,
    };
    this.#dispatcher = createDispatcher({
      proxyUrl: options.proxyUrl,
      ca: options.ca,
      rejectUnauthorized: options.rejectUnauthorized,
      connectMs: this.#timeouts.connectMs,
    });
  }

  get streamingStatus(): StreamingStatus {
    return this.#status;
  }

  async close(): Promise<void> {
    await this.#dispatcher.close();
  }

  async *ask(request: AskRequest, options: AskOptions = {}): AsyncGenerator<AskEvent, void, undefined> {
    const signal = options.signal;
    const started = Date.now();
    if (!request.query.trim()) {
      yield new AnswerAssembler(0, undefined).error(simpleError('config', 'The question is empty.'));
      return;
    }
    const state: AskState = {
      body: JSON.stringify({
        query: request.query,
        conversation_id: request.conversationId,
        language: request.language ?? this.#options.language,
      }),
      token: undefined,
      answer: new AnswerAssembler(this.#limits.maxAnswerBytes, undefined),
    };
    try {
      state.token = await this.#options.getToken();
      state.answer = new AnswerAssembler(this.#limits.maxAnswerBytes, state.token);
    } catch {
      yield state.answer.error(simpleError('auth', 'The access token could not be read from the secret store.'));
      return;
    }
    if (!state.token) {
      yield state.answer.error(simpleError('auth', 'No access token is set. Set one to ask the core.'));
      return;
    }

    let mode: AnswerMode = this.#prefersFallback() ? 'fallback' : 'stream';
    let failures = 0;
    let resumes = 0;
    for (;;) {
      try {
        const outcome = yield* mode === 'stream' ? this.#streamOnce(state, signal) : this.#queryOnce(state, signal);
        if (outcome === 'use-fallback') {
          mode = 'fallback';
          continue;
        }
        this.#log('info', `answered in ${Date.now() - started} ms (${mode}, ${state.answer.textLength} characters)`);
        return;
      } catch (caught) {
        const error = this.#classify(caught, signal);
        const resumable = mode === 'stream' && state.lastEventId !== undefined && isBrokenConnection(error);
        if (resumable && resumes < this.#retry.maxAttempts) {
          resumes += 1;
          const delay = Math.min(state.serverRetryMs ?? this.#retry.baseDelayMs, this.#retry.maxDelayMs);
          this.#log('warn', `stream broke (${error.info.message}); resuming after event ${state.lastEventId} in ${delay} ms`);
          if (await sleep(delay, signal)) continue;
        } else if (state.answer.textLength === 0 && isRetryable(error) && failures + 1 < this.#retry.maxAttempts) {
          failures += 1;
          const delay = this.#backoff(failures, error.info.retryAfterMs);
          this.#log('warn', `${error.info.message} Retrying in ${delay} ms (attempt ${failures + 1} of ${this.#retry.maxAttempts}).`);
          if (await sleep(delay, signal)) continue;
        }
        const final = signal?.aborted ? simpleError('cancelled', 'The request was cancelled.') : error;
        this.#log(final.info.kind === 'cancelled' ? 'info' : 'error', `ask failed after ${Date.now() - started} ms: ${final.info.message}`);
        yield state.answer.error(final);
        return;
      }
    }
  }

  async check(options: AskOptions = {}): Promise<CheckReport> {
    const started = Date.now();
    const report: CheckReport = {
      baseUrl: this.#base.href.replace(/\/$/, ''),
      reachable: false,
      tokenAccepted: undefined,
      streaming: this.#status,
      timings: { totalMs: 0 },
    };
    let token: string | undefined;
    try {
      token = await this.#options.getToken();
    } catch {
      token = undefined;
    }
    const question = { body: JSON.stringify({ query: 'ping', language: this.#options.language }), token };
    // Headers answer "reachable, token accepted, streaming?"; the rest of an answer is not read.
    const attempt = async (path: string, accept: string): Promise<{ response: Response; ms: number }> => {
      const request = this.#open(options.signal);
      const t0 = Date.now();
      try {
        const response = await request.send(path, accept, question, {});
        discard(response.body);
        return { response, ms: Date.now() - t0 };
      } finally {
        request.close();
      }
    };
    try {
      const wantsStream = (this.#options.streaming ?? 'auto') !== 'never';
      let status: number | undefined;
      if (wantsStream) {
        const probe = await attempt(this.#streamPath, 'text/event-stream');
        report.reachable = true;
        report.streamStatus = status = probe.response.statusCode;
        report.timings.streamMs = probe.ms;
        if (status >= 200 && status < 300) this.#setStatus(isEventStream(probe.response) ? 'active' : 'fallback');
        else if (NO_STREAMING.has(status)) this.#rememberFallback(status);
      }
      if (!wantsStream || (status !== undefined && NO_STREAMING.has(status))) {
        const query = await attempt(this.#queryPath, 'application/json');
        report.reachable = true;
        report.timings.queryMs = query.ms;
        status = query.response.statusCode;
      }
      if (status === 401 || status === 403) report.tokenAccepted = false;
      else if (status !== undefined && status >= 200 && status < 300) report.tokenAccepted = token ? true : undefined;
      if (status !== undefined && (status < 200 || status >= 300)) {
        report.error = { ...httpError(status, '', '', undefined).info, partial: false };
      } else if (!token) {
        report.error = { kind: 'auth', message: 'No access token is set. Set one to ask the core.', partial: false };
      }
    } catch (caught) {
      const error = this.#classify(caught, options.signal);
      report.error = { ...error.info, message: redact(error.info.message, token), partial: false };
    }
    report.streaming = this.#status;
    report.timings.totalMs = Date.now() - started;
    this.#log('info', `check: reachable=${report.reachable} token=${String(report.tokenAccepted)} streaming=${report.streaming} in ${report.timings.totalMs} ms`);
    return report;
  }

  /** One request to the stream endpoint. Returns `use-fallback` when the core has no streaming. */
  async *#streamOnce(state: AskState, signal: AbortSignal | undefined): AsyncGenerator<AskEvent, 'done' | 'use-fallback', undefined> {
    const request = this.#open(signal);
    try {
      const extra: Record<string, string> = state.lastEventId === undefined ? {} : { 'last-event-id': state.lastEventId };
      const response = await request.send(this.#streamPath, 'text/event-stream', state, extra);
      const status = response.statusCode;
      if (NO_STREAMING.has(status) && (this.#options.streaming ?? 'auto') === 'auto' && state.lastEventId === undefined) {
        response.body.resume();
        this.#rememberFallback(status);
        return 'use-fallback';
      }
      await this.#throwUnlessOk(response);
      if (!isEventStream(response)) {
        if (isJson(response)) {
          // Some cores answer the stream endpoint with the whole answer at once: that is an answer, not an error.
          yield* this.#emitAnswer(await request.readBody(response, this.#answerBodyLimit()), state);
          return 'done';
        }
        discard(response.body);
        throw protocolError(`expected an event stream, got ${contentType(response) || 'no content type'}`);
      }
      this.#setStatus('active');

      const pending: AskEvent[] = [];
      const stream = new EventStreamReader(state.answer, state, this.#limits.maxEventBytes);
      request.expectFirstEvent();
      try {
        for await (const piece of response.body as AsyncIterable<Uint8Array>) {
          request.pause();
          stream.read(piece, pending);
          if (stream.sawEvent) request.sawEvent();
          // Events read before a failure in the same network read are still the core's words: give them first.
          while (pending.length > 0) yield pending.shift() as AskEvent;
          if (stream.failure) throw stream.failure;
          if (stream.finished) return 'done';
          request.resume();
        }
      } catch (caught) {
        request.rethrow(caught);
      }
      stream.end(pending);
      while (pending.length > 0) yield pending.shift() as AskEvent;
      if (stream.failure) throw stream.failure;
      if (stream.finished) return 'done';
      throw simpleError('network', 'The core closed the connection before the answer was complete.');
    } finally {
      request.close();
    }
  }

  /** One request to the normal endpoint, read into the same events a stream gives. */
  async *#queryOnce(state: AskState, signal: AbortSignal | undefined): AsyncGenerator<AskEvent, 'done', undefined> {
    const request = this.#open(signal);
    try {
      const response = await request.send(this.#queryPath, 'application/json', state, {});
      await this.#throwUnlessOk(response);
      yield* this.#emitAnswer(await request.readBody(response, this.#answerBodyLimit()), state);
      return 'done';
    } finally {
      request.close();
    }
  }

  async *#emitAnswer(body: string, state: AskState): AsyncGenerator<AskEvent, void, undefined> {
    let answer;
    try {
      answer = readAnswerBody(body);
    } catch {
      throw protocolError('the body is not valid JSON');
    }
    if (answer.answer.length > this.#limits.maxAnswerBytes) throw answerTooLarge(this.#limits.maxAnswerBytes);
    state.answer.textLength = answer.answer.length;
    state.answer.startSent = true;
    yield { type: 'start', mode: 'fallback', conversationId: answer.conversationId, messageId: answer.messageId };
    if (answer.answer) yield { type: 'chunk', content: answer.answer };
    yield { type: 'sources', sources: answer.sources };
    yield { type: 'end', mode: 'fallback', metadata: answer.metadata };
  }

  /** One HTTP exchange with its own abort controller, linked to the caller's signal and to the phase timers. */
  #open(signal: AbortSignal | undefined): OpenRequest {
    const controller = new AbortController();
    const relay = (): void => controller.abort();
    if (signal?.aborted) controller.abort();
    signal?.addEventListener('abort', relay, { once: true });
    let timer: ReturnType<typeof setTimeout> | undefined;
    let timedOut: TimeoutPhase | undefined;
    let sawEvent = false;
    let firstEventDeadline = 0;
    const schedule = (phase: TimeoutPhase, configuredMs: number, ms = configuredMs): void => {
      clearTimeout(timer);
      if (configuredMs <= 0) return; // 0 turns a timeout off
      timer = setTimeout(() => {
        timedOut = phase;
        controller.abort();
      }, ms);
    };
    const fail = (caught: unknown): never => {
      if (caught instanceof CoreError) throw caught;
      if (timedOut && !signal?.aborted) throw timeoutError(timedOut, this.#base.origin);
      throw this.#classify(caught, signal);
    };
    const { connectMs, firstEventMs, idleMs } = this.#timeouts;
    return {
      send: async (path, accept, question, extra) => {
        schedule('connect', connectMs);
        const t0 = Date.now();
        try {
          const url = this.#url(path);
          const response = await post(url, {
            dispatcher: this.#dispatcher,
            headers: this.#headers(question.token, accept, extra),
            body: question.body,
            signal: controller.signal,
          });
          this.#log('info', `POST ${url.pathname} → ${response.statusCode} ${contentType(response)} in ${Date.now() - t0} ms`);
          return response;
        } catch (caught) {
          return fail(caught);
        }
      },
      readBody: async (response, maxBytes) => {
        schedule('first-event', firstEventMs);
        try {
          return await readText(response.body, maxBytes);
        } catch (caught) {
          return fail(caught);
        }
      },
      expectFirstEvent: () => {
        firstEventDeadline = Date.now() + firstEventMs;
        schedule('first-event', firstEventMs);
      },
      sawEvent: () => {
        sawEvent = true;
      },
      pause: () => clearTimeout(timer),
      // Any bytes (a heartbeat comment too) restart the idle timer; the first-event deadline stays fixed,
      // because a core that only sends heartbeats is not answering.
      resume: () => {
        if (sawEvent) schedule('idle', idleMs);
        else schedule('first-event', firstEventMs, Math.max(0, firstEventDeadline - Date.now()));
      },
      close: () => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', relay);
        // Closes the socket if the body is still open (stop, error event, limit): undici destroys it.
        controller.abort();
      },
      rethrow: fail,
    };
  }

  async #throwUnlessOk(response: Response): Promise<void> {
    const status = response.statusCode;
    if (status >= 200 && status < 300) return;
    let body = '';
    try {
      body = await readText(response.body, 64 * 1024);
    } catch {
      discard(response.body);
    }
    throw httpError(status, '', body, retryAfterMs(response.headers['retry-after']));
  }

  #classify(caught: unknown, signal: AbortSignal | undefined): CoreError {
    if (signal?.aborted) return simpleError('cancelled', 'The request was cancelled.');
    if (caught instanceof CoreError) return caught;
    return fromNetworkError(caught, this.#base.origin);
  }

  #prefersFallback(): boolean {
    const preference = this.#options.streaming ?? 'auto';
    if (preference === 'never') return true;
    if (preference === 'always') return false;
    return Date.now() < this.#fallbackUntil;
  }

  #rememberFallback(status: number): void {
    const memoryMs = this.#options.fallbackMemoryMs ?? defaults.fallbackMemoryMs;
    this.#fallbackUntil = Date.now() + memoryMs;
    this.#log('info', `the stream endpoint answered ${status}: using the normal request for ${Math.round(memoryMs / 1000)} s, then trying streaming again`);
    this.#setStatus('fallback');
  }

  #setStatus(status: StreamingStatus): void {
    if (status === 'active') this.#fallbackUntil = 0;
    if (status === this.#status) return;
    this.#status = status;
    this.#log('info', `streaming: ${status}`);
    this.#options.onStreamingStatus?.(status);
  }

  #backoff(failure: number, retryAfter: number | undefined): number {
    const exponential = Math.min(this.#retry.maxDelayMs, this.#retry.baseDelayMs * 2 ** (failure - 1));
    // Full jitter spreads the retries of many clients after the same outage.
    const jittered = exponential / 2 + Math.random() * (exponential / 2);
    return Math.round(Math.max(jittered, retryAfter ?? 0));
  }

  #answerBodyLimit(): number {
    // JSON escaping and sources ride along with the answer text.
    return this.#limits.maxAnswerBytes + (1 << 20);
  }

  get #streamPath(): string {
    return this.#options.streamPath ?? defaults.streamPath;
  }

  get #queryPath(): string {
    return this.#options.queryPath ?? defaults.queryPath;
  }

  #url(path: string): URL {
    return new URL(this.#base.pathname.replace(/\/+$/, '') + (path.startsWith('/') ? path : `/${path}`), this.#base.origin);
  }

  #headers(token: string | undefined, accept: string, extra: Record<string, string>): Record<string, string> {
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(this.#options.headers ?? {})) {
      if (name.toLowerCase() !== 'authorization') headers[name.toLowerCase()] = value;
    }
    Object.assign(headers, extra, { 'content-type': 'application/json', accept, 'user-agent': 'tejarat-chat' });
    if (token) headers.authorization = `Bearer ${token}`;
    return headers;
  }

  #log(level: LogLevel, message: string): void {
    this.#options.log?.(level, message);
  }
}

interface OpenRequest {
  send(path: string, accept: string, question: Pick<AskState, 'body' | 'token'>, extra: Record<string, string>): Promise<Response>;
  readBody(response: Response, maxBytes: number): Promise<string>;
  expectFirstEvent(): void;
  sawEvent(): void;
  /** Stops the phase timer while the caller consumes events: a slow reader is not a slow core. */
  pause(): void;
  resume(): void;
  close(): void;
  rethrow(caught: unknown): never;
}

function parseBaseUrl(value: string): URL {
  let url: URL;
  try {
    url = new URL(value.trim());
  } catch {
    throw simpleError('config', `The core URL "${value.slice(0, 100)}" is not a valid URL.`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw simpleError('config', `The core URL must start with https:// or http://, not ${url.protocol}.`);
  }
  if (url.username || url.password) throw simpleError('config', 'The core URL must not contain a user name or password.');
  return url;
}

function isBrokenConnection(error: CoreError): boolean {
  return error.info.kind === 'network' || (error.info.kind === 'timeout' && error.info.timeout === 'idle');
}

function isRetryable(error: CoreError): boolean {
  if (error.info.kind === 'network') return !/TLS|certificate/i.test(error.info.message);
  if (error.info.kind !== 'server' || error.info.status === undefined || !RETRYABLE_STATUS.has(error.info.status)) return false;
  return (error.info.retryAfterMs ?? 0) <= MAX_RETRY_AFTER_MS;
}

function contentType(response: Response): string {
  const value = response.headers['content-type'];
  return (Array.isArray(value) ? value[0] : value) ?? '';
}

function isEventStream(response: Response): boolean {
  return contentType(response).toLowerCase().startsWith('text/event-stream');
}

function isJson(response: Response): boolean {
  return /^application\/([\w.+-]*\+)?json/i.test(contentType(response));
}

/** Waits, unless the signal aborts first; resolves true when the wait completed. */
function sleep(ms: number, signal: AbortSignal | undefined): Promise<boolean> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve(false);
    const done = (completed: boolean): void => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      resolve(completed);
    };
    const onAbort = (): void => done(false);
    const timer = setTimeout(() => done(true), ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

// The RAG Core client: one question in, one normalized event sequence out, whether the core streamed it
// or the normal endpoint answered. It owns the decisions around a request — which endpoint, when to retry,
// when to resume, when to give up — and leaves an event stream's bytes to event-stream.ts, shapes to
// normalize.ts and HTTP to http.ts.
import { AnswerAssembler, answerTooLarge } from './answer.js';
import { checkCoreUrl } from './core-url.js';
import { CoreError, coreError, fromNetworkError, httpError, looksLikeHtml, redact, signInPage, timeoutError } from './errors.js';
import { EventStreamReader, type ResumePoint } from './event-stream.js';
import {
  createFetchTransport,
  createUndiciTransport,
  environmentProxy,
  post,
  readText,
  REQUEST_ID,
  retryAfterMs,
  trackRequest,
  type HttpResponse,
  type Transport,
} from './http.js';
import { MalformedDataError, readAnswerBody } from './normalize.js';
import { PhaseTimer, type PhaseLimits } from './phase-timer.js';
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
} from './types.js';

const defaults = {
  streamPath: '/api/v1/query/stream',
  queryPath: '/api/v1/query',
  connectMs: 10_000,
  answerMs: 180_000,
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
  readonly #transport: Transport;
  readonly #timeouts: PhaseLimits;
  readonly #limits: { maxEventBytes: number; maxAnswerBytes: number };
  readonly #retry: { maxAttempts: number; baseDelayMs: number; maxDelayMs: number };
  #status: StreamingStatus = 'unknown';
  /** While `Date.now()` is below this, the stream endpoint is known to be off and is not asked. */
  #fallbackUntil = 0;

  constructor(options: CoreClientOptions) {
    this.#options = options;
    const checked = checkCoreUrl(options.baseUrl, true);
    if (!checked.ok) throw coreError('config', checked.code, checked.params);
    this.#base = checked.url;
    this.#timeouts = {
      connectMs: options.timeouts?.connectMs ?? defaults.connectMs,
      answerMs: options.timeouts?.answerMs ?? defaults.answerMs,
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
    const transport = options.transport ?? { kind: 'undici' };
    if (transport.kind === 'fetch') {
      this.#transport = createFetchTransport(transport.fetch);
      if (options.rejectUnauthorized === false) {
        this.#log('warn', 'rejectUnauthorized: false is ignored with the fetch transport: certificates are checked as that fetch checks them');
      }
    } else {
      this.#transport = createUndiciTransport({
        proxyUrl: options.proxyUrl,
        ca: options.ca,
        rejectUnauthorized: options.rejectUnauthorized,
        connectMs: this.#timeouts.connectMs,
      });
      if (options.rejectUnauthorized === false && this.#base.protocol === 'https:') {
        this.#log('warn', `TLS certificate checks are OFF for ${this.#base.origin}: anyone on the network path can read the token and the answers`);
      }
    }
  }

  get streamingStatus(): StreamingStatus {
    return this.#status;
  }

  async close(): Promise<void> {
    await this.#transport.close();
  }

  async *ask(request: AskRequest, options: AskOptions = {}): AsyncGenerator<AskEvent, void, undefined> {
    const signal = options.signal;
    const started = Date.now();
    if (!request.query.trim()) {
      yield new AnswerAssembler(0, undefined).error(coreError('config', 'empty-question'));
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
      yield state.answer.error(coreError('auth', 'token-unreadable'));
      return;
    }
    if (!state.token) {
      yield state.answer.error(coreError('auth', 'no-token'));
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
          this.#log('warn', `stream broke (${redact(error.info.message, state.token)}); resuming after event ${state.lastEventId} in ${delay} ms`);
          if (await sleep(delay, signal)) continue;
        } else if (state.answer.textLength === 0 && isRetryable(error) && failures + 1 < this.#retry.maxAttempts) {
          failures += 1;
          const delay = this.#backoff(failures, error.info.retryAfterMs);
          this.#log('warn', `${redact(error.info.message, state.token)} Retrying in ${delay} ms (attempt ${failures + 1} of ${this.#retry.maxAttempts}).`);
          if (await sleep(delay, signal)) continue;
        }
        const final = signal?.aborted ? coreError('cancelled', 'cancelled') : error;
        const event = state.answer.error(final);
        this.#log(final.info.kind === 'cancelled' ? 'info' : 'error', `ask failed after ${Date.now() - started} ms: ${event.type === 'error' ? event.error.message : ''}`);
        yield event;
        return;
      }
    }
  }

  async check(options: AskOptions = {}): Promise<CheckReport> {
    const started = performance.now();
    const report: CheckReport = {
      baseUrl: this.#base.href.replace(/\/$/, ''),
      reachable: false,
      tokenAccepted: undefined,
      streaming: this.#status,
      timings: { totalMs: 0 },
      network: this.#network(),
    };
    let token: string | undefined;
    try {
      token = await this.#options.getToken();
    } catch {
      token = undefined;
    }
    const question = { body: JSON.stringify({ query: 'ping', language: this.#options.language }), token };
    // Headers answer "reachable, token accepted, streaming?". A stream is read to its first event (how long a
    // person waits for the answer to begin); the normal endpoint is not read, as a real core would compute a whole
    // answer for it.
    const attempt = async (path: string, accept: string): Promise<{ status: number; type: string; eventStream: boolean }> => {
      const exchange = this.#open(options.signal);
      const t0 = performance.now();
      try {
        const response = await exchange.send(path, accept, question, {});
        const timings = report.timings;
        timings.headersMs = Math.round(performance.now() - t0);
        const connectMs = exchange.connectMs;
        if (connectMs === undefined) delete timings.connectMs;
        else timings.connectMs = Math.round(connectMs);
        const eventStream = isEventStream(response);
        const ok = response.status >= 200 && response.status < 300;
        if (ok && !eventStream && looksLikeHtml('', contentType(response))) throw signInPage(response.status);
        if (ok && eventStream) {
          const reader = new EventStreamReader(new AnswerAssembler(this.#limits.maxAnswerBytes, token), {}, this.#limits.maxEventBytes);
          const sink: AskEvent[] = [];
          exchange.reading();
          try {
            for await (const piece of response.body) {
              reader.read(piece, sink);
              if (reader.events > 0 || reader.failure) break;
              exchange.activity(false);
            }
          } catch (caught) {
            exchange.rethrow(caught);
          }
          if (reader.events > 0) timings.firstEventMs = Math.round(performance.now() - t0);
        }
        return { status: response.status, type: contentType(response), eventStream };
      } finally {
        exchange.close();
      }
    };
    try {
      const wantsStream = (this.#options.streaming ?? 'auto') !== 'never';
      let last: Awaited<ReturnType<typeof attempt>> | undefined;
      if (wantsStream) {
        last = await attempt(this.#streamPath, 'text/event-stream');
        report.reachable = true;
        report.streamStatus = last.status;
        if (last.status >= 200 && last.status < 300) this.#setStatus(last.eventStream ? 'active' : 'fallback');
        else if (NO_STREAMING.has(last.status)) this.#rememberFallback(last.status);
      }
      if (!wantsStream || (last !== undefined && NO_STREAMING.has(last.status))) {
        delete report.timings.firstEventMs;
        last = await attempt(this.#queryPath, 'application/json');
        report.reachable = true;
      }
      const ok = last !== undefined && last.status >= 200 && last.status < 300;
      const refusal = last !== undefined && !ok ? httpError(last.status, '', last.type, undefined) : undefined;
      if (refusal) {
        if (refusal.info.kind === 'auth') report.tokenAccepted = false;
        report.error = { ...refusal.info, partial: false };
      } else {
        if (ok) report.tokenAccepted = token ? true : undefined;
        if (!token) report.error = { ...coreError('auth', 'no-token').info, partial: false };
      }
    } catch (caught) {
      const error = this.#classify(caught, options.signal);
      report.error = { ...error.info, message: redact(error.info.message, token), partial: false };
    }
    // A web page answered in place of the core, whatever its status: the core itself was not reached.
    if (report.error?.code === 'sign-in-page') report.reachable = false;
    report.streaming = this.#status;
    report.timings.totalMs = Math.round(performance.now() - started);
    const { connectMs, headersMs, firstEventMs, totalMs } = report.timings;
    this.#log(
      'info',
      `check: reachable=${report.reachable} token=${String(report.tokenAccepted)} streaming=${report.streaming} connect=${connectMs ?? '-'} headers=${headersMs ?? '-'} firstEvent=${firstEventMs ?? '-'} total=${totalMs} ms path=${report.network.path} trust=${report.network.trust}`,
    );
    return report;
  }

  /** Which way requests travel and where the trust in the core's certificate comes from. */
  #network(): CheckReport['network'] {
    const tls = this.#base.protocol === 'https:';
    if (this.#transport.kind === 'fetch') return { path: this.#options.networkPath ?? 'vscode', trust: tls ? 'vscode-system' : 'not-tls' };
    const trust = !tls ? 'not-tls' : this.#options.rejectUnauthorized === false ? 'none-insecure' : this.#options.ca !== undefined ? 'ca-file' : 'node';
    const explicit = this.#options.proxyUrl;
    const fromEnvironment = explicit ? undefined : environmentProxyFor(this.#base);
    const proxy = hostAndPort(explicit ?? fromEnvironment);
    const path = this.#options.networkPath ?? (explicit ? 'explicit-proxy' : fromEnvironment ? 'environment-proxy' : 'direct');
    return { path, trust, ...(proxy ? { proxy } : {}) };
  }

  /** One request to the stream endpoint. Returns `use-fallback` when the core has no streaming. */
  async *#streamOnce(state: AskState, signal: AbortSignal | undefined): AsyncGenerator<AskEvent, 'done' | 'use-fallback', undefined> {
    const exchange = this.#open(signal);
    try {
      const extra: Record<string, string> = state.lastEventId === undefined ? {} : { 'last-event-id': state.lastEventId };
      const response = await exchange.send(this.#streamPath, 'text/event-stream', state, extra);
      const status = response.status;
      if (NO_STREAMING.has(status) && (this.#options.streaming ?? 'auto') === 'auto' && state.lastEventId === undefined) {
        response.discard();
        this.#rememberFallback(status);
        return 'use-fallback';
      }
      await this.#throwUnlessOk(response);
      if (!isEventStream(response)) {
        const type = contentType(response);
        if (isJson(response)) {
          // Some cores answer the stream endpoint with the whole answer at once: that is an answer (or says why not).
          yield* this.#emitAnswer(await exchange.readBody(response, this.#answerBodyLimit()), type, response.status, state);
          return 'done';
        }
        response.discard();
        if (looksLikeHtml('', type)) throw signInPage(response.status);
        throw coreError('protocol', 'not-event-stream', { contentType: type || 'no content type' });
      }
      this.#setStatus('active');

      const pending: AskEvent[] = [];
      const stream = new EventStreamReader(state.answer, state, this.#limits.maxEventBytes);
      exchange.reading();
      try {
        for await (const piece of response.body) {
          const before = stream.events;
          stream.read(piece, pending);
          exchange.activity(stream.events > before);
          // Events read before a failure in the same network read are still the core's words: give them first.
          if (pending.length > 0) {
            // The caller's time with an event is not the core's.
            exchange.pause();
            while (pending.length > 0) yield pending.shift() as AskEvent;
            exchange.resume();
          }
          if (stream.failure) throw stream.failure;
          if (stream.finished) return 'done';
        }
      } catch (caught) {
        exchange.rethrow(caught);
      }
      stream.end(pending);
      while (pending.length > 0) yield pending.shift() as AskEvent;
      if (stream.failure) throw stream.failure;
      if (stream.finished) return 'done';
      throw coreError('network', 'closed-early');
    } finally {
      exchange.close();
    }
  }

  /** One request to the normal endpoint, read into the same events a stream gives. */
  async *#queryOnce(state: AskState, signal: AbortSignal | undefined): AsyncGenerator<AskEvent, 'done', undefined> {
    const exchange = this.#open(signal);
    try {
      const response = await exchange.send(this.#queryPath, 'application/json', state, {});
      await this.#throwUnlessOk(response);
      const type = contentType(response);
      if (looksLikeHtml('', type)) {
        response.discard();
        throw signInPage(response.status);
      }
      yield* this.#emitAnswer(await exchange.readBody(response, this.#answerBodyLimit()), type, response.status, state);
      return 'done';
    } finally {
      exchange.close();
    }
  }

  /** A whole JSON answer as events, or the error it is: the core's words with no answer, an empty answer, a web page. */
  async *#emitAnswer(body: string, type: string, status: number, state: AskState): AsyncGenerator<AskEvent, void, undefined> {
    if (looksLikeHtml(body, type)) throw signInPage(status);
    let answer;
    try {
      answer = readAnswerBody(body);
    } catch (caught) {
      if (caught instanceof MalformedDataError) throw coreError('protocol', 'bad-json');
      throw caught;
    }
    if (answer.answer === '') {
      throw answer.coreSays ? coreError('server', 'core-error', undefined, { status, coreSays: answer.coreSays }) : coreError('server', 'empty-answer', undefined, { status });
    }
    if (answer.answer.length > this.#limits.maxAnswerBytes) throw answerTooLarge(this.#limits.maxAnswerBytes);
    state.answer.textLength = answer.answer.length;
    state.answer.startSent = true;
    yield { type: 'start', mode: 'fallback', conversationId: answer.conversationId, messageId: answer.messageId };
    yield { type: 'chunk', content: answer.answer };
    yield { type: 'sources', sources: answer.sources };
    yield { type: 'end', mode: 'fallback', metadata: answer.metadata };
  }

  /** One HTTP exchange with its own abort controller, linked to the caller's signal and to the phase timer. */
  #open(signal: AbortSignal | undefined): Exchange {
    const controller = new AbortController();
    // A request still waiting for its connection (a proxy that never answers CONNECT) does not end when aborted:
    // undici holds the abort until the connection exists. Stop and the time limits end the wait themselves.
    let interrupt: (reason: Error) => void = () => undefined;
    const interrupted = new Promise<never>((_resolve, reject) => {
      interrupt = reject;
    });
    interrupted.catch(() => undefined);
    const relay = (): void => {
      controller.abort();
      interrupt(coreError('cancelled', 'cancelled'));
    };
    if (signal?.aborted) relay();
    signal?.addEventListener('abort', relay, { once: true });
    const transport = this.#transport;
    const timer = new PhaseTimer(
      this.#timeouts,
      (phase) => {
        controller.abort();
        interrupt(timeoutError(phase, this.#base.origin, timer.limitOf(phase)));
      },
      transport.connectObservable,
    );
    const tracked = trackRequest(() => {
      timer.sent();
      transport.noteSent();
    });
    const fail = (caught: unknown): never => {
      if (signal?.aborted) throw coreError('cancelled', 'cancelled');
      if (caught instanceof CoreError) throw caught;
      const phase = timer.expired;
      if (phase) throw timeoutError(phase, this.#base.origin, timer.limitOf(phase));
      throw this.#classify(caught, signal);
    };
    return {
      send: async (path, accept, question, extra) => {
        const t0 = performance.now();
        timer.start();
        try {
          const url = this.#url(path);
          const response = await Promise.race([
            post(transport, url, {
              headers: { ...this.#headers(question.token, accept, extra), [REQUEST_ID]: tracked.id },
              body: question.body,
              signal: controller.signal,
            }),
            interrupted,
          ]);
          timer.headers();
          this.#log('info', `POST ${url.pathname} [${tracked.id}] → ${response.status} ${contentType(response)} in ${Math.round(performance.now() - t0)} ms`);
          return response;
        } catch (caught) {
          return fail(caught);
        }
      },
      readBody: async (response, maxBytes) => {
        try {
          return await Promise.race([readText(response, maxBytes), interrupted]);
        } catch (caught) {
          return fail(caught);
        }
      },
      reading: () => timer.headers(),
      activity: (sawEvent) => (sawEvent ? timer.event() : timer.activity()),
      pause: () => timer.pause(),
      resume: () => timer.resume(),
      get connectMs() {
        return timer.connectMs;
      },
      close: () => {
        timer.stop();
        tracked.forget();
        signal?.removeEventListener('abort', relay);
        // Closes the socket if the body is still open (stop, error event, limit).
        controller.abort();
      },
      rethrow: fail,
    };
  }

  async #throwUnlessOk(response: HttpResponse): Promise<void> {
    const status = response.status;
    if (status >= 200 && status < 300) return;
    let body = '';
    try {
      body = await readText(response, 64 * 1024);
    } catch {
      response.discard();
    }
    throw httpError(status, body, contentType(response), retryAfterMs(response.header('retry-after')));
  }

  #classify(caught: unknown, signal: AbortSignal | undefined): CoreError {
    if (signal?.aborted) return coreError('cancelled', 'cancelled');
    if (caught instanceof CoreError) return caught;
    return fromNetworkError(caught, this.#base.origin, this.#timeouts.connectMs);
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

interface Exchange {
  send(path: string, accept: string, question: Pick<AskState, 'body' | 'token'>, extra: Record<string, string>): Promise<HttpResponse>;
  /** Reads a whole body under the answer limit. */
  readBody(response: HttpResponse, maxBytes: number): Promise<string>;
  /** The event stream's body is about to be read. */
  reading(): void;
  /** A network read arrived, with at least one event in it or none. */
  activity(sawEvent: boolean): void;
  /** Stops the phase timer while the caller consumes events: a slow reader is not a slow core. */
  pause(): void;
  resume(): void;
  /** Milliseconds until the request was sent, when the transport let that be seen. */
  readonly connectMs: number | undefined;
  close(): void;
  rethrow(caught: unknown): never;
}

function isBrokenConnection(error: CoreError): boolean {
  const code = error.info.code;
  return (code.startsWith('network-') && code !== 'network-proxy') || code === 'closed-early' || code === 'timeout-idle';
}

function isRetryable(error: CoreError): boolean {
  const code = error.info.code;
  if (code.startsWith('network-') && code !== 'network-proxy') return true;
  if (code === 'closed-early') return true;
  if (error.info.kind !== 'server' || error.info.status === undefined || !RETRYABLE_STATUS.has(error.info.status)) return false;
  return (error.info.retryAfterMs ?? 0) <= MAX_RETRY_AFTER_MS;
}

function contentType(response: HttpResponse): string {
  return response.header('content-type') ?? '';
}

function isEventStream(response: HttpResponse): boolean {
  return contentType(response).toLowerCase().startsWith('text/event-stream');
}

function isJson(response: HttpResponse): boolean {
  return /^application\/([\w.+-]*\+)?json/i.test(contentType(response));
}

/** The proxy undici's EnvHttpProxyAgent would use for `url`, honouring NO_PROXY as it does. */
function environmentProxyFor(url: URL, env: NodeJS.ProcessEnv = process.env): string | undefined {
  if (!environmentProxy(env)) return undefined;
  const httpProxy = env.http_proxy ?? env.HTTP_PROXY;
  const proxy = url.protocol === 'https:' ? (env.https_proxy ?? env.HTTPS_PROXY ?? httpProxy) : httpProxy;
  if (!proxy) return undefined;
  const noProxy = (env.no_proxy ?? env.NO_PROXY ?? '').toLowerCase();
  const port = url.port || (url.protocol === 'https:' ? '443' : '80');
  const host = url.hostname.toLowerCase().replace(/^\[|\]$/g, '');
  for (const entry of noProxy.split(/[,\s]+/).filter(Boolean)) {
    if (entry === '*') return undefined;
    const [name = '', entryPort] = entry.replace(/^\*?\./, '.').split(/:(?=\d+$)/);
    if (entryPort && entryPort !== port) continue;
    if (name.startsWith('.') ? host.endsWith(name) || host === name.slice(1) : host === name) return undefined;
  }
  return proxy;
}

/** A proxy URL as host:port, never with its credentials. */
function hostAndPort(proxyUrl: string | undefined): string | undefined {
  if (!proxyUrl) return undefined;
  try {
    const url = new URL(proxyUrl);
    return `${url.hostname}:${url.port || (url.protocol === 'https:' ? '443' : '80')}`;
  } catch {
    return undefined;
  }
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

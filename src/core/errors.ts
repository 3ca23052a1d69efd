// Every failure the client reports, as a kind a UI can act on and one sentence a person can read.
// Messages are built only from what we control (status, host, a cleaned excerpt), never from headers or
// the request, so the token cannot leak into them; `redact` is the second line of defence.
import type { CoreErrorInfo, ErrorKind, TimeoutPhase } from './types.js';

export class CoreError extends Error {
  constructor(readonly info: Omit<CoreErrorInfo, 'partial'>) {
    super(info.message);
    this.name = 'CoreError';
  }
}

const reasons: Record<string, string> = {
  ECONNREFUSED: 'the connection was refused',
  ENOTFOUND: 'the host name was not found',
  EAI_AGAIN: 'the host name could not be resolved',
  ECONNRESET: 'the connection was reset',
  EPIPE: 'the connection was closed',
  ETIMEDOUT: 'the connection timed out',
  EHOSTUNREACH: 'the host is unreachable',
  ENETUNREACH: 'the network is unreachable',
  UND_ERR_SOCKET: 'the connection was closed',
  UND_ERR_CLOSED: 'the connection was closed',
  DEPTH_ZERO_SELF_SIGNED_CERT: 'its TLS certificate is self-signed (add its CA as an extra CA certificate)',
  SELF_SIGNED_CERT_IN_CHAIN: 'its TLS certificate chain is not trusted (add the CA as an extra CA certificate)',
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'its TLS certificate is not trusted (add the CA as an extra CA certificate)',
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY: 'its TLS certificate is not trusted (add the CA as an extra CA certificate)',
  CERT_HAS_EXPIRED: 'its TLS certificate has expired',
  ERR_TLS_CERT_ALTNAME_INVALID: 'its TLS certificate is for another host name',
};

/** Node and undici errors, possibly nested in `cause`, as a network error (or the timeout they are). */
export function fromNetworkError(error: unknown, origin: string): CoreError {
  const code = errorCode(error);
  if (code === 'UND_ERR_CONNECT_TIMEOUT' || code === 'UND_ERR_HEADERS_TIMEOUT') return timeoutError('connect', origin);
  const reason = (code && reasons[code]) ?? (code?.startsWith('ERR_TLS') || code?.includes('CERT') ? 'the TLS handshake failed' : 'the network failed');
  return new CoreError({ kind: 'network', message: `Could not reach the core at ${origin}: ${reason}${code ? ` (${code})` : ''}.` });
}

export function timeoutError(phase: TimeoutPhase, origin: string): CoreError {
  const what: Record<TimeoutPhase, string> = {
    connect: 'did not answer',
    'first-event': 'accepted the question but sent nothing',
    idle: 'stopped sending in the middle of the answer',
  };
  return new CoreError({ kind: 'timeout', timeout: phase, message: `The core at ${origin} ${what[phase]} in time (${phase} timeout).` });
}

export function httpError(status: number, statusText: string, body: string, retryAfterMs: number | undefined): CoreError {
  const label = `${status}${statusText ? ` ${statusText}` : ''}`;
  if (status === 401) return new CoreError({ kind: 'auth', status, message: 'The core rejected the access token (401 Unauthorized). Set a valid token.' });
  if (status === 403) return new CoreError({ kind: 'auth', status, message: 'The access token is not allowed to use this core (403 Forbidden).' });
  if (status === 429) {
    const wait = retryAfterMs === undefined ? 'later' : `in ${Math.ceil(retryAfterMs / 1000)} s`;
    return new CoreError({ kind: 'rate-limited', status, retryAfterMs, message: `The core is busy (429 Too Many Requests); try again ${wait}.` });
  }
  const excerpt = bodyExcerpt(body);
  return new CoreError({ kind: 'server', status, retryAfterMs, message: `The core answered ${label}${excerpt ? `: ${excerpt}` : '.'}` });
}

export function protocolError(detail: string): CoreError {
  return new CoreError({ kind: 'protocol', message: `The core's answer could not be read: ${detail}.` });
}

export function simpleError(kind: ErrorKind, message: string): CoreError {
  return new CoreError({ kind, message });
}

/** A short, single-line excerpt of a response body that is safe to show: the title of an HTML page, or its text. */
export function bodyExcerpt(body: string, maxChars = 120): string {
  let text = body;
  const title = /<title[^>]*>([\s\S]*?)<\/title>/i.exec(body);
  if (title?.[1]?.trim()) text = title[1];
  else if (/<[a-z!/][^>]*>/i.test(body)) text = body.replace(/<(script|style)[\s\S]*?<\/\1>/gi, ' ').replace(/<[^>]*>/g, ' ');
  else {
    try {
      const json: unknown = JSON.parse(body);
      const record = typeof json === 'object' && json !== null ? (json as Record<string, unknown>) : {};
      const message = record.error ?? record.message ?? record.detail;
      if (typeof message === 'string') text = message;
    } catch {
      // Not JSON: the body's own text is the excerpt.
    }
  }
  return oneLine(text.replace(/&[a-z#0-9]+;/gi, ' '), maxChars);
}

/** Text from the core made safe for one line of a message: no tags, no control characters, bounded. */
export function oneLine(text: string, maxChars: number): string {
  // eslint-disable-next-line no-control-regex -- control characters are exactly what is being removed
  const clean = text.replace(/<[^>]*>/g, ' ').replace(/[\u0000-\u001f\u007f]+/g, ' ').replace(/\s+/g, ' ').trim();
  return clean.length > maxChars ? `${clean.slice(0, maxChars - 1)}…` : clean;
}

/** Removes the token from any text that leaves the client. */
export function redact(text: string, token: string | undefined): string {
  return token && token.length >= 4 ? text.split(token).join('[token]') : text;
}

function errorCode(error: unknown): string | undefined {
  for (let current: unknown = error, depth = 0; current && depth < 5; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string') return code;
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}

/** A size limit as a person reads it: "1 MiB", "64 KiB". */
export function formatBytes(bytes: number): string {
  return bytes >= 1 << 20 ? `${Math.round(bytes / (1 << 20))} MiB` : `${Math.round(bytes / 1024)} KiB`;
}

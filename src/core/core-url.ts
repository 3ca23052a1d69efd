// The one rule for which core URLs may carry the token: http(s) only, no credentials in the URL, and plain
// http only to this machine unless the person allowed it. The CLI and the extension both ask it.
import { englishErrorText, type ErrorCode, type ErrorParams } from './error-text.js';

export type CoreUrlCheck = { ok: true; url: URL } | { ok: false; code: ErrorCode; params: ErrorParams; message: string };

export function checkCoreUrl(raw: string, allowInsecureHttp: boolean): CoreUrlCheck {
  const refuse = (code: ErrorCode, params: ErrorParams = {}): CoreUrlCheck => ({ ok: false, code, params, message: englishErrorText(code, params) });
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    return refuse('bad-url', { url: raw.trim().slice(0, 100) });
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return refuse('bad-url-scheme', { scheme: url.protocol });
  if (url.username || url.password) return refuse('url-credentials');
  if (url.protocol === 'http:' && !allowInsecureHttp && !isLoopbackHost(url.hostname)) return refuse('insecure-http', { host: url.host });
  return { ok: true, url };
}

/** localhost, 127.0.0.0/8 and ::1 (also IPv4-mapped): a token sent there never crosses a network. */
export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.toLowerCase().replace(/^\[|\]$/g, '').replace(/\.$/, '');
  if (host === 'localhost' || host.endsWith('.localhost')) return true;
  if (host === '::1' || host === '0:0:0:0:0:0:0:1') return true;
  const mapped = /^::ffff:(.+)$/.exec(host);
  const v4 = mapped ? mappedV4(mapped[1] ?? '') : host;
  return /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(v4);
}

/** WHATWG URL writes ::ffff:127.0.0.1 as ::ffff:7f00:1. */
function mappedV4(tail: string): string {
  const hex = /^([0-9a-f]{1,4}):([0-9a-f]{1,4})$/.exec(tail);
  if (!hex) return tail;
  const high = parseInt(hex[1] ?? '0', 16);
  const low = parseInt(hex[2] ?? '0', 16);
  return `${high >> 8}.${high & 255}.${low >> 8}.${low & 255}`;
}

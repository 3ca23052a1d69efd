// The only addresses an answer or a source may link to. Everything else (javascript:, data:, vbscript:, file:,
// command:, relative paths) is shown as text.
import { decodeEntities } from './entities';

const allowedProtocols: ReadonlySet<string> = new Set(['http:', 'https:', 'mailto:']);

/** The normalized address if it is http, https or mailto, else undefined. */
export function safeUrl(href: string | undefined): string | undefined {
  if (!href) return undefined;
  // Browsers trim control characters and spaces, drop tabs and newlines anywhere, and resolve entities before
  // reading a scheme: do the same first, so `jav&#x09;ascript:` and ` java\nscript:` are seen for what they are.
  // eslint-disable-next-line no-control-regex -- control characters are exactly what must be removed here
  const candidate = decodeEntities(href).replace(/^[\u0000-\u0020]+|[\u0000-\u0020]+$/g, '').replace(/[\t\n\r]/g, '');
  let url: URL;
  try {
    url = new URL(candidate);
  } catch {
    return undefined; // relative or malformed: there is no page to resolve it against
  }
  if (!allowedProtocols.has(url.protocol)) return undefined;
  if (url.protocol !== 'mailto:' && !url.hostname) return undefined;
  return url.href;
}

/** A short form of an address for display: host and path, no scheme. */
export function displayUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.protocol === 'mailto:') return parsed.pathname;
    const path = parsed.pathname === '/' ? '' : parsed.pathname;
    return `${parsed.host}${path}${parsed.search}`;
  } catch {
    return url;
  }
}

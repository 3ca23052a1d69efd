// Addresses in an answer's markdown, checked by the one policy the host and the client share (http and https
// only). Everything else (mailto:, javascript:, data:, vbscript:, file:, command:, relative paths) is shown as text.
import { openableUrl } from '../../src/shared/urls';
import { decodeEntities } from './entities';

/** The normalized address if it may be a live link, else undefined. */
export function safeUrl(href: string | undefined): string | undefined {
  // Markdown resolves entities in a link's destination before it is an address: `jav&#x09;ascript:` must be seen
  // for what it is. Control characters, tabs and newlines are the URL parser's business (it strips them as
  // browsers do).
  return href ? openableUrl(decodeEntities(href)) : undefined;
}

/** A short form of an address for display: host and path, no scheme. */
export function displayUrl(url: string): string {
  try {
    const parsed = new URL(url);
    const path = parsed.pathname === '/' ? '' : parsed.pathname;
    return `${parsed.host}${path}${parsed.search}`;
  } catch {
    return url;
  }
}

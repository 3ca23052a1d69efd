// The one rule for addresses that reach the user: what the panel shows as a live link (in an answer, an image's
// link, a source), what the extension host agrees to open, and what the client keeps of a source's address.
// Only http and https, with a host. Everything else — mailto:, javascript:, data:, file:, command:, vscode:,
// relative paths — is shown as text: a `mailto:` address stays readable and selectable, but the panel never
// offers a link the host would refuse, and an answer or a source cannot start another program.
// No imports: this runs in the extension host, the client (Node) and the webview.

/** The normalized address if the panel may show it as a link and the host may open it, else undefined. */
export function openableUrl(value: unknown): string | undefined {
  if (typeof value !== 'string' || value.length === 0) return undefined;
  let url: URL;
  try {
    // The URL parser trims control characters and spaces around the address and drops tabs and newlines inside
    // it, as browsers do before they read a scheme: ` java\nscript:` is seen for what it is.
    url = new URL(value);
  } catch {
    return undefined; // relative or malformed: there is no page to resolve it against
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return undefined;
  if (!url.hostname) return undefined;
  return url.href;
}

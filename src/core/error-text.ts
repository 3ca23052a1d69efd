// Every sentence the client can say about a failure, in English, keyed by what went wrong. The English is what
// the CLI prints and the log records; the extension shows the same sentence from its l10n bundle in the user's
// language (the English text is the bundle's key) with the same named values. The core's own words never go
// inside these sentences: they travel beside them (`CoreErrorInfo.coreSays`) and are shown quoted, as written.

export const ERROR_TEXT = {
  // Before any request
  'empty-question': 'The question is empty.',
  'token-unreadable': 'The access token could not be read from the secret store.',
  'no-token': 'No access token is set. Set one to ask the core.',
  'bad-url': 'The core URL "{url}" is not a valid URL.',
  'bad-url-scheme': 'The core URL must start with https:// or http://, not {scheme}.',
  'url-credentials': 'The core URL must not contain a user name or password.',
  'insecure-http':
    'Refusing to send your token in clear text to {host}. Use an https:// core URL, or allow insecure http if you trust this network.',
  // The core said no
  'token-rejected': 'The core rejected the access token (401 Unauthorized). Set a valid token.',
  'token-forbidden': 'The access token is not allowed to use this core (403 Forbidden).',
  'rate-limited': 'The core is busy (429 Too Many Requests); try again later.',
  'rate-limited-wait': 'The core is busy (429 Too Many Requests); try again in {seconds} s.',
  'http-status': 'The core answered with HTTP status {status}.',
  'core-error': 'The core reported an error.',
  'empty-answer': 'The core returned an empty answer.',
  'sign-in-page':
    'A proxy or sign-in page answered instead of the core (HTTP {status}). Sign in to the network in your browser, or check the proxy settings.',
  'redirect-other-origin': 'The core redirected to another origin ({origin}); the request was not sent there. Check the core URL.',
  'too-many-redirects': 'The core redirected too many times.',
  // The network
  'network-refused': 'Could not reach the core at {origin}: the connection was refused.',
  'network-host-not-found': 'Could not reach the core at {origin}: the host name was not found.',
  'network-dns': 'Could not reach the core at {origin}: the host name could not be resolved.',
  'network-reset': 'Could not reach the core at {origin}: the connection was reset.',
  'network-closed': 'Could not reach the core at {origin}: the connection was closed.',
  'network-unreachable': 'Could not reach the core at {origin}: the network or host is unreachable.',
  'network-proxy': 'Could not reach the core at {origin} through the proxy: {detail}.',
  'network-failed': 'Could not reach the core at {origin}: the network failed ({detail}).',
  'tls-untrusted':
    'Could not reach the core at {origin}: its TLS certificate is not trusted. If your company inspects TLS traffic, add its CA certificate to the system, or set it as an extra CA file.',
  'tls-expired': 'Could not reach the core at {origin}: its TLS certificate has expired.',
  'tls-wrong-host': 'Could not reach the core at {origin}: its TLS certificate is for another host name.',
  'tls-failed': 'Could not reach the core at {origin}: the TLS handshake failed ({detail}).',
  'closed-early': 'The core closed the connection before the answer was complete.',
  // Time limits, one per phase
  'timeout-connect': 'Could not connect to the core at {origin} within {seconds} s (connect timeout).',
  'timeout-answer': 'The core at {origin} did not answer within {seconds} s (answer timeout).',
  'timeout-idle': 'The core at {origin} stopped sending for {seconds} s in the middle of the answer (idle timeout).',
  // The answer could not be read
  'not-event-stream': "The core's answer could not be read: it is {contentType}, not an event stream.",
  'bad-json': "The core's answer could not be read: it is not valid JSON.",
  'bad-event-json': "The core's answer could not be read: an event is not valid JSON.",
  'event-too-large': "The core's answer could not be read: one event is larger than the {limit} limit.",
  'answer-too-large': "The core's answer could not be read: it is larger than the {limit} limit.",
  // The person
  cancelled: 'The request was cancelled.',
  // Put before the sentence of a failure that came after answer text had arrived.
  'cut-off': 'The answer was cut off.',
} as const;

export type ErrorCode = keyof typeof ERROR_TEXT;

/** Values a sentence names. Never the token, never text the core wrote. */
export type ErrorParams = Readonly<Record<string, string | number>>;

/** Fills `{name}` placeholders; a missing value stays visible as `{name}` rather than vanishing. */
export function fillTemplate(template: string, params: ErrorParams | undefined): string {
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => {
    const value = params?.[name];
    return value === undefined ? whole : String(value);
  });
}

/** The English sentence for a code (what the CLI prints), without the core's own words. */
export function englishErrorText(code: ErrorCode, params?: ErrorParams): string {
  return fillTemplate(ERROR_TEXT[code], params);
}

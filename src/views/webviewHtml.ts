// The chat webview's HTML. A pure function (no `vscode` import) so tests can build the very same page.
// The CSP allows scripts only by nonce, styles and fonts only from the extension, images only from the extension
// and data: URLs, and nothing else: no network, no inline style, no frames.

export interface WebviewHtmlOptions {
  /** `webview.cspSource`. */
  cspSource: string;
  /** dist/webview.js as a webview URI. */
  scriptUri: string;
  /** dist/webview.css as a webview URI. */
  styleUri: string;
  /** dist/fonts/Vazirmatn-Variable.woff2 as a webview URI: preloaded when the panel is in Persian. */
  fontUri?: string;
  /** A fresh random value per render (at least 128 bits, base64 or hex). */
  nonce: string;
  locale: 'en' | 'fa';
  dir: 'ltr' | 'rtl';
}

const attributeEscapes: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '"': '&quot;',
  "'": '&#39;',
  '<': '&lt;',
  '>': '&gt;',
};

function attribute(value: string): string {
  return value.replace(/[&"'<>]/g, (character) => attributeEscapes[character] ?? character);
}

export function contentSecurityPolicy(cspSource: string, nonce: string): string {
  return [
    "default-src 'none'",
    `script-src 'nonce-${nonce}'`,
    `style-src ${cspSource}`,
    `font-src ${cspSource}`,
    `img-src ${cspSource} data:`,
  ].join('; ');
}

export function renderWebviewHtml(options: WebviewHtmlOptions): string {
  const { cspSource, scriptUri, styleUri, fontUri, nonce, locale, dir } = options;
  if (!/^[A-Za-z0-9+/=_-]{16,}$/.test(nonce)) throw new Error('The webview nonce must be at least 16 base64 or hex characters.');
  // A semicolon or comma in the CSP source would let it add a directive, a double quote end the attribute.
  // VS Code's own value has quoted keywords and spaces ("'self' https://*.vscode-cdn.net"), which are fine.
  if (/[;,"\n\r]/.test(cspSource)) throw new Error('Unexpected character in the webview CSP source.');
  const preload = fontUri && locale === 'fa'
    ? `\n    <link rel="preload" href="${attribute(fontUri)}" as="font" type="font/woff2" crossorigin>`
    : '';
  return `<!DOCTYPE html>
<html lang="${locale === 'fa' ? 'fa' : 'en'}" dir="${dir === 'rtl' ? 'rtl' : 'ltr'}">
  <head>
    <meta charset="UTF-8">
    <meta http-equiv="Content-Security-Policy" content="${attribute(contentSecurityPolicy(cspSource, nonce))}">
    <meta name="viewport" content="width=device-width, initial-scale=1.0">
    <link rel="stylesheet" href="${attribute(styleUri)}">${preload}
    <title>Tejarat</title>
  </head>
  <body>
    <div id="root"></div>
    <script nonce="${attribute(nonce)}" src="${attribute(scriptUri)}"></script>
  </body>
</html>
`;
}

// A test page that plays VS Code's side of the chat webview: it serves the real bundle (dist/) in the real HTML
// (renderWebviewHtml, CSP included) from a fake extension origin, stubs `acquireVsCodeApi` to record what the
// panel posts, sends host messages as window message events, and counts every network request the page makes.
import { readFile } from 'node:fs/promises';
import { extname, join, normalize } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import type { HostMessage, Locale, WebviewMessage } from '../../src/shared/messages';
import { renderWebviewHtml } from '../../src/views/webviewHtml';
import { themes, type ThemeName } from './themes';

export const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const chromiumArgs = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
  '--disable-component-update', '--disable-sync',
];

export const origin = 'https://tejarat-webview.test';
const distDir = join(process.cwd(), 'dist');
const contentTypes: Record<string, string> = {
  '.js': 'text/javascript', '.css': 'text/css', '.woff2': 'font/woff2', '.ttf': 'font/ttf', '.map': 'application/json',
};

export async function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: chromiumPath, args: chromiumArgs, headless: true });
}

/**
 * Registers mocha hooks for a suite: one Chromium for the suite, a fresh test page for every test, handed to
 * `onOpen` (which may also send the page its first state).
 */
export function useWebviewPage(onOpen: (view: WebviewPage) => void | Promise<void>): void {
  let browser: Browser | undefined;
  let view: WebviewPage | undefined;
  before(async function () {
    browser = await launchChromium();
  });
  after(async function () {
    await browser?.close();
  });
  beforeEach(async function () {
    if (!browser) throw new Error('Chromium did not start');
    view = await WebviewPage.open(browser);
    await onOpen(view);
  });
  afterEach(async function () {
    await view?.close();
  });
}

export interface OpenOptions {
  locale?: Locale;
  theme?: ThemeName;
  width?: number;
  height?: number;
}

/** What the stub keeps in the page (window.__host). */
export interface HostStub {
  posted: WebviewMessage[];
  cspViolations: string[];
  /** Tags passed to `window.__pwned` by any payload that managed to run. */
  pwned: string[];
  stateWrites: number;
}

type StubWindow = Window & { __host: HostStub; __pwned?: (tag: string) => void; acquireVsCodeApi?: () => unknown };

function installHostStub(): void {
  // Runs in the page before any of its scripts: VS Code's side of the API, recording instead of acting.
  const win = window as unknown as StubWindow;
  const stored = sessionStorage.getItem('__vscodeState');
  let state: unknown = stored === null ? undefined : JSON.parse(stored);
  let acquired = false;
  const host: HostStub = { posted: [], cspViolations: [], pwned: [], stateWrites: 0 };
  win.__host = host;
  win.__pwned = (tag: string) => host.pwned.push(String(tag));
  win.acquireVsCodeApi = () => {
    if (acquired) throw new Error('acquireVsCodeApi may be called only once');
    acquired = true;
    return Object.freeze({
      postMessage: (message: unknown) => host.posted.push(JSON.parse(JSON.stringify(message)) as WebviewMessage),
      getState: () => state,
      setState: (value: unknown) => {
        state = value;
        host.stateWrites += 1;
        sessionStorage.setItem('__vscodeState', JSON.stringify(value));
      },
    });
  };
  document.addEventListener('securitypolicyviolation', (event) => {
    host.cspViolations.push(`${event.violatedDirective} ${event.blockedURI}`);
  });
}

export class WebviewPage {
  /** Every request the page made, in order (the bundle's own files included). */
  readonly requests: string[] = [];
  /** Uncaught errors in the page: `close` fails the test if there were any. */
  readonly pageErrors: string[] = [];

  private constructor(readonly context: BrowserContext, readonly page: Page, private readonly options: Required<OpenOptions>) {}

  static async open(browser: Browser, options: OpenOptions = {}): Promise<WebviewPage> {
    const resolved: Required<OpenOptions> = { locale: 'en', theme: 'dark', width: 520, height: 760, ...options };
    const context = await browser.newContext({ viewport: { width: resolved.width, height: resolved.height }, deviceScaleFactor: 1 });
    const page = await context.newPage();
    const view = new WebviewPage(context, page, resolved);
    page.on('request', (request) => view.requests.push(request.url()));
    page.on('pageerror', (error) => view.pageErrors.push(error.message));
    // Anything not served below is refused: the panel has no business on the network.
    await context.route('**/*', (route) => route.abort('blockedbyclient'));
    await context.route(`${origin}/**`, async (route) => {
      const path = new URL(route.request().url()).pathname;
      if (path === '/' || path === '/index.html') {
        await route.fulfill({ status: 200, contentType: 'text/html', body: view.html() });
        return;
      }
      const file = normalize(join(process.cwd(), decodeURIComponent(path)));
      if (!path.startsWith('/dist/') || !file.startsWith(distDir)) {
        await route.fulfill({ status: 404, body: '' });
        return;
      }
      try {
        await route.fulfill({ status: 200, contentType: contentTypes[extname(file)] ?? 'application/octet-stream', body: await readFile(file) });
      } catch {
        await route.fulfill({ status: 404, body: '' });
      }
    });
    // tsx compiles these tests with esbuild's keepNames, which wraps named functions in `__name(…)`; functions
    // sent to the page (the stub, evaluate callbacks) need that helper there too.
    await page.addInitScript({ content: 'globalThis.__name = (target) => target;' });
    await page.addInitScript(installHostStub);
    await view.load();
    return view;
  }

  private html(): string {
    const { locale } = this.options;
    return renderWebviewHtml({
      cspSource: origin,
      scriptUri: `${origin}/dist/webview.js`,
      styleUri: `${origin}/dist/webview.css`,
      fontUri: `${origin}/dist/fonts/Vazirmatn-Variable.woff2`,
      nonce: 'dGVzdC1ub25jZS0xMjM0NTY3OA',
      locale,
      dir: locale === 'fa' ? 'rtl' : 'ltr',
    });
  }

  private async load(): Promise<void> {
    await this.page.goto(`${origin}/`, { waitUntil: 'load' });
    await this.applyTheme(this.options.theme);
    await this.waitForPosted('ready');
  }

  /** Reloads the page as VS Code does when a hidden webview comes back (webview state survives). */
  async reload(): Promise<void> {
    await this.page.reload({ waitUntil: 'load' });
    await this.applyTheme(this.options.theme);
    await this.waitForPosted('ready');
  }

  async applyTheme(name: ThemeName): Promise<void> {
    const theme = themes[name];
    await this.page.evaluate((theme) => {
      // As VS Code does: variables on <html>, the kind as a body class. CSSOM, so the CSP allows it.
      const root = document.documentElement;
      for (const [name, value] of Object.entries(theme.variables)) root.style.setProperty(name, value);
      root.style.background = theme.background;
      document.body.classList.remove('vscode-light', 'vscode-dark', 'vscode-high-contrast');
      document.body.classList.add(theme.bodyClass);
      document.body.dataset.vscodeThemeKind = theme.kind;
    }, theme);
  }

  /** Posts host messages to the panel, each as its own message event, then waits for the frame that shows them. */
  async send(...messages: HostMessage[]): Promise<void> {
    await this.page.evaluate((messages) => {
      for (const message of messages) window.postMessage(message, '*');
    }, messages);
    await this.frames(2);
  }

  /**
   * Waits until every finished code block has its colours. The panel highlights a block when it is idle and the
   * block is in view, so each block still waiting is scrolled into view in turn.
   */
  async highlighted(): Promise<void> {
    for (;;) {
      const waiting = await this.page.evaluate(() => {
        const code = document.querySelector('.code-block code[aria-busy]');
        code?.closest('.code-block')?.scrollIntoView({ block: 'nearest' });
        return code !== null;
      });
      if (!waiting) return;
      await this.page.waitForFunction(() => {
        const code = document.querySelector('.code-block code[aria-busy]');
        if (!code) return true;
        const box = code.getBoundingClientRect();
        // Still waiting, but out of view (a block above grew): scroll again.
        return box.bottom < 0 || box.top > innerHeight;
      });
    }
  }

  /** Waits for `count` animation frames. */
  async frames(count = 2): Promise<void> {
    await this.page.evaluate((count) => new Promise<void>((resolve) => {
      let left = count;
      const tick = () => (--left <= 0 ? resolve() : requestAnimationFrame(tick));
      requestAnimationFrame(tick);
    }), count);
  }

  async host(): Promise<HostStub> {
    return this.page.evaluate(() => (window as unknown as StubWindow).__host);
  }

  async posted(): Promise<WebviewMessage[]> {
    return (await this.host()).posted;
  }

  async postedOfType<T extends WebviewMessage['type']>(type: T): Promise<Extract<WebviewMessage, { type: T }>[]> {
    return (await this.posted()).filter((message): message is Extract<WebviewMessage, { type: T }> => message.type === type);
  }

  async waitForPosted(type: WebviewMessage['type'], count = 1): Promise<void> {
    await this.page.waitForFunction(({ type, count }) => {
      const host = (window as unknown as StubWindow).__host;
      return host.posted.filter((message) => message.type === type).length >= count;
    }, { type, count });
  }

  /** Requests other than the bundle's own files (dist/webview.js, dist/webview.css, dist/fonts/*). */
  unexpectedRequests(): string[] {
    const allowed = /^https:\/\/tejarat-webview\.test\/(?:$|dist\/webview\.(?:js|css)$|dist\/fonts\/[\w.-]+$)/;
    return this.requests.filter((url) => !allowed.test(url));
  }

  async close(): Promise<void> {
    await this.context.close();
    if (this.pageErrors.length > 0) throw new Error(`Errors in the webview: ${this.pageErrors.join('; ')}`);
  }
}

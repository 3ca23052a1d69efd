// Drives the real VS Code workbench (code-server) in headless Chromium the way a user does: the command palette,
// input boxes, notifications, the chat webview (nested iframes) and the editor. Shared by the e2e specs and the
// vscode benchmark.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type FrameLocator, type Locator, type Page } from 'playwright-core';
import type { CodeServer } from '../../scripts/code-server.mjs' with { 'resolution-mode': 'import' };
import { startCoreServer, type CoreServerOptions, type RunningCoreServer } from '../core-server/server';

export const REPO_ROOT = join(__dirname, '..', '..');
export const SCREENSHOTS = join(REPO_ROOT, 'test-results', 'e2e');

export interface Session {
  core: RunningCoreServer;
  codeServer: CodeServer;
  browser: Browser;
  page: Page;
  close(): Promise<void>;
}

export interface SessionOptions {
  core?: CoreServerOptions;
  /** Extra user settings next to tejarat.coreUrl. */
  settings?: Record<string, unknown>;
  /** Open the extension from this folder in development mode instead of installing the .vsix. */
  extensionDevelopmentPath?: string;
  env?: Record<string, string>;
}

/** The .vsix that test/vscode/run.mjs packaged (TEJARAT_VSIX), else the one `npm run package` leaves in the repo. */
export function vsixPath(): string {
  return process.env.TEJARAT_VSIX ?? join(REPO_ROOT, 'tejarat-chat.vsix');
}

/**
 * A local RAG Core, a fresh code-server with the packaged extension installed and configured for that core, and
 * the workbench open in headless Chromium, ready for commands (the extension has activated).
 */
export async function openSession(options: SessionOptions = {}): Promise<Session> {
  // code-server.mjs is an ES module (it runs before npm ci); this CommonJS file loads it dynamically.
  const { CHROMIUM_ARGS, CHROMIUM_PATH, startCodeServer } = await import('../../scripts/code-server.mjs');
  const core = await startCoreServer(options.core ?? {});
  let codeServer: CodeServer | undefined;
  let browser: Browser | undefined;
  try {
    codeServer = await startCodeServer({
      vsix: options.extensionDevelopmentPath ? [] : [vsixPath()],
      settings: {
        'tejarat.coreUrl': core.url,
        'editor.wordWrap': 'on',
        'editor.minimap.enabled': false,
        'workbench.panel.defaultLocation': 'bottom',
        ...options.settings,
      },
      env: options.env ?? {},
    });
    browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 }, locale: 'en-US' });
    let url = codeServer.workbenchUrl;
    if (options.extensionDevelopmentPath) {
      const payload = [['extensionDevelopmentPath', `vscode-remote://127.0.0.1:${codeServer.port}${options.extensionDevelopmentPath}`]];
      url += `&payload=${encodeURIComponent(JSON.stringify(payload))}`;
    }
    await page.goto(url);
    await waitForWorkbench(page);
    const running = { core, codeServer, browser, page };
    return {
      ...running,
      close: async () => {
        await running.browser.close();
        await running.codeServer.stop();
        await running.core.close();
      },
    };
  } catch (error) {
    await browser?.close();
    await codeServer?.stop();
    await core.close();
    throw error;
  }
}

/**
 * Waits until the workbench is up and shows the extension's activity-bar entry. That entry comes from the manifest:
 * the extension itself activates after startup, or earlier when one of its commands, views or its chat tab is used.
 */
export async function waitForWorkbench(page: Page): Promise<void> {
  await page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
  await page.locator('.activitybar .action-item a[aria-label^="Tejarat Chat"], .activitybar .action-item[aria-label^="Tejarat Chat"]').first().waitFor({ timeout: 60_000 });
}

/** Runs a command from the palette by its title as a user sees it, e.g. "Tejarat: Ask Tejarat". */
export async function runCommand(page: Page, title: string): Promise<void> {
  await dismissQuickInput(page);
  await page.keyboard.press('F1');
  const input = quickInput(page);
  await input.waitFor();
  await input.fill(`>${title}`);
  // Pick the row whose label is exactly the title, so "Ask Tejarat" never runs "Ask Tejarat About Selection".
  const row = page.locator('.quick-input-list .monaco-list-row').filter({
    has: page.locator('.label-name', { hasText: new RegExp(`^${escapeRegExp(title)}$`) }),
  });
  await row.first().waitFor({ timeout: 15_000 });
  await row.first().click();
}

/** The quick input's text field (palette, input boxes, password boxes). */
export function quickInput(page: Page): Locator {
  return page.locator('.quick-input-widget .quick-input-box input');
}

/** Types into the input box the extension opened (showInputBox) and confirms it. */
export async function answerInputBox(page: Page, text: string, { password = false } = {}): Promise<void> {
  const input = quickInput(page);
  await input.waitFor({ state: 'visible', timeout: 15_000 });
  if (password) await page.locator('.quick-input-widget .quick-input-box input[type="password"]').waitFor({ timeout: 15_000 });
  await input.fill(text);
  await input.press('Enter');
  // Accepted when the box closes, or when the extension reuses it at once for its next question (the token).
  const deadline = Date.now() + 15_000;
  while (Date.now() < deadline) {
    if (!(await page.locator('.quick-input-widget').isVisible())) return;
    if ((await input.inputValue().catch(() => '')) !== text) return;
    await page.waitForTimeout(50);
  }
  throw new Error(`the input box did not accept "${password ? '(token)' : text}"`);
}

export async function dismissQuickInput(page: Page): Promise<void> {
  if (await page.locator('.quick-input-widget').isVisible()) await page.keyboard.press('Escape');
}

/**
 * The chat webview's document: webviews are nested iframes (iframe.webview > iframe#active-frame); the chat is the
 * visible one (the view in the side bar, or the editor panel).
 */
export function chatFrame(page: Page): FrameLocator {
  return page.locator('iframe.webview.ready').filter({ visible: true }).last().contentFrame().locator('iframe#active-frame').contentFrame();
}

/** Waits until `text` is in the chat's document, and returns the element that holds it. */
export async function waitForChatText(page: Page, text: string, timeout = 30_000): Promise<Locator> {
  // Visible only: a collapsed source snippet may quote the same sentence.
  const element = chatFrame(page).getByText(text, { exact: false }).filter({ visible: true }).last();
  await element.waitFor({ state: 'visible', timeout });
  return element;
}

/** How many visible elements of the chat hold `text` (an earlier answer may say the same). */
export async function countChatText(page: Page, text: string): Promise<number> {
  return chatFrame(page).getByText(text, { exact: false }).filter({ visible: true }).count();
}

/** Waits until at least `count` visible elements of the chat hold `text`: a new answer that repeats an earlier one. */
export async function waitForChatTextCount(page: Page, text: string, count: number, timeout = 30_000): Promise<void> {
  const deadline = Date.now() + timeout;
  while ((await countChatText(page, text).catch(() => 0)) < count) {
    if (Date.now() > deadline) throw new Error(`the chat never showed "${text}" ${count} times`);
    await page.waitForTimeout(100);
  }
}

/** The text of the active editor's visible lines, as the user reads it (Monaco renders spaces as U+00A0). */
export async function editorText(page: Page): Promise<string> {
  const lines = page.locator('.editor-group-container.active .monaco-editor .view-lines').first();
  await lines.waitFor();
  const text = await lines.evaluate((element) =>
    [...element.querySelectorAll('.view-line')]
      // Monaco positions each rendered line absolutely; its DOM order is not the reading order.
      .map((line) => ({ top: Number.parseFloat(line.getAttribute('style')?.match(/top:\s*([\d.]+)px/)?.[1] ?? '0'), text: line.textContent ?? '' }))
      .sort((a, b) => a.top - b.top)
      .map((line) => line.text)
      .join('\n'),
  );
  return text.replace(/\u00a0/g, ' ');
}

/** Saves a full-page screenshot under test-results/e2e/ and returns its path. */
export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  const path = join(SCREENSHOTS, `${name}.png`);
  await page.screenshot({ path });
  return path;
}

/**
 * What the local core answers to a question, straight from its JSON endpoint: the tests compare what the user sees
 * with what the core said, not with a copy of the corpus.
 */
export async function expectedAnswer(core: RunningCoreServer, query: string): Promise<string> {
  const response = await fetch(`${core.url}/api/v1/query`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${core.token ?? ''}` },
    body: JSON.stringify({ query }),
  });
  const body = (await response.json()) as { answer?: string };
  if (!response.ok || typeof body.answer !== 'string') throw new Error(`the core did not answer "${query}": ${response.status}`);
  // Those /api/v1/query calls are not the extension's: forget them.
  core.resetStats();
  return body.answer;
}

/** A line of plain prose from an answer (no markdown syntax), so it reads the same in the rendered chat. */
export function plainSentence(answer: string, index = 0): string {
  const lines = answer
    .split('\n')
    // A paragraph's citation marker is drawn as a chip, not as its brackets: the sentence before it is what shows.
    .map((line) => line.trim().replace(/\s*(\[[0-9\u06F0-\u06F9]+\])+$/, ''))
    .filter((line) => line.length > 20 && !/[*_`#[\]<>|]/.test(line) && !/^\d+\./.test(line) && !line.startsWith('-'));
  const line = lines[index] ?? lines[0];
  if (!line) throw new Error(`no plain line in the answer:\n${answer}`);
  return line.length > 60 ? line.slice(0, 60) : line;
}

/**
 * The computed CSS `direction` of an element in the page ('ltr' or 'rtl'). While an answer streams, its growing last
 * block is replaced on every update, and a replaced node has no computed style: ask again until the locator finds
 * one that is in the page.
 */
export async function computedDirection(element: Locator, timeout = 10_000): Promise<string> {
  const deadline = Date.now() + timeout;
  for (;;) {
    const direction = await element.evaluate((node) => {
      // This runs in the browser; the project compiles without the DOM library, hence the narrow local type.
      const view = node.ownerDocument.defaultView as unknown as { getComputedStyle(target: unknown): { direction: string } };
      return node.isConnected ? view.getComputedStyle(node).direction : '';
    });
    if (direction !== '' || Date.now() > deadline) return direction;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

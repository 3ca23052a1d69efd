// Asking where the question arises, as a user does it in code-server: Ctrl+. on a real problem (the JSON language
// server's) offers "Ask Tejarat about this problem"; the terminal's context menu offers Ask Tejarat on its
// selection. Each answer shows under its question what was sent. Screenshots go to test-results/e2e/.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { answerInputBox, chatFrame, openSession, quickInput, REPO_ROOT, runCommand, screenshot, waitForChatText, type Session } from './workbench';

async function screenshotOnFailure(context: Mocha.Context, session: Session | undefined): Promise<void> {
  const test = context.currentTest;
  if (session && test?.state === 'failed') {
    await screenshot(session.page, `failed-${test.title.replace(/[^\w]+/g, '-').slice(0, 60)}`).catch(() => undefined);
  }
}

describe('Ask where the question arises, in VS Code (code-server)', function () {
  let session: Session;
  let tokenGiven = false;

  before(async function () {
    // The extension from this folder in development mode: no package step needed for these specs.
    // The DOM renderer puts the terminal's text in the page, where the spec can wait for it.
    session = await openSession({ extensionDevelopmentPath: REPO_ROOT, settings: { 'terminal.integrated.gpuAcceleration': 'off' } });
  });
  afterEach(async function () {
    await screenshotOnFailure(this, session);
  });
  after(async function () {
    await session?.close();
  });

  /** The query the local core received last, once it matches `pattern` (a question shows in the chat before that). */
  async function sentQuery(pattern: RegExp): Promise<string> {
    for (let waited = 0; ; waited += 100) {
      const query = (session.core.lastRequest?.body as { query?: string } | undefined)?.query ?? '';
      if (pattern.test(query) || waited >= 30_000) return query;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  /** The first question asks for the token once. */
  async function answerTokenPrompt(): Promise<void> {
    if (tokenGiven) return;
    tokenGiven = true;
    await answerInputBox(session.page, session.core.token ?? 'unused', { password: true });
  }

  it('Ctrl+. on a problem offers "Ask Tejarat about this problem", which asks with the problem and shows what was sent', async function () {
    const { page } = session;
    writeFileSync(join(session.codeServer.folder, 'config.json'), '{\n  "name": "tejarat",\n  "port": 8080\n  "debug": true\n}\n');
    await runCommand(page, 'Go to File...');
    await quickInput(page).fill('config.json');
    await page.locator('.quick-input-list .monaco-list-row', { hasText: 'config.json' }).first().click();
    // The JSON language server marks the missing comma.
    const squiggle = page.locator('.editor-group-container.active .squiggly-error').first();
    await squiggle.waitFor({ timeout: 60_000 });
    // The squiggle lies under the text; a click there puts the cursor on the problem. The extension activates once
    // startup has finished, and VS Code asks for code actions again only when the cursor moves: a user whose cursor
    // was there before that moves it, and so does the test, until the light bulb shows.
    const lightBulb = page.locator('.editor-group-container.active .lightBulbWidget').first();
    for (let attempt = 0; ; attempt++) {
      await page.locator('.editor-group-container.active .view-line').first().click();
      await squiggle.click({ force: true });
      try {
        await lightBulb.waitFor({ timeout: 5_000 });
        break;
      } catch (error) {
        if (attempt >= 11) throw error;
      }
    }
    await page.keyboard.press('Control+.');
    const item = page.locator('.action-widget .monaco-list-row', { hasText: 'Ask Tejarat about this problem' });
    await item.waitFor({ timeout: 15_000 });
    await screenshot(page, 'ask-problem-code-action');
    // The menu's first entry is focused: Enter runs it, as a keyboard user would.
    assert.match(await page.locator('.action-widget .monaco-list-row.focused').innerText(), /Ask Tejarat about this problem/);
    await page.keyboard.press('Enter');
    await answerTokenPrompt();

    const line = chatFrame(page).locator('.sent-context summary').last();
    await line.waitFor({ timeout: 30_000 });
    assert.match(await line.textContent() ?? '', /^Problem: .+ in config\.json:4$/);
    await waitForChatText(page, 'Explain this problem and how to fix it.');
    // The question shows in the chat before it reaches the core: wait for the core to have it.
    const query = await sentQuery(/^File: config\.json/m);
    assert.match(query, /^File: config\.json \(json\), line 4/m);
    assert.match(query, /^>> 4 \| {3}"debug": true$/m);
    await line.click();
    await chatFrame(page).locator('.sent-context-text').last().waitFor();
    assert.equal(await chatFrame(page).locator('.sent-context-text').last().textContent(), query.slice(query.indexOf('\n\n') + 2));
    await screenshot(page, 'ask-problem-sent');
  });

  it('the terminal\'s context menu offers Ask Tejarat on the selection, which sends it', async function () {
    const { page } = session;
    await runCommand(page, 'Terminal: Create New Terminal');
    const terminal = page.locator('.terminal-wrapper.active .xterm, .terminal .xterm').last();
    await terminal.waitFor({ timeout: 30_000 });
    await terminal.click();
    await page.keyboard.type('echo "tejarat-$((40 + 2))"');
    await page.keyboard.press('Enter');
    await page.locator('.xterm-rows', { hasText: 'tejarat-42' }).last().waitFor({ timeout: 30_000 });
    await runCommand(page, 'Terminal: Select All');
    await terminal.click({ button: 'right' });
    const item = page.locator('.context-view .action-item', { hasText: 'Ask Tejarat About Terminal Selection' });
    await item.waitFor({ timeout: 15_000 });
    await screenshot(page, 'ask-terminal-context-menu');
    await item.click();
    await answerInputBox(page, 'What does this print?');
    await answerTokenPrompt();

    const line = chatFrame(page).locator('.sent-context summary').last();
    await waitForChatText(page, 'What does this print?');
    await line.waitFor({ timeout: 30_000 });
    assert.match(await line.textContent() ?? '', /^Terminal output from .+, \d+ lines$/);
    const query = await sentQuery(/^What does this print/);
    assert.match(query, /^What does this print\?\n\nTerminal output selected in ".+":\n```text\n/);
    assert.match(query, /^tejarat-42$/m);
    // The latest answer has finished (the first spec's turn is done already).
    await chatFrame(page).locator('article.turn-done', { hasText: 'What does this print?' }).waitFor({ timeout: 30_000 });
    await line.click();
    assert.equal(await chatFrame(page).locator('.sent-context-text').last().textContent(), query.slice(query.indexOf('\n\n') + 2));
    await line.scrollIntoViewIfNeeded();
    await screenshot(page, 'ask-terminal-sent');
  });
});

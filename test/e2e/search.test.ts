// Find it again, as a user does it in code-server: questions in two conversations, then the palette's "Search
// Conversations" typed with Arabic letters finds the turn of the older one; Enter opens it in the chat with the match
// marked. The panel's own search field finds English and Persian turns, the Persian results right to left.
// Screenshots go to test-results/e2e/.
import assert from 'node:assert/strict';
import { answerInputBox, chatFrame, openSession, quickInput, runCommand, screenshot, type Session } from './workbench';

const OLD_QUESTION = 'کتابخانه‌ی نسخه‌ی ۲ کجاست؟';
const NEW_QUESTION = 'How do I set the access token?';

describe('Search conversations in VS Code (code-server)', function () {
  let session: Session;

  before(async function () {
    session = await openSession({ core: { paceMs: 5, token: 'e2e-search-token-8c1d' } });
  });

  afterEach(async function () {
    const test = this.currentTest;
    if (session && test?.state === 'failed') await screenshot(session.page, `failed-search-${test.title.replace(/[^\w]+/g, '-').slice(0, 50)}`).catch(() => undefined);
  });

  after(async function () {
    await session?.close();
  });

  async function ask(question: string, token?: string): Promise<void> {
    await runCommand(session.page, 'Tejarat: Ask Tejarat');
    await answerInputBox(session.page, question);
    if (token !== undefined) await answerInputBox(session.page, token, { password: true });
    // Done when the chat shows the question's turn finished (no Stop button).
    const frame = chatFrame(session.page);
    await frame.locator('article.turn', { hasText: question }).last().waitFor({ timeout: 60_000 });
    await frame.locator('.stop-button').waitFor({ state: 'detached', timeout: 60_000 });
  }

  it('the palette finds a turn of an older conversation and opens it with the match marked', async function () {
    await ask(OLD_QUESTION, session.core.token ?? '');
    // The chat's own button: the palette command brings the view forward, and that focus change could close the
    // next palette while it opens.
    const frame0 = chatFrame(session.page);
    await frame0.getByRole('button', { name: 'New conversation' }).click();
    await frame0.locator('article.turn').first().waitFor({ state: 'detached', timeout: 30_000 });
    await ask(NEW_QUESTION);

    await runCommand(session.page, 'Tejarat: Search Conversations');
    const input = quickInput(session.page);
    await input.waitFor();
    // Arabic kaf and an Arabic-Indic digit, no ZWNJ: the stored question has the Persian letters.
    await input.fill('كتابخانهی نسخه');
    const row = session.page.locator('.quick-input-list .monaco-list-row', { hasText: 'نسخه' }).first();
    await row.waitFor({ timeout: 30_000 });
    await screenshot(session.page, 'search-palette-results');
    await input.press('Enter');

    const frame = chatFrame(session.page);
    const turn = frame.locator('article.turn', { hasText: OLD_QUESTION });
    await turn.waitFor({ timeout: 30_000 });
    assert.equal(await frame.locator('article.turn', { hasText: NEW_QUESTION }).count(), 0, 'the older conversation is open');
    await frame.locator('article.turn-revealed').waitFor({ timeout: 30_000 });
    const marked = await frame.locator('body').evaluate(() => {
      const registry = (globalThis as unknown as { CSS: { highlights: Map<string, Iterable<{ toString(): string }>> } }).CSS.highlights;
      return [...(registry.get('tejarat-search') ?? [])].map((range) => range.toString());
    });
    assert.ok(marked.length > 0, 'the match is marked');
    assert.ok(marked.every((text) => /کتابخانه|نسخه/.test(text)), `marked: ${marked.join(' | ')}`);
    await screenshot(session.page, 'search-opened-marked');
  });

  it('the panel search finds English and Persian turns, Persian results right to left', async function () {
    const frame = chatFrame(session.page);
    await frame.locator('.search-toggle').click();
    const field = frame.locator('.search-input');
    await field.fill('access TOKEN');
    const english = frame.locator('.search-hit', { hasText: NEW_QUESTION });
    await english.waitFor({ timeout: 30_000 });
    assert.deepEqual(await english.locator('mark').allInnerTexts(), ['access', 'token']);
    await screenshot(session.page, 'search-panel-english');

    await field.fill('كتابخانه');
    const persian = frame.locator('.search-hit', { hasText: 'نسخه' }).first();
    await persian.waitFor({ timeout: 30_000 });
    assert.equal(await persian.locator('.search-hit-snippet').getAttribute('dir'), 'rtl');
    await screenshot(session.page, 'search-panel-persian');
    await field.press('Escape');
    assert.equal(await frame.locator('.search').count(), 0, 'Esc closes the search');
  });
});

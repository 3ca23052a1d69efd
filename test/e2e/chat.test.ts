// End to end, as a user does it: the packaged .vsix installed in code-server (VS Code 1.100.3) in headless
// Chromium, talking to the local RAG Core. Screenshots go to test-results/e2e/.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  answerInputBox,
  chatFrame,
  computedDirection,
  countChatText,
  editorText,
  expectedAnswer,
  openSession,
  plainSentence,
  runCommand,
  screenshot,
  waitForChatText,
  waitForChatTextCount,
  type Session,
} from './workbench';

const ENGLISH_QUESTION = 'How do I set the access token?';
const PERSIAN_QUESTION = 'توکن دسترسی را چطور تنظیم کنم؟';

/** A failed test leaves a screenshot of what the user would have seen: test-results/e2e/failed-<title>.png. */
async function screenshotOnFailure(context: Mocha.Context, session: Session | undefined): Promise<void> {
  const test = context.currentTest;
  if (session && test?.state === 'failed') {
    await screenshot(session.page, `failed-${test.title.replace(/[^\w]+/g, '-').slice(0, 60)}`).catch(() => undefined);
  }
}

/** Opens an empty untitled editor that Insert can write into, with the cursor in it; returns how many tabs are open. */
async function newEditor(session: Session): Promise<number> {
  await runCommand(session.page, 'File: New Untitled Text File');
  await session.page.locator('.editor-group-container.active .monaco-editor').first().waitFor();
  return session.page.locator('.tabs-container .tab').count();
}

/** Palette → Ask Tejarat → the question; answers the token prompt when the extension asks for one. */
async function ask(session: Session, question: string, token?: string): Promise<void> {
  await runCommand(session.page, 'Tejarat: Ask Tejarat');
  await answerInputBox(session.page, question);
  if (token !== undefined) await answerInputBox(session.page, token, { password: true });
}

/** Clicks "Insert at cursor" on the latest answer in the chat. */
async function insertLatestAnswer(session: Session): Promise<void> {
  await chatFrame(session.page).getByRole('button', { name: /^insert at cursor/i }).last().click();
}

/**
 * The answer went into the editor the user was writing in, not into a new document: still as many tabs as before
 * (an untitled editor's tab then shows its new first line instead of "Untitled-1").
 */
async function assertInserted(session: Session, sentence: string, tabsBefore: number): Promise<void> {
  await session.page.locator('.editor-group-container.active .view-lines', { hasText: sentence.slice(0, 30) }).first().waitFor({ timeout: 15_000 });
  assert.ok((await editorText(session.page)).includes(sentence), `the editor shows "${sentence}"`);
  assert.equal(await session.page.locator('.tabs-container .tab').count(), tabsBefore, 'no new document was opened');
}

function filesUnder(directory: string): string[] {
  return readdirSync(directory, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name));
}

describe('Tejarat Chat in VS Code (code-server), streaming core', function () {
  let session: Session;

  before(async function () {
    // A token no answer or page could hold by chance, so finding it anywhere means it leaked.
    session = await openSession({ core: { paceMs: 25, token: 'e2e-secret-5f1c9a7d3b' } });
  });

  afterEach(async function () {
    await screenshotOnFailure(this, session);
  });

  after(async function () {
    await session?.close();
  });

  it('palette → Ask Tejarat → the answer streams into the chat → Insert puts it in the editor', async function () {
    const answer = await expectedAnswer(session.core, ENGLISH_QUESTION);
    const first = plainSentence(answer, 0);
    const last = plainSentence(answer, 2);
    const editor = await newEditor(session);
    await ask(session, ENGLISH_QUESTION, session.core.token ?? '');

    // While it streams, the start of the answer is visible before its later part.
    await waitForChatText(session.page, first);
    const partial = (await chatFrame(session.page).locator('body').innerText()).includes(last);
    await screenshot(session.page, 'streaming-while-streaming');
    await waitForChatText(session.page, last);
    assert.equal(partial, false, 'the later part of the answer arrived after the first part was already shown');
    assert.deepEqual(session.core.stats, { stream: 1, query: 0 }, 'one streamed request, no fallback');
    await screenshot(session.page, 'streaming-answer');

    await insertLatestAnswer(session);
    await assertInserted(session, first, editor);
    await screenshot(session.page, 'streaming-inserted');
  });

  it('a Persian question gets a right-to-left answer', async function () {
    const answer = await expectedAnswer(session.core, PERSIAN_QUESTION);
    const sentence = plainSentence(answer, 1);
    await ask(session, PERSIAN_QUESTION);
    const element = await waitForChatText(session.page, sentence);
    assert.equal(await computedDirection(element), 'rtl');
    await screenshot(session.page, 'persian-rtl');
  });

  it('401 → Set Access Token → the kept question is answered', async function () {
    await runCommand(session.page, 'Tejarat: Sign Out');
    const question = ENGLISH_QUESTION.replace('set', 'change');
    const answer = await expectedAnswer(session.core, question);
    // Its last sentence may already be in the chat from an earlier answer: the new answer adds one more.
    const last = plainSentence(answer, 2);
    const before = await countChatText(session.page, last);
    await ask(session, question, 'not-the-right-token');

    const action = session.page.locator('.notification-toast').getByRole('button', { name: 'Set Access Token' });
    await action.first().waitFor({ timeout: 30_000 });
    await screenshot(session.page, 'unauthorized-notification');
    await action.first().click();
    await answerInputBox(session.page, session.core.token ?? '', { password: true });

    await waitForChatTextCount(session.page, last, before + 1);
    // The same question went again, now with the new token; the user did not type it twice.
    const request = session.core.lastRequest;
    assert.equal((request?.body as { query?: string } | undefined)?.query, question);
    assert.equal(request?.headers.authorization, `Bearer ${session.core.token ?? ''}`);
    await screenshot(session.page, 'unauthorized-then-answered');
  });

  it('the token never reaches the webview, the settings, the logs or any file VS Code wrote', async function () {
    const token = session.core.token ?? '';
    assert.ok(token.length > 10);
    const question = 'How does streaming work?';
    const answer = await expectedAnswer(session.core, question);
    // Typed into the real password box, whatever an earlier test left in SecretStorage.
    await runCommand(session.page, 'Tejarat: Set Access Token');
    await answerInputBox(session.page, token, { password: true });
    await ask(session, question);
    await waitForChatText(session.page, plainSentence(answer, 0));
    const webviews = session.page.frames().filter((frame) => /vscode-webview|webview/i.test(frame.url()));
    assert.ok(webviews.length >= 2, 'the chat webview frames are open');
    for (const frame of webviews) assert.ok(!(await frame.content()).includes(token), `webview frame ${frame.url()} holds the token`);
    // SecretStorage's own database is the one place the token may be; every other file is checked.
    const files = filesUnder(session.codeServer.userDataDir).filter((file) => !/\.vscdb/.test(file));
    const log = files.find((file) => file.endsWith('Tejarat Chat.log'));
    assert.ok(log && /POST \/api\/v1\/query\/stream/.test(readFileSync(log, 'utf8')), `the extension's log is among the files checked (${files.length} files)`);
    assert.deepEqual(files.filter((file) => readFileSync(file).includes(token)), []);
    assert.ok(!session.codeServer.output().includes(token), 'code-server output holds the token');
  });
});

describe('Tejarat Chat in VS Code (code-server), core without streaming (--no-stream)', function () {
  let session: Session;

  before(async function () {
    session = await openSession({ core: { streaming: false } });
  });

  afterEach(async function () {
    await screenshotOnFailure(this, session);
  });

  after(async function () {
    await session?.close();
  });

  it('falls back to the normal request: the answer shows and Insert puts it in the editor', async function () {
    const answer = await expectedAnswer(session.core, ENGLISH_QUESTION);
    const first = plainSentence(answer, 0);
    const editor = await newEditor(session);
    await ask(session, ENGLISH_QUESTION, session.core.token ?? '');
    await waitForChatText(session.page, plainSentence(answer, 2));
    assert.equal(session.core.stats.query, 1, 'the answer came from the normal endpoint');
    await screenshot(session.page, 'fallback-answer');

    await insertLatestAnswer(session);
    await assertInserted(session, first, editor);
    await screenshot(session.page, 'fallback-inserted');
  });
});

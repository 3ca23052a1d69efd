// Nothing lost across a reload or a crash, as a user sees it: the packaged .vsix in code-server, the chat open as an
// editor tab, an answer streaming slowly from the local core. The window is reloaded in the middle of the answer,
// and the chat tab comes back with the partial answer marked cut off and a Retry that asks again. Then the extension
// host is killed in the middle of the retried answer (SIGKILL: no deactivate, no last save), VS Code starts a new
// one, and the chat shows that answer cut off too; the status bar item is there from startup.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { answerInputBox, chatFrame, expectedAnswer, openSession, runCommand, screenshot, waitForWorkbench, type Session } from './workbench';

const QUESTION = 'How does streaming work?';

interface StoredTurn {
  question: string;
  answer: string;
  status: string;
}

/** The conversation files the extension wrote under this code-server's workspace storage. */
function conversationFiles(session: Session): string[] {
  const root = join(session.codeServer.userDataDir, 'User', 'workspaceStorage');
  if (!existsSync(root)) return [];
  return readdirSync(root, { recursive: true, encoding: 'utf8' })
    .filter((path) => /tejarat\.tejarat-chat[\\/]conversations[\\/][^\\/]+\.json$/.test(path) && !path.includes('.tmp-'))
    .map((path) => join(root, path));
}

function storedTurns(session: Session): StoredTurn[] {
  return conversationFiles(session).flatMap((file) => {
    try {
      return (JSON.parse(readFileSync(file, 'utf8')) as { conversation: { turns: StoredTurn[] } }).conversation.turns;
    } catch {
      return []; // Replaced while read: the next poll reads the new file.
    }
  });
}

/** The extension host processes of this code-server, found by their command line. */
function extensionHostPids(session: Session): number[] {
  const table = execFileSync('ps', ['-eo', 'pid=,pgid=,args='], { encoding: 'utf8' });
  return table
    .split('\n')
    .map((line) => /^\s*(\d+)\s+(\d+)\s+(.*)$/.exec(line))
    .filter((match): match is RegExpExecArray => match !== null)
    .filter((match) => Number(match[2]) === session.codeServer.pid && /--type=extensionHost/.test(match[3] ?? ''))
    .map((match) => Number(match[1]));
}

/** The first words of a stored answer as the chat shows them (Markdown marks removed). */
function firstWordsOf(answer: string): string {
  const words = (answer.split('\n')[0] ?? '').replace(/[#*_`>[\]]/g, '').trim().slice(0, 20);
  assert.ok(words.length >= 10, `the answer on disk begins with words: ${answer.slice(0, 80)}`);
  return words;
}

async function until<T>(what: string, check: () => T | undefined | false | Promise<T | undefined | false>, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe('Tejarat Chat in VS Code (code-server): nothing lost when the extension host dies', function () {
  let session: Session;

  before(async function () {
    // Slow enough that the answer is still streaming when the host is killed, a few seconds in.
    session = await openSession({ core: { paceMs: 150 } });
  });

  afterEach(async function () {
    const test = this.currentTest;
    if (session && test?.state === 'failed') {
      await screenshot(session.page, `failed-${test.title.replace(/[^\w]+/g, '-').slice(0, 60)}`).catch(() => undefined);
    }
  });

  after(async function () {
    await session?.close();
  });

  it('a question streaming when the window reloads comes back cut off, with Retry', async function () {
    const { page } = session;
    const answer = await expectedAnswer(session.core, QUESTION);
    await runCommand(page, 'Tejarat: Open Chat in Editor');
    await runCommand(page, 'Tejarat: Ask Tejarat');
    await answerInputBox(page, QUESTION);
    await answerInputBox(page, session.core.token ?? '', { password: true });

    // The answer in progress reaches the disk while it streams.
    const partial = await until('the answer in progress on disk', () => {
      const turn = storedTurns(session).find((candidate) => candidate.question === QUESTION);
      return turn && turn.status === 'streaming' && turn.answer.length > 40 ? turn : undefined;
    });
    assert.ok(answer.startsWith(partial.answer), 'what is on disk is the start of the answer');
    assert.ok(partial.answer.length < answer.length, 'the answer was still incomplete');

    // Reloaded the way VS Code reloads a window, which saves the window's state (its open tabs) before it goes.
    const reloaded = page.waitForEvent('load', { timeout: 60_000 });
    await runCommand(page, 'Developer: Reload Window');
    await reloaded;
    await waitForWorkbench(page);
    // VS Code brings the tab back and the extension's serializer fills it with the conversation as it was saved.
    await page.locator('.tabs-container .tab', { hasText: 'Tejarat Chat' }).first().waitFor({ timeout: 60_000 });
    const chat = chatFrame(page);
    await chat.getByText('The connection was lost. The answer is cut off.').waitFor({ timeout: 60_000 });
    await chat.getByText(QUESTION).first().waitFor();
    await chat.getByText(firstWordsOf(partial.answer), { exact: false }).first().waitFor();
    const stored = storedTurns(session).filter((candidate) => candidate.question === QUESTION);
    assert.equal(stored.length, 1);
    assert.match(stored[0]?.status ?? '', /^(streaming|cut-off)$/, 'saved as it stood when the window closed');
    await screenshot(page, 'restore-after-reload');

    // Retry asks the same question again.
    session.core.resetStats();
    await chat.getByRole('button', { name: /retry/i }).last().click();
    await until('the question asked again', () => session.core.stats.stream >= 1, 30_000);
    assert.equal((session.core.lastRequest?.body as { query?: string } | undefined)?.query, QUESTION);
    await screenshot(page, 'restore-retried');
  });

  it('a killed extension host leaves the partial answer, cut off with Retry, once VS Code has started a new one', async function () {
    const { page } = session;
    // The retried answer of the test before is streaming now (slowly), and reaches the disk as it grows.
    const partial = await until('the retried answer in progress on disk', () => {
      const turns = storedTurns(session).filter((candidate) => candidate.question === QUESTION);
      const turn = turns.length === 1 ? turns[0] : undefined;
      return turn && turn.status === 'streaming' && turn.answer.length > 40 ? turn : undefined;
    });

    const hosts = extensionHostPids(session);
    assert.equal(hosts.length, 1, `one extension host (found ${hosts.join(', ')})`);
    process.kill(hosts[0] ?? 0, 'SIGKILL');
    await screenshot(page, 'restore-host-killed');
    // VS Code starts a new extension host by itself; the extension activates in it after startup.
    await until('a new extension host', () => extensionHostPids(session).some((pid) => pid !== hosts[0]), 60_000);
    // Shown at startup because there is history, before any command was used in this host.
    await page.locator('.statusbar-item', { hasText: 'Tejarat' }).first().waitFor({ timeout: 60_000 });
    // The chat tab belonged to the host that died, and VS Code leaves it frozen or closes it. Opening the chat shows
    // the conversation as it was saved, in one tab: a frozen one is replaced, not kept beside the new one.
    await runCommand(page, 'Tejarat: Open Chat in Editor');
    const chatTabs = page.locator('.tabs-container .tab', { hasText: 'Tejarat Chat' });
    await chatTabs.first().waitFor({ timeout: 60_000 });
    await until('one chat tab after opening the chat', async () => (await chatTabs.count()) === 1, 30_000);
    const chat = chatFrame(page);
    await chat.getByText('The connection was lost. The answer is cut off.').waitFor({ timeout: 60_000 });
    await chat.getByText(firstWordsOf(partial.answer), { exact: false }).first().waitFor();
    await chat.getByText(QUESTION).first().waitFor();
    await chat.getByRole('button', { name: /retry/i }).last().waitFor();
    await screenshot(page, 'restore-cut-off');
  });
});

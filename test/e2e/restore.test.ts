// Nothing lost across a crash or a reload, as a user sees it: the packaged .vsix in code-server, the chat open as an
// editor tab, an answer streaming slowly from the local core. The extension host is killed in the middle of the
// answer (SIGKILL: no deactivate, no last save), VS Code starts a new one, and the chat shows the
// partial answer marked cut off and a Retry that asks again; the status bar item is there from startup.
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

/**
 * Waits until the workbench has written the open chat tab into its saved window state (IndexedDB in the browser).
 * VS Code writes that state a moment after a change; a reload or a crash before it would lose the tab whatever the
 * extension does, which is not what these tests are about.
 */
async function waitForSavedChatTab(session: Session): Promise<void> {
  // Runs in the page (a string, as the Node-side type check has no DOM types).
  const savedInIndexedDb = `(async () => {
    for (const { name } of await indexedDB.databases()) {
      const found = await new Promise((resolve) => {
        const open = indexedDB.open(name ?? '');
        open.onerror = () => resolve(false);
        open.onsuccess = () => {
          const database = open.result;
          if (!database.objectStoreNames.contains('ItemTable')) { database.close(); resolve(false); return; }
          const read = database.transaction('ItemTable', 'readonly').objectStore('ItemTable').get('memento/workbench.parts.editor');
          read.onerror = () => resolve(false);
          read.onsuccess = () => { database.close(); resolve(String(read.result ?? '').includes('tejarat.chatPanel')); };
        };
      });
      if (found) return true;
    }
    return false;
  })()`;
  await session.page.waitForFunction(savedInIndexedDb, undefined, { timeout: 60_000, polling: 250 });
}

async function until<T>(what: string, check: () => T | undefined | false, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = check();
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

  it('a killed extension host leaves the partial answer, cut off with Retry, once VS Code has started a new one', async function () {
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

    const hosts = extensionHostPids(session);
    assert.equal(hosts.length, 1, `one extension host (found ${hosts.join(', ')})`);
    process.kill(hosts[0] ?? 0, 'SIGKILL');
    await screenshot(page, 'restore-host-killed');
    // VS Code starts a new extension host by itself; the extension activates in it after startup.
    await until('a new extension host', () => extensionHostPids(session).some((pid) => pid !== hosts[0]), 60_000);
    // Shown at startup because there is history, before any command was used in this host.
    await page.locator('.statusbar-item', { hasText: 'Tejarat' }).first().waitFor({ timeout: 60_000 });
    // The chat tab belonged to the host that died: opening the chat shows the conversation as it was saved.
    await runCommand(page, 'Tejarat: Open Chat in Editor');
    await page.locator('.tabs-container .tab', { hasText: 'Tejarat Chat' }).first().waitFor({ timeout: 60_000 });
    const chat = chatFrame(page);
    const firstWords = (partial.answer.split('\n')[0] ?? '').replace(/[#*_`>[\]]/g, '').trim().slice(0, 20);
    assert.ok(firstWords.length >= 10, `the answer on disk begins with words: ${partial.answer.slice(0, 80)}`);
    await chat.getByText('The connection was lost. The answer is cut off.').waitFor({ timeout: 60_000 });
    await chat.getByText(firstWords, { exact: false }).first().waitFor();
    await chat.getByText(QUESTION).first().waitFor();
    await screenshot(page, 'restore-cut-off');

    // Retry asks the same question again.
    session.core.resetStats();
    await chat.getByRole('button', { name: /retry/i }).last().click();
    await until('the question asked again', () => session.core.stats.stream >= 1, 30_000);
    assert.equal((session.core.lastRequest?.body as { query?: string } | undefined)?.query, QUESTION);
    await screenshot(page, 'restore-retried');
  });

  it('a question streaming when the window reloads comes back cut off, with Retry', async function () {
    const { page } = session;
    const chat = chatFrame(page);
    // The retried answer of the test before is streaming now (slowly); its text is on screen.
    await until('the retried answer in progress on disk', () => {
      const turns = storedTurns(session).filter((candidate) => candidate.question === QUESTION);
      return turns.length === 1 && turns[0]?.status === 'streaming' && turns[0].answer.length > 20;
    });
    await waitForSavedChatTab(session);
    await page.reload();
    await waitForWorkbench(page);
    await page.locator('.tabs-container .tab', { hasText: 'Tejarat Chat' }).first().waitFor({ timeout: 60_000 });
    await chat.getByText('The connection was lost. The answer is cut off.').waitFor({ timeout: 60_000 });
    await chat.getByRole('button', { name: /retry/i }).last().waitFor();
    const stored = storedTurns(session).filter((candidate) => candidate.question === QUESTION);
    assert.equal(stored.length, 1);
    assert.match(stored[0]?.status ?? '', /^(streaming|cut-off)$/, 'saved as it stood when the window closed');
    await screenshot(page, 'restore-after-reload');
  });
});

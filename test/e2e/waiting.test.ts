// A core that thinks before it answers, as a user sees it in the packaged extension: the chat says it waits and
// counts the seconds, the answer arrives although it took longer than the connect limit, and Stop in the chat
// ends a wait at once. The stand-in holds every request on loopback for a while, then passes it to the local core.
import assert from 'node:assert/strict';
import { createServer, request, type IncomingMessage, type Server } from 'node:http';
import type { Socket } from 'node:net';
import {
  answerInputBox,
  chatFrame,
  expectedAnswer,
  openSession,
  plainSentence,
  runCommand,
  screenshot,
  waitForChatText,
  type Session,
} from './workbench';

interface SlowFront {
  url: string;
  /** Where requests go once held: the local core's URL, known after the session started. */
  target: string;
  holdMs: number;
  /** Requests that reached the front. */
  received: number;
  close(): Promise<void>;
}

async function startSlowFront(): Promise<SlowFront> {
  const sockets = new Set<Socket>();
  const front: SlowFront = { url: '', target: '', holdMs: 0, received: 0, close: async () => undefined };
  const server: Server = createServer((req: IncomingMessage, res) => {
    front.received += 1;
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const timer = setTimeout(() => {
        const upstream = request(new URL(req.url ?? '/', front.target), { method: req.method, headers: { ...req.headers, host: new URL(front.target).host } }, (answer) => {
          res.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(res);
        });
        upstream.on('error', () => res.destroy());
        upstream.end(Buffer.concat(chunks));
      }, front.holdMs);
      // The client gave up (Stop): nothing is sent on.
      res.on('close', () => clearTimeout(timer));
    });
  });
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  front.url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  front.close = () =>
    new Promise<void>((resolve) => {
      for (const socket of sockets) socket.destroy();
      server.close(() => resolve());
    });
  return front;
}

describe('Tejarat Chat in VS Code (code-server), a core that takes its time', function () {
  let session: Session;
  let front: SlowFront;

  before(async function () {
    front = await startSlowFront();
    // A one-second connect limit: the old client counted waiting for the headers against it and failed.
    session = await openSession({
      core: { paceMs: 10 },
      settings: { 'tejarat.coreUrl': front.url, 'tejarat.timeouts.connect': 1, 'tejarat.timeouts.answer': 60 },
    });
    front.target = session.core.url;
  });

  afterEach(async function () {
    const test = this.currentTest;
    if (session && test?.state === 'failed') await screenshot(session.page, `failed-${test.title.replace(/[^\w]+/g, '-').slice(0, 60)}`).catch(() => undefined);
  });

  after(async function () {
    await session?.close();
    await front?.close();
  });

  it('Ctrl+Alt+Shift+T asks; the chat counts the wait, and the answer arrives after it', async function () {
    front.holdMs = 4_000;
    const question = 'How do I set the access token?';
    const answer = await expectedAnswer(session.core, question);
    // By its default key, as a user would: it reaches VS Code (in the browser too) and opens the question box.
    await session.page.locator('.monaco-workbench').click({ position: { x: 700, y: 400 } });
    await session.page.keyboard.press('Control+Alt+Shift+T');
    await answerInputBox(session.page, question);
    await answerInputBox(session.page, session.core.token ?? '', { password: true });
    await waitForChatText(session.page, 'Waiting for RAG Core…');
    await chatFrame(session.page).locator('.waiting', { hasText: /^Waiting for RAG Core… [2-9] s$/ }).waitFor({ timeout: 15_000 });
    await screenshot(session.page, 'waiting-for-core');
    await waitForChatText(session.page, plainSentence(answer, 0));
    assert.equal(await chatFrame(session.page).locator('.waiting').count(), 0, 'the waiting line gives way to the answer');
  });

  it('Stop in the chat ends the wait at once, and the question stays', async function () {
    front.holdMs = 600_000;
    const question = 'What does the core think about for ten minutes?';
    const before = front.received;
    await runCommand(session.page, 'Tejarat: Ask Tejarat');
    await answerInputBox(session.page, question);
    await chatFrame(session.page).locator('.waiting').waitFor({ timeout: 15_000 });
    for (let waited = 0; front.received === before; waited += 50) {
      assert.ok(waited < 15_000, 'the question reached the core');
      await session.page.waitForTimeout(50);
    }
    await chatFrame(session.page).locator('.stop-button').click();
    await waitForChatText(session.page, 'Stopped. The answer is incomplete.');
    // The turn's status line and the panel's announcement may land a frame apart on a busy machine.
    await chatFrame(session.page).locator('.waiting').waitFor({ state: 'detached', timeout: 5_000 });
    assert.equal(await chatFrame(session.page).locator('.question-text').last().innerText(), question);
    await screenshot(session.page, 'waiting-stopped');
  });
});

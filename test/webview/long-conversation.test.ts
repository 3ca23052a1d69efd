// A long conversation in real Chromium: old turns wait as slots of about their height until they come near the
// view; the scroll position holds while they become real; an answer's start and end touch only the turns they
// change; code out of view waits for its colours; the input grows by CSS. Screenshots of 300 turns (top, middle,
// bottom) go to test-results/webview/ for people to look at.
import assert from 'node:assert/strict';
import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Browser, CDPSession } from 'playwright-core';
import { longConversation, state, turn } from './fixtures';
import { launchChromium, WebviewPage } from './harness';

const outDir = join(process.cwd(), 'test-results', 'webview');

/**
 * How many times the panel's turn view rendered during `action`, read from V8's call counts (precise coverage, the
 * profiler's own instrument): no counter in the shipped bundle. The turn view's render function is the one whose
 * body holds the only `answer-incomplete` of the bundle.
 */
async function turnRenders(session: CDPSession, action: () => Promise<void>): Promise<number> {
  const bundle = await readFile(join(process.cwd(), 'dist', 'webview.js'), 'utf8');
  const marker = bundle.indexOf('answer-incomplete');
  assert.ok(marker > 0 && bundle.indexOf('answer-incomplete', marker + 1) < 0, 'the marker is unique in the bundle');
  await session.send('Profiler.takePreciseCoverage');
  await action();
  const { result } = await session.send('Profiler.takePreciseCoverage');
  const script = result.find((entry) => entry.url.endsWith('/dist/webview.js'));
  assert.ok(script, 'the bundle is covered');
  let best: { span: number; count: number } | undefined;
  for (const fn of script.functions) {
    const range = fn.ranges[0];
    if (!range || range.startOffset > marker || range.endOffset < marker) continue;
    const span = range.endOffset - range.startOffset;
    if (!best || span < best.span) best = { span, count: range.count };
  }
  return best?.count ?? 0;
}

interface Geometry {
  scrollTop: number;
  scrollHeight: number;
  clientHeight: number;
}

describe('long conversation (Chromium)', function () {
  this.timeout(120_000);
  let browser: Browser;
  let view: WebviewPage;

  before(async function () {
    browser = await launchChromium();
    await mkdir(outDir, { recursive: true });
  });
  after(async function () {
    await browser?.close();
  });
  beforeEach(async function () {
    view = await WebviewPage.open(browser, { height: 900 });
  });
  afterEach(async function () {
    await view?.close();
  });

  const geometry = () => view.page.$eval('.conversation', (element): Geometry =>
    ({ scrollTop: element.scrollTop, scrollHeight: element.scrollHeight, clientHeight: element.clientHeight }));
  const shownTurns = () => view.page.$$eval('article[data-turn-id]', (nodes) => nodes.map((node) => node.getAttribute('data-turn-id')));
  const placeholders = () => view.page.locator('.turn-placeholder').count();
  /** Scrolls the conversation and waits until the slots that came near the view are real and laid out. */
  const scrollTo = async (top: number) => {
    await view.page.$eval('.conversation', (element, top) => { element.scrollTop = top; }, top);
    await view.frames(4);
  };
  /** Waits for the panel's idle work (highlighting) to drain: idle callbacks run only once nothing else does. */
  const idle = (rounds = 5) => view.page.evaluate((rounds) => new Promise<void>((resolve) => {
    let left = rounds;
    const next = () => (--left <= 0 ? resolve() : requestIdleCallback(next));
    requestIdleCallback(next);
  }), rounds);

  it('builds only the newest turns; an old turn shows its content once scrolled near, and the position holds', async function () {
    const turns = longConversation(60);
    await view.send(state(turns));
    await view.frames(3);
    // The panel opens at the end, on the last answer.
    const opened = await geometry();
    assert.ok(opened.scrollHeight - opened.scrollTop - opened.clientHeight < 48, 'opens at the end');
    const shown = await shownTurns();
    assert.ok(shown.includes('h60'), 'the last answer is shown');
    assert.ok(shown.length <= 4, `only the turns near the end are built (built: ${shown.join(' ')})`);
    assert.equal(await placeholders(), 60 - shown.length, 'the others are empty slots');
    assert.equal(await view.page.locator('[data-slot="h1"] article').count(), 0);
    assert.equal(await view.page.locator('[data-slot="h1"] *').count(), 0, 'an empty slot has no content at all');

    // The scrollbar tells the truth before the turns are built: each slot is about as tall as its turn will be.
    const estimates = await view.page.$$eval('.turn-placeholder', (nodes) =>
      Object.fromEntries(nodes.map((node) => [node.getAttribute('data-slot'), (node as HTMLElement).offsetHeight])));

    // Scrolling up from the end as a reader does, a screen at a time: what was in view moves by exactly the distance
    // scrolled, however the turns built above it turned out (measured before they come into view).
    for (let step = 0; step < 12; step += 1) {
      const mark = await view.page.evaluate(() => {
        const scroller = document.querySelector('.conversation') as Element;
        const middle = scroller.getBoundingClientRect().top + scroller.clientHeight / 2;
        const element = [...document.querySelectorAll('.turns p, .turns pre, .turns tr, .turns h2, .turns li, .turns .speaker')].find((node) => {
          const box = node.getBoundingClientRect();
          return box.top > middle - 400 && box.top < middle + 400;
        });
        element?.setAttribute('data-mark', '');
        document.querySelectorAll('[data-mark]').forEach((node) => node !== element && node.removeAttribute('data-mark'));
        scroller.scrollTop -= 600;
        return element ? element.getBoundingClientRect().top : undefined;
      });
      assert.ok(mark !== undefined, 'something is in view');
      await view.frames(4);
      const moved = await view.page.$eval('[data-mark]', (element) => element.getBoundingClientRect().top);
      assert.ok(Math.abs(moved - mark) <= 2, `step ${step}: what was in view moved with the scroll only (${mark} → ${moved})`);
    }

    // To the top: the first turn is built and shows its question and answer.
    await scrollTo(0);
    await view.page.locator('[data-slot="h1"] article .markdown').waitFor();
    assert.match(await view.page.locator('[data-slot="h1"] .question-text').innerText(), /^Question 1:/);
    assert.equal(await view.page.locator('[data-slot="h1"] .turn-placeholder').count(), 0);
    assert.equal((await geometry()).scrollTop, 0);
    const real = await view.page.$$eval('.turn-slot:not(.turn-placeholder)', (nodes) =>
      nodes.map((node) => [node.getAttribute('data-slot'), (node as HTMLElement).offsetHeight] as const));
    for (const [id, height] of real) {
      const estimate = estimates[id ?? ''];
      if (estimate === undefined) continue;
      assert.ok(estimate > height * 0.6 && estimate < height * 1.6, `turn ${id}: estimated ${estimate}px, real ${height}px`);
    }

    // Into the middle: the turn brought to the top of the view stays there while the slots around it are built
    // (scroll anchoring), and the ones above it become real as the reader scrolls up.
    await view.page.$eval('[data-slot="h30"]', (element) => element.scrollIntoView({ block: 'start' }));
    await view.frames(4);
    const topOf = () => view.page.$eval('[data-slot="h30"]', (element) =>
      element.getBoundingClientRect().top - (document.querySelector('.conversation') as Element).getBoundingClientRect().top);
    const before = await topOf();
    await view.page.locator('[data-slot="h30"] article .markdown').waitFor();
    await view.page.locator('[data-slot="h29"] article').waitFor();
    await view.frames(4);
    assert.ok(Math.abs((await topOf()) - before) <= 2, `turn 30 stays where the reader put it (${before} → ${await topOf()})`);
    await view.page.$eval('.conversation', (element) => { element.scrollTop -= 300; });
    await view.frames(4);
    const after = await topOf();
    assert.ok(Math.abs(after - before - 300) <= 2, `scrolling up 300px moves the view by 300px, not by what was built above (${before} → ${after})`);

    // Back to the end: the last answer's end is in view again.
    const end = await geometry();
    await scrollTo(end.scrollHeight);
    await view.frames(4);
    const back = await geometry();
    assert.ok(back.scrollHeight - back.scrollTop - back.clientHeight < 2, 'back at the very end');
    const lastBox = await view.page.$eval('[data-slot="h60"] .answer-actions', (element) => element.getBoundingClientRect().bottom);
    assert.ok(lastBox <= 900 && lastBox > 600, `the last answer's actions are in view at the bottom (${lastBox})`);
  });

  it('follows a new answer at the end of a long conversation, and leaves a reader who scrolled up alone', async function () {
    await view.send(state(longConversation(40)));
    await view.frames(3);
    await view.send({ type: 'turnStarted', turn: turn('n1', 'Next question') },
      { type: 'append', turnId: 'n1', text: 'First words of the answer.\n\n' });
    await view.frames(3);
    let now = await geometry();
    assert.ok(now.scrollHeight - now.scrollTop - now.clientHeight < 48, 'follows the new answer');
    await scrollTo(now.scrollTop - 2000);
    const reading = (await geometry()).scrollTop;
    await view.send({ type: 'append', turnId: 'n1', text: 'More text.\n\n'.repeat(40) });
    await view.frames(3);
    now = await geometry();
    assert.equal(now.scrollTop, reading, 'stays where the reader is');
  });

  it('re-renders only the new turn and the turns whose Retry changes when an answer starts and ends', async function () {
    // h6 is stopped: it offers Retry, which must go while another answer runs and come back after.
    const turns = longConversation(8);
    await view.send(state(turns));
    await view.frames(3);
    // Scrolled through once, so that every turn is built and could be touched.
    for (let top = (await geometry()).scrollTop; top > 0; top -= 700) await scrollTo(top);
    await view.page.$eval('[data-slot="h6"]', (element) => element.scrollIntoView());
    await view.frames(4);
    assert.equal(await view.page.locator('[data-slot="h6"] .turn-status button').count(), 1, 'the stopped answer offers Retry');
    const built = await shownTurns();
    assert.equal(built.length, 8, `every turn is built (${built.join(' ')})`);

    const record = async (send: () => Promise<void>) => {
      await view.page.evaluate(() => {
        const records: string[] = [];
        const describe = (node: Node) => {
          const element = node instanceof Element ? node : node.parentElement;
          return element?.closest('[data-slot]')?.getAttribute('data-slot') ?? (element?.matches('.turns, .turn-group') ? 'turns' : '?');
        };
        const observer = new MutationObserver((mutations) => {
          for (const mutation of mutations) {
            records.push(describe(mutation.target));
            if (mutation.target instanceof Element && mutation.target.matches('.turns, .turn-group')) {
              for (const node of mutation.addedNodes) records.push(`added ${describe(node)}`);
              for (const node of mutation.removedNodes) records.push(`removed ${(node as Element).getAttribute?.('data-slot') ?? '?'}`);
            }
          }
        });
        observer.observe(document.querySelector('.turns') as Element, { subtree: true, childList: true, attributes: true, characterData: true });
        (window as unknown as { __mutations: () => string[] }).__mutations = () => {
          observer.disconnect();
          return [...records, ...observer.takeRecords().map((mutation) => describe(mutation.target))];
        };
      });
      await send();
      await view.frames(3);
      return new Set(await view.page.evaluate(() => (window as unknown as { __mutations: () => string[] }).__mutations()));
    };

    const session = await view.context.newCDPSession(view.page);
    await session.send('Profiler.enable');
    await session.send('Profiler.startPreciseCoverage', { callCount: true, detailed: false });
    let started = new Set<string>();
    const startRenders = await turnRenders(session, async () => {
      started = await record(() => view.send({ type: 'turnStarted', turn: turn('n1', 'A new question') }));
    });
    assert.equal(startRenders, 2, 'start: the new turn and h6 render, the other seven do not');
    // The list itself changes (the new slot is added), then only inside the new turn and h6.
    assert.deepEqual([...started].filter((target) => !['turns', 'n1'].includes(target)).sort(), ['added n1', 'h6'],
      'start: the new turn, and Retry leaving h6');
    assert.equal(await view.page.locator('[data-slot="h6"] .turn-status button').count(), 0, 'no Retry while an answer runs');

    const streamed = await record(() => view.send({ type: 'answerStarted', turnId: 'n1', mode: 'stream' },
      { type: 'append', turnId: 'n1', text: 'Some **answer** text.\n\n```ts\nconst x = 1;\n```\n' }));
    assert.deepEqual([...streamed], ['n1'], 'streaming touches only the growing answer');

    let ended = new Set<string>();
    const endRenders = await turnRenders(session, async () => {
      ended = await record(() => view.send({ type: 'turnEnded', turnId: 'n1', status: 'done', metadata: { model: 'gpt-4', tokens: 12 } }));
    });
    assert.equal(endRenders, 2, 'end: the finished turn and h6 render, the other seven do not');
    assert.deepEqual([...ended].sort(), ['h6', 'n1'], 'end: the finished turn, and Retry coming back to h6');
    assert.equal(await view.page.locator('[data-slot="h6"] .turn-status button').count(), 1, 'Retry is back');
  });

  it('highlights code only once it is in view', async function () {
    await view.send(state(longConversation(30)));
    await view.frames(3);
    await idle();
    const inView = async () => view.page.$$eval('.code-block code', (nodes) => nodes.map((node) => {
      const box = node.getBoundingClientRect();
      const visible = box.bottom > 0 && box.top < innerHeight && box.height > 0;
      return { visible, waiting: node.hasAttribute('aria-busy'), colours: node.querySelector('[class^="hljs-"]') !== null };
    }));
    const opened = await inView();
    // Only the built turns have code blocks at all (30 turns of 10–20 KB would have about a hundred).
    assert.ok(opened.length > 0 && opened.length < 30, `code blocks built: ${opened.length}`);
    const visible = opened.filter((block) => block.visible);
    const hidden = opened.filter((block) => !block.visible);
    assert.ok(hidden.length > 0, 'the last answer has code above the view');
    for (const block of visible) assert.ok(block.colours, 'code in view is highlighted');
    for (const block of hidden) assert.ok(block.waiting && !block.colours, 'code out of view is not highlighted');
    // Scrolled into view, a waiting block gets its colours.
    await view.page.$eval('.code-block code[aria-busy]', (element) => element.scrollIntoView({ block: 'center' }));
    await view.page.waitForFunction(() => {
      const code = [...document.querySelectorAll('.code-block code')].find((node) => {
        const box = node.getBoundingClientRect();
        return box.bottom > 0 && box.top < innerHeight && box.height > 0;
      });
      return code?.querySelector('[class^="hljs-"]') !== null && code?.hasAttribute('aria-busy') === false;
    });
  });

  it('grows the input with its lines by CSS, without setting its size from script', async function () {
    const input = view.page.locator('.composer-input');
    const height = () => input.evaluate((element) => element.getBoundingClientRect().height);
    await input.click();
    const one = await height();
    await view.page.keyboard.type('first line');
    for (const line of ['second', 'third', 'fourth']) {
      await view.page.keyboard.press('Shift+Enter');
      await view.page.keyboard.type(line);
    }
    await view.frames(2);
    const four = await height();
    assert.ok(four > one * 2, `four lines are taller than one (${one} → ${four})`);
    assert.equal(await input.getAttribute('style'), null, 'no size written by script');
    for (let line = 0; line < 60; line += 1) await view.page.keyboard.press('Shift+Enter');
    await view.frames(2);
    assert.ok((await height()) <= 900 * 0.4 + 1, 'stops growing at 40% of the panel, then scrolls');
    await view.page.keyboard.press('Control+A');
    await view.page.keyboard.press('Backspace');
    await view.frames(2);
    assert.equal(await height(), one, 'shrinks back when emptied');
  });

  it('screenshots of 300 turns: top, middle, bottom', async function () {
    await view.send(state(longConversation(300)));
    await view.frames(3);
    await view.page.evaluate(() => document.fonts.ready);
    const shots: Record<string, number> = {};
    const full = (await geometry()).scrollHeight;
    for (const [name, top] of [['bottom', full], ['middle', Math.round(full / 2)], ['top', 0]] as const) {
      await scrollTo(top);
      if (name === 'middle') {
        // With the boundary between two turns in view: the end of one answer, the next question.
        await view.page.$eval('[data-slot="h151"]', (element) => element.scrollIntoView({ block: 'start' }));
        await view.frames(4);
        await view.page.$eval('.conversation', (element) => { element.scrollTop -= 350; });
        await view.frames(4);
      }
      await idle();
      await view.frames(3);
      const at = await geometry();
      shots[name] = at.scrollTop;
      // What is in view is real content, never an empty slot.
      const emptyInView = await view.page.$$eval('.turn-placeholder', (nodes) => nodes.filter((node) => {
        const box = node.getBoundingClientRect();
        return box.bottom > 0 && box.top < innerHeight;
      }).length);
      assert.equal(emptyInView, 0, `no empty slot in view at the ${name}`);
      await view.page.screenshot({ path: join(outDir, `long-conversation-300-${name}.png`) });
    }
    assert.equal(shots.top, 0);
    assert.ok((shots.middle ?? 0) > 0 && (shots.middle ?? 0) < (shots.bottom ?? 0));
  });
});

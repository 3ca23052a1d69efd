// Streaming in real Chromium: many small appends render exactly the final answer, the same DOM as the whole
// answer rendered at once, and at most one DOM update per animation frame.
import assert from 'node:assert/strict';
import { chunk, richAnswerEn, richAnswerFa, state, turn } from './fixtures';
import { useWebviewPage, type WebviewPage } from './harness';

const sentencesEn = [
  'The core answers in pieces, and each piece is appended to the end of the answer',
  'Nothing is parsed twice once a paragraph is finished, 42 times faster than before',
  'Questions about tokens, proxies and certificates come first in every support queue',
];
const sentencesFa = [
  'هسته پاسخ را تکه‌تکه می‌فرستد و هر تکه به پایان پاسخ افزوده می‌شود',
  'React یک کتابخانه است و این جمله با آن آغاز می‌شود اما فارسی است',
  'پس از پایان یک بند، آن بند دیگر هرگز دوباره تجزیه نمی‌شود',
];

function plainAnswer(paragraphs: number): string {
  const out: string[] = [];
  for (let index = 0; index < paragraphs; index += 1) {
    const source = index % 2 === 0 ? sentencesEn : sentencesFa;
    const sentences = [0, 1, 2].map((offset) => `${source[(index + offset) % source.length]} (${index}.${offset})`);
    out.push(sentences.join('. ') + '.');
  }
  return out.join('\n\n');
}

describe('streaming (Chromium)', function () {
  let view: WebviewPage;
  useWebviewPage((opened) => {
    view = opened;
  });

  it('renders exactly the final text after 2,000 streamed chunks', async function () {
    const answer = plainAnswer(180);
    const pieces = chunk(answer, 2000, 7);
    assert.equal(pieces.length, 2000);
    await view.send(state([]), { type: 'turnStarted', turn: turn('t1', 'Explain streaming') }, { type: 'answerStarted', turnId: 't1', mode: 'stream' });
    await view.page.evaluate((pieces) => {
      for (const text of pieces) window.postMessage({ type: 'append', turnId: 't1', text }, '*');
    }, pieces);
    await view.send({ type: 'turnEnded', turnId: 't1', status: 'done' });
    await view.page.waitForSelector('article.turn-done');
    const paragraphs = await view.page.$$eval('article[data-turn-id="t1"] .markdown p', (nodes) => nodes.map((node) => node.textContent ?? ''));
    assert.equal(paragraphs.length, 180);
    assert.equal(paragraphs.join('\n\n'), answer);
  });

  it('follows the growing answer to the bottom, and leaves the reader alone once they scroll up', async function () {
    const pieces = chunk(plainAnswer(120), 600, 3);
    const appendAll = (batch: string[]) =>
      view.page.evaluate((batch) => {
        for (const text of batch) window.postMessage({ type: 'append', turnId: 't1', text }, '*');
      }, batch);
    const scroll = () =>
      view.page.$eval('main.conversation', (element) => ({ top: element.scrollTop, height: element.scrollHeight, client: element.clientHeight }));
    const atBottom = async () => {
      const { top, height, client } = await scroll();
      return height - top - client < 2;
    };
    await view.send(state([]), { type: 'turnStarted', turn: turn('t1', 'A long answer') });
    await appendAll(pieces.slice(0, 300));
    await view.page.waitForFunction(() => {
      const element = document.querySelector('main.conversation');
      return element !== null && element.scrollHeight > element.clientHeight * 3;
    });
    await view.page.waitForTimeout(100);
    assert.ok(await atBottom(), 'at the bottom while the answer grows');

    await view.page.$eval('main.conversation', (element) => element.scrollTo({ top: 100 }));
    await view.page.waitForTimeout(100);
    await appendAll(pieces.slice(300));
    await view.send({ type: 'turnEnded', turnId: 't1', status: 'done' });
    await view.page.waitForSelector('article.turn-done');
    await view.page.waitForTimeout(100);
    assert.equal((await scroll()).top, 100, 'the reader who scrolled up stays where they are');
  });

  it('builds the same DOM from 2,000 chunks of rich markdown as from the whole answer at once', async function () {
    const answer = [richAnswerEn, richAnswerFa, richAnswerEn, richAnswerFa, richAnswerEn].join('\n');
    const pieces = chunk(answer, 2000, 11);
    await view.send(state([]), { type: 'turnStarted', turn: turn('t1', 'streamed') });
    await view.page.evaluate((pieces) => {
      for (const text of pieces) window.postMessage({ type: 'append', turnId: 't1', text }, '*');
    }, pieces);
    await view.send({ type: 'turnEnded', turnId: 't1', status: 'done' });
    await view.send({ type: 'turnStarted', turn: turn('t2', 'whole') }, { type: 'append', turnId: 't2', text: answer },
      { type: 'turnEnded', turnId: 't2', status: 'done' });
    await view.highlighted();
    const [streamed, whole] = await view.page.$$eval('article .markdown', (nodes) => nodes.map((node) => node.innerHTML));
    assert.ok(whole && whole.includes('<table'), 'the reference rendering has the table');
    assert.ok(whole.includes('hljs-keyword'), 'finished code is highlighted');
    assert.equal(streamed, whole);
  });

  it('shows a caret only while the answer grows', async function () {
    await view.send(state([]), { type: 'turnStarted', turn: turn('t1', 'q') }, { type: 'append', turnId: 't1', text: 'Hello **wor' });
    assert.equal(await view.page.locator('article .markdown .caret').count(), 1);
    assert.equal(await view.page.locator('article .markdown p').textContent(), 'Hello **wor');
    await view.send({ type: 'append', turnId: 't1', text: 'ld**' }, { type: 'turnEnded', turnId: 't1', status: 'done' });
    assert.equal(await view.page.locator('article .caret').count(), 0);
    assert.equal(await view.page.locator('article .markdown p strong').textContent(), 'world');
  });

  it('highlights a code block once its fence closes, not while it grows', async function () {
    await view.send(state([]), { type: 'turnStarted', turn: turn('t1', 'q') },
      { type: 'append', turnId: 't1', text: 'Code:\n\n```typescript\nconst answer: number = 42;\nfunction ask() {' });
    const code = view.page.locator('article .code-block code');
    assert.equal(await code.locator('span[class^="hljs-"]').count(), 0, 'an open fence is plain text');
    assert.match(await code.innerText(), /const answer: number = 42;/);
    await view.send({ type: 'append', turnId: 't1', text: '}\n```\n\nAfter' });
    await view.highlighted();
    assert.ok(await code.locator('.hljs-keyword').count() >= 2, 'the closed fence is highlighted while the answer still streams');
    assert.equal(await code.innerText(), 'const answer: number = 42;\nfunction ask() {}');
    assert.equal(await view.page.locator('article .code-block .code-language').innerText(), 'typescript');
  });

  it('keeps the element of every block that finishes, across groups and sections of a long answer', async function () {
    // Each block streams at the end of the answer and is finished when the next one starts: building it again in
    // another place would cost a frame of layout per block and lose a selection the reader made in it. 150
    // paragraphs span 19 groups of 8 and two sections of 16 groups.
    await view.send(state([]), { type: 'turnStarted', turn: turn('t1', 'q') });
    const count = 150;
    for (let index = 0; index < count; index += 1) {
      await view.send({ type: 'append', turnId: 't1', text: `Paragraph ${index} is still grow` });
      await view.page.$eval('article .markdown .md-section:last-child .md-group:last-child p:last-child', (element, index) => {
        element.setAttribute('data-streamed-as', String(index));
      }, index);
      await view.send({ type: 'append', turnId: 't1', text: 'ing, and now complete.\n\n' });
    }
    await view.send({ type: 'turnEnded', turnId: 't1', status: 'done' });
    await view.page.waitForSelector('article.turn-done');
    const paragraphs = await view.page.$$eval('article .markdown p', (nodes) =>
      nodes.map((node) => ({ text: node.textContent, streamedAs: node.getAttribute('data-streamed-as') })));
    assert.equal(paragraphs.length, count);
    paragraphs.forEach((paragraph, index) => {
      assert.equal(paragraph.text, `Paragraph ${index} is still growing, and now complete.`);
      assert.equal(paragraph.streamedAs, String(index), `paragraph ${index} is the element it streamed in`);
    });
  });

  it('spaces a heading the same wherever the groups and sections of a long answer fall', async function () {
    // 300 blocks fill two sections of 16 groups of 8; a heading opens every 16th block, so some open a group
    // or a section. Only the answer's first block sits flush with its top.
    const blocks = Array.from({ length: 300 }, (_, index) => (index % 16 === 0 ? `## Heading ${index}` : `Paragraph ${index}.`));
    await view.send(state([]), { type: 'turnStarted', turn: turn('t1', 'q') }, { type: 'append', turnId: 't1', text: blocks.join('\n\n') },
      { type: 'turnEnded', turnId: 't1', status: 'done' });
    const margins = await view.page.$$eval('article .markdown h2', (nodes) => nodes.map((node) => getComputedStyle(node).marginBlockStart));
    assert.equal(await view.page.locator('article .markdown .md-section').count(), 3);
    assert.equal(margins.length, 19);
    assert.equal(margins[0], '0px');
    assert.deepEqual(new Set(margins.slice(1)), new Set(['14px']));
  });

  it('updates the DOM at most once per animation frame however fast chunks arrive', async function () {
    await view.send(state([]), { type: 'turnStarted', turn: turn('t1', 'q') });
    const perFrame = await view.page.evaluate(async () => {
      const batches: number[] = [];
      let current = 0;
      const observer = new MutationObserver(() => { current += 1; });
      observer.observe(document.getElementById('root') as HTMLElement, { subtree: true, childList: true, characterData: true, attributes: true });
      let frames = 0;
      await new Promise<void>((resolve) => {
        const tick = () => {
          batches.push(current);
          current = 0;
          frames += 1;
          if (frames < 40) requestAnimationFrame(tick);
          else resolve();
        };
        requestAnimationFrame(tick);
        // 600 appends, 20 per millisecond-ish task burst, over several frames.
        let sent = 0;
        const burst = () => {
          for (let index = 0; index < 20 && sent < 600; index += 1, sent += 1) {
            window.postMessage({ type: 'append', turnId: 't1', text: `word${sent} ` }, '*');
          }
          if (sent < 600) setTimeout(burst, 1);
        };
        burst();
      });
      observer.disconnect();
      return batches;
    });
    const busyFrames = perFrame.filter((count) => count > 0).length;
    assert.ok(busyFrames > 0, 'the answer was rendered');
    assert.ok(Math.max(...perFrame) <= 1, `mutation batches per frame: ${perFrame.join(',')}`);
  });
});

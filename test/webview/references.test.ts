// A streamed answer renders the same DOM as the same answer rendered whole, also when its references are defined
// only at its end: the finished blocks that used them become links when the definitions arrive. In Chromium with
// the real bundle; the chunks reach the panel over many frames, so finished blocks really are kept in between.
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { state, turn } from './fixtures';
import { useWebviewPage, type WebviewPage } from './harness';
import { referenceAnswer } from './reference-answers';

/** The answer cut into pieces, and the pieces into batches that each arrive in their own frame. */
function batches(text: string): fc.Arbitrary<string[][]> {
  return fc.uniqueArray(fc.integer({ min: 1, max: Math.max(1, text.length - 1) }), { minLength: 1, maxLength: 40 })
    .chain((points) => fc.tuple(fc.constant(points), fc.array(fc.boolean(), { minLength: points.length + 1, maxLength: points.length + 1 })))
    .map(([points, breaks]) => {
      const sorted = [...new Set([...points.filter((point) => point < text.length), text.length])].sort((a, b) => a - b);
      const out: string[][] = [[]];
      let start = 0;
      sorted.forEach((point, index) => {
        (out.at(-1) as string[]).push(text.slice(start, point));
        start = point;
        if (breaks[index]) out.push([]);
      });
      return out.filter((batch) => batch.length > 0);
    });
}

describe('references defined later (Chromium)', function () {
  let view: WebviewPage;
  useWebviewPage((opened) => {
    view = opened;
  });

  it('a citation defined at the end of a streamed answer links the earlier blocks that used it', async function () {
    const answer = 'The core streams [1].\n\nIt falls back on a 404 [docs][2].\n\nMore text.\n\n[1]: https://example.com/one\n[2]: https://example.com/two "Docs"\n';
    await view.send(state([]), { type: 'turnStarted', turn: turn('t1', 'q') });
    for (const piece of answer.match(/[^]{1,12}/g) ?? []) await view.send({ type: 'append', turnId: 't1', text: piece });
    await view.send({ type: 'turnEnded', turnId: 't1', status: 'done' });
    const links = await view.page.$$eval('article .markdown a', (nodes) => nodes.map((node) => [node.textContent, node.getAttribute('href')]));
    assert.deepEqual(links, [['1', 'https://example.com/one'], ['docs', 'https://example.com/two']]);
  });

  it('streamed in random chunks over many frames, an answer with references equals the same answer rendered whole (fast-check)', async function () {
    this.timeout(300_000);
    await fc.assert(fc.asyncProperty(referenceAnswer.chain((text) => fc.tuple(fc.constant(text), batches(text))), async ([text, parts]) => {
      await view.send(state([turn('whole', 'q', { answer: text, status: 'done' })]), { type: 'turnStarted', turn: turn('streamed', 'q') });
      for (const batch of parts) {
        await view.page.evaluate((batch) => {
          for (const piece of batch) window.postMessage({ type: 'append', turnId: 'streamed', text: piece }, '*');
        }, batch);
        await view.frames(1);
      }
      await view.send({ type: 'turnEnded', turnId: 'streamed', status: 'done' });
      // Attributes in one order: an element Preact turned from a placeholder into a link has the same attributes
      // as one rendered whole, set in another order, and innerHTML keeps that order.
      const [whole, streamed] = await view.page.$$eval('article .markdown', (nodes) => nodes.map((node) => {
        const copy = node.cloneNode(true) as Element;
        for (const element of [copy, ...copy.querySelectorAll('*')]) {
          const attributes = [...element.attributes].map((attribute) => [attribute.name, attribute.value] as const);
          for (const [name] of attributes) element.removeAttribute(name);
          for (const [name, value] of attributes.sort(([a], [b]) => a.localeCompare(b))) element.setAttribute(name, value);
        }
        return copy.innerHTML;
      }));
      assert.ok(whole);
      assert.equal(streamed, whole);
    }), { numRuns: 40 });
  });
});

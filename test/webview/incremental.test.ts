// The incremental parser must agree with marked on the whole text at every step, however the text is cut into
// chunks, while lexing only a short tail.
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { marked, type Token } from 'marked';
import { IncrementalMarkdown, type MarkdownSnapshot } from '../../webview/markdown/incremental';
import { referenceAnswer } from './reference-answers';

const fragments = [
  'A paragraph with **bold** and `code`.', 'Second line of the same paragraph', 'React یک کتابخانه است.',
  '# Heading', 'Setext heading', '===', '---', '- item one', '- item two', '  continued item', '1. first', '2. second',
  '10) tenth', '* star', '- [ ] task', '- [x] done', '> quote', '> > nested quote', 'lazy continuation',
  '```js', '```', '~~~', 'const x = 1;', '    indented code', '| a | b |', '|---|:-:|', '| 1 | 2 |', 'a | b', '- | -',
  '<div>', '</div>', '<!-- comment', '-->', '<script>alert(1)</script>', '[ref]: https://example.com "T"', '[link][ref]',
  '![img](https://example.com/a.png)', '***', 'text  ', '\\', '&amp; &lt; &#1604;', '   ', '\t', '',
];

const documentArbitrary = fc.array(fc.constantFrom(...fragments), { minLength: 1, maxLength: 40 })
  .chain((lines) => fc.tuple(fc.constant(lines), fc.array(fc.constantFrom('\n', '\n\n', '\r\n', '\n\n\n'), { minLength: lines.length, maxLength: lines.length })))
  .map(([lines, breaks]) => lines.map((line, index) => line + (breaks[index] ?? '\n')).join(''));

function cuts(text: string): fc.Arbitrary<string[]> {
  return fc.uniqueArray(fc.integer({ min: 1, max: Math.max(1, text.length - 1) }), { maxLength: 30 }).map((points) => {
    const sorted = [...points].filter((point) => point < text.length).sort((a, b) => a - b);
    const pieces: string[] = [];
    let start = 0;
    for (const point of [...sorted, text.length]) {
      pieces.push(text.slice(start, point));
      start = point;
    }
    return pieces.filter((piece) => piece.length > 0);
  });
}

/** What a renderer sees: every non-space top-level token, as plain data. */
function visible(tokens: readonly Token[]): unknown[] {
  return JSON.parse(JSON.stringify(tokens.filter((token) => token.type !== 'space'))) as unknown[];
}

function snapshotTokens(snapshot: MarkdownSnapshot): Token[] {
  return [...snapshot.groups.flat(), ...snapshot.tail].map((block) => block.token);
}

describe('incremental markdown', function () {
  it('equals marked on the whole text at every step, for any document cut anywhere', function () {
    fc.assert(
      fc.property(documentArbitrary.chain((text) => fc.tuple(fc.constant(text), cuts(text))), ([text, pieces]) => {
        const markdown = new IncrementalMarkdown();
        let sofar = '';
        for (const piece of pieces) {
          markdown.append(piece);
          sofar += piece;
          // A chunk that ends in \r is held back until the next one says whether \r\n follows.
          if (sofar.endsWith('\r')) continue;
          assert.deepEqual(visible(snapshotTokens(markdown.snapshot())), visible(marked.lexer(sofar)));
        }
        markdown.finish();
        assert.deepEqual(visible(snapshotTokens(markdown.snapshot())), visible(marked.lexer(text)));
      }),
      { numRuns: 400, seed: 20261128 },
    );
  });

  it('turns earlier references into links when their definitions arrive later, at every step (references, citations)', function () {
    fc.assert(
      fc.property(referenceAnswer.chain((text) => fc.tuple(fc.constant(text), cuts(text))), ([text, pieces]) => {
        const markdown = new IncrementalMarkdown();
        let sofar = '';
        for (const piece of pieces) {
          markdown.append(piece);
          sofar += piece;
          assert.deepEqual(visible(snapshotTokens(markdown.snapshot())), visible(marked.lexer(sofar)));
        }
        markdown.finish();
        assert.deepEqual(visible(snapshotTokens(markdown.snapshot())), visible(marked.lexer(text)));
      }),
      { numRuns: 200, seed: 20261202 },
    );
  });

  it('lexes again only the finished blocks that use a newly defined label, and replaces only their groups', function () {
    const paragraphs = Array.from({ length: 20 }, (_, index) => (index === 3 ? 'Cited [1] here.' : `Paragraph ${index}.`));
    const markdown = new IncrementalMarkdown(`${paragraphs.join('\n\n')}\n\n`);
    const before = markdown.snapshot();
    assert.equal(before.groups.flat().length, 19, 'the last paragraph could still continue');
    markdown.append('[1]: https://example.com/one\n');
    markdown.finish();
    const after = markdown.snapshot();
    assert.notEqual(after.groups[0], before.groups[0], 'the group of the citing block is new');
    assert.equal(after.groups[1], before.groups[1], 'a group without it is the same object');
    assert.equal(after.groups[0]?.[3]?.key, before.groups[0]?.[3]?.key, 'the block keeps its key');
    for (const index of [0, 1, 2, 4, 5, 6, 7]) assert.equal(after.groups[0]?.[index], before.groups[0]?.[index]);
    assert.match(JSON.stringify(after.groups[0]?.[3]?.token), /"type":"link","raw":"\[1\]","href":"https:\/\/example\.com\/one"/);
  });

  it('keeps finished blocks: same objects, same keys, while the tail grows', function () {
    const markdown = new IncrementalMarkdown('# Title\n\nFirst paragraph.\n\n');
    markdown.append('Second');
    const before = markdown.snapshot();
    markdown.append(' paragraph grows\n\nThird');
    // "Second …" is finished only once the next block's first line is complete: until then it could continue it.
    assert.equal(markdown.snapshot().tail.length, 2);
    markdown.append(' line\n');
    const after = markdown.snapshot();
    assert.equal(before.groups[0]?.[0], after.groups[0]?.[0], 'a finished block is never lexed again');
    assert.equal(after.tail.length, 1);
    assert.equal((after.tail[0]?.token as { text?: string }).text, 'Third line');
    const secondKey = after.groups[0]?.find((block) => block.token.raw.startsWith('Second'))?.key;
    const secondKeyBefore = before.tail.find((block) => block.token.raw.startsWith('Second'))?.key;
    assert.ok(secondKey !== undefined);
    assert.equal(secondKey, secondKeyBefore, 'a block keeps its key when it is finished');
  });

  it('lexes only a short tail however long the answer grows', function () {
    const markdown = new IncrementalMarkdown();
    let longestTail = 0;
    for (let index = 0; index < 2000; index += 1) {
      markdown.append(`Paragraph ${index} has a few words in it and then ends.`);
      markdown.append(index % 7 === 0 ? '\n\n```ts\nconst x = 1;\n```\n\n' : '\n\n');
      markdown.snapshot();
      longestTail = Math.max(longestTail, markdown.tailLength);
    }
    assert.ok(longestTail < 200, `longest tail ${longestTail} characters`);
    assert.ok(markdown.stableBlocks > 2200);
  });

  it('resolves references defined in finished blocks', function () {
    const markdown = new IncrementalMarkdown('[docs]: https://example.com/docs\n\nSome text.\n\nSee [the docs][docs]');
    const tail = markdown.snapshot().tail;
    const link = JSON.stringify(tail);
    assert.match(link, /"href":"https:\/\/example\.com\/docs"/);
  });

  it('is not fooled by a chunk that ends between \\r and \\n', function () {
    const markdown = new IncrementalMarkdown('line one\r');
    markdown.append('\nline two\r');
    markdown.append('\r\nnext');
    markdown.finish();
    assert.deepEqual(visible(snapshotTokens(markdown.snapshot())), visible(marked.lexer('line one\nline two\n\nnext')));
  });
});

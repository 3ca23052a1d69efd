// Pure (no browser): it lives with the webview tests because it runs the webview's own markdown code.
// The citation marker rules on their own: which bracketed numbers are citations of which source, and how often
// an answer cites each source (what the sources list shows), with the same walk the panel draws chips with.
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { Lexer } from 'marked';
import { countBlock, formatCitationNumber, splitCitations, type CitationPiece } from '../../webview/markdown/citations';
import { decodeEntities } from '../../webview/markdown/entities';

function markers(pieces: readonly CitationPiece[]): string[] {
  return pieces.flatMap((piece) => (typeof piece === 'string' ? [] : [piece.refs.map((ref) => `${ref.number}${ref.script[0]}`).join('+')]));
}

function counts(markdown: string, sourceCount: number): number[] {
  const result: number[] = [];
  for (const token of new Lexer({ gfm: true }).lex(markdown)) countBlock(token, sourceCount, result, decodeEntities);
  return Array.from({ length: sourceCount }, (_, index) => result[index] ?? 0);
}

describe('citation markers', function () {
  it('reads every form: [1], [1, 2], [1][3], [^2], Persian and Arabic-Indic digits, Arabic comma', function () {
    const pieces = splitCitations('a [1] b [1, 2] c[1][3] d[^2] e [۲] f [۱، ۳] g [٣] h [ 1 ]', 3);
    assert.deepEqual(markers(pieces), ['1l', '1l+2l', '1l', '3l', '2l', '2p', '1p+3p', '3a']);
    assert.equal(pieces.at(-1), ' h [ 1 ]');
  });

  it('leaves a marker as text when any number in it names no source, or there are no sources', function () {
    assert.deepEqual(splitCitations('see [4] and [1, 9] and [0] and [2024]', 3), ['see [4] and [1, 9] and [0] and [2024]']);
    assert.deepEqual(splitCitations('see [1]', 0), ['see [1]']);
    assert.deepEqual(markers(splitCitations('[3] but not [4]', 3)), ['3l']);
  });

  it('writes a number in the digits the answer used', function () {
    assert.equal(formatCitationNumber({ number: 12, script: 'persian' }), '۱۲');
    assert.equal(formatCitationNumber({ number: 3, script: 'arabic' }), '٣');
    assert.equal(formatCitationNumber({ number: 7, script: 'latin' }), '7');
  });

  it('splitting never loses or changes text (fast-check)', function () {
    const piece = fc.constantFrom('[1]', '[2, 3]', '[^1]', '[۱]', '[١، ٢]', '[9]', '[', ']', ' ', 'text', '`', ',', '٬', '^');
    fc.assert(fc.property(fc.array(piece, { maxLength: 30 }).map((parts) => parts.join('')), fc.integer({ min: 0, max: 4 }), (text, sourceCount) => {
      const joined = splitCitations(text, sourceCount).map((part) => (typeof part === 'string' ? part : part.raw)).join('');
      assert.equal(joined, text);
    }));
  });

  it('counts citations per source as drawn: not in code, links or reference links, in lists, quotes and tables', function () {
    const answer = [
      'Intro [1] and `[2]` in code.',
      '',
      '```',
      '[1] in a block',
      '```',
      '',
      '- item [2]',
      '- item [1, 2]',
      '',
      '> quoted [3]',
      '',
      '| a | b |',
      '|---|---|',
      '| [1] | [link [2]](https://example.com) |',
      '',
      'See [docs][3] and **bold [3]**.',
      '',
      '[3]: https://example.com/three',
    ].join('\n');
    // [docs][3] and the bare [3] in the quote are reference links (a definition exists): not citations.
    assert.deepEqual(counts(answer, 3), [3, 2, 0]);
    assert.deepEqual(counts('No sources to cite [1].', 0), []);
  });
});

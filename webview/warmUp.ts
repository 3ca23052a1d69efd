// Work the first answer would otherwise pay inside its animation frames, done while the panel is idle (idle.ts:
// one piece per idle callback, so none of them is a long task either).
import { whenIdle } from './idle';
import { highlighterWarmUps } from './markdown/highlight';
import { IncrementalMarkdown } from './markdown/incremental';

/** Touches every block and inline rule of the lexer once, so its regular expressions are compiled and its code hot. */
const sampleMarkdown = [
  '# Title', 'Setext', '===', '> quote with **strong**, _em_, ~~del~~, `code` and [a link](https://example.com "t")',
  '1. one\n2. two\n   - [x] done\n   - [ ] todo', '| a | b |\n|:--|--:|\n| `c` | d |', '```ts\nconst x = 1;\n```',
  '    indented code', '<div>html</div>', '---', 'text with &amp; entity, <https://example.com> and a hard  \nbreak',
  '[ref]: https://example.com', 'پاراگراف فارسی با **تأکید**',
].join('\n\n');

function lexSample(): void {
  const markdown = new IncrementalMarkdown();
  // Appended in pieces, as a stream arrives, so the incremental path is the one warmed.
  for (let start = 0; start < sampleMarkdown.length; start += 40) {
    markdown.append(sampleMarkdown.slice(start, start + 40));
    markdown.snapshot();
  }
  markdown.finish();
  markdown.snapshot();
}

/**
 * The Persian font loads only when Persian text first appears (its unicode-range), and every line laid out before
 * it arrived is laid out again: a long task in the middle of the first Persian answer.
 */
function loadPersianFont(): void {
  void document.fonts.load('1em Vazirmatn', '\u0627').catch(() => undefined);
}

export function warmUpWhileIdle(): void {
  for (const task of [loadPersianFont, lexSample, ...highlighterWarmUps()]) whenIdle(task);
}

// Incremental markdown for a streamed answer.
//
// Other chat panels re-parse the whole answer on every chunk, so a long answer freezes them. Here the answer is
// split into finished top-level blocks, lexed once and kept, and the unfinished tail, the only part lexed again
// when text arrives. Lexing is lazy: `append` only stores text; `snapshot` lexes the tail at most once per call,
// so the panel lexes once per animation frame however many chunks arrived in it.
import { Lexer, type Links, type MarkedOptions, type Token, type Tokens } from 'marked';

/** A top-level block. `key` stays the same while the block grows and after it is finished. */
export interface Block {
  readonly key: number;
  readonly token: Token;
}

export interface MarkdownSnapshot {
  /** Finished blocks in groups of at most `groupSize`; a full group is never replaced, so it can be memoized. */
  readonly groups: readonly (readonly Block[])[];
  /** Blocks still growing (usually one). New objects on each snapshot after new text. */
  readonly tail: readonly Block[];
  /** True once `finish` was called: nothing will be appended, an open code fence is as closed as it gets. */
  readonly finished: boolean;
  /** Changes whenever the snapshot does. */
  readonly revision: number;
}


const options: MarkedOptions = { gfm: true, breaks: false, pedantic: false };
/** Finished blocks per group (see MarkdownSnapshot.groups). */
export const groupSize = 8;
// A finished block must be followed by a blank line and then a complete line of the next block: before that line
// is complete it may still turn out to continue the block (`1. a` ⏎⏎ `2` becomes `2. b`, the same list).
const endsWithBlankLine = /\n[ \t]*\n$/;
const completeLine = /\S[^\n]*\n/;

export class IncrementalMarkdown {
  private tailText = '';
  /** A chunk ended in `\r`; the next one decides whether it was `\r\n`. */
  private pendingCarriageReturn = false;
  private readonly links: Links = Object.create(null) as Links;
  private groups: (readonly Block[])[] = [];
  private stableCount = 0;
  private nextKey = 0;
  private tail: Block[] = [];
  private dirty = false;
  private done = false;
  private revision = 0;
  private cached: MarkdownSnapshot | undefined;

  constructor(text = '') {
    if (text) this.append(text);
  }

  append(text: string): void {
    if (this.done || text.length === 0) return;
    // marked turns \r\n and \r into \n before lexing; doing it here keeps raw lengths equal to text lengths.
    let piece = this.pendingCarriageReturn ? `\r${text}` : text;
    this.pendingCarriageReturn = piece.endsWith('\r');
    if (this.pendingCarriageReturn) piece = piece.slice(0, -1);
    this.tailText += piece.replace(/\r\n?/g, '\n');
    this.dirty = true;
  }

  /** No more text will come. */
  finish(): void {
    if (this.done) return;
    if (this.pendingCarriageReturn) this.tailText += '\n';
    this.pendingCarriageReturn = false;
    this.done = true;
    this.dirty = true;
  }

  get finished(): boolean {
    return this.done;
  }

  /** Number of characters lexed again on the next snapshot: a measure of how incremental this is. */
  get tailLength(): number {
    return this.tailText.length;
  }

  snapshot(): MarkdownSnapshot {
    if (this.dirty || !this.cached) {
      this.dirty = false;
      this.lexTail();
      this.revision += 1;
      this.cached = { groups: this.groups, tail: this.tail, finished: this.done, revision: this.revision };
    }
    return this.cached;
  }

  private lexTail(): void {
    const lexer = new Lexer(options);
    // References defined in finished blocks still resolve in the tail.
    Object.assign(lexer.tokens.links, this.links);
    const tokens = lexer.lex(this.tailText);
    const finishedUpTo = this.done ? tokens.length : this.finishedPrefix(tokens);
    let consumed = 0;
    const tail: Block[] = [];
    tokens.forEach((token, index) => {
      const key = this.nextKey + index;
      if (index < finishedUpTo) {
        consumed += token.raw.length;
        if (token.type === 'def') {
          const def = token as Tokens.Def;
          this.links[def.tag] ??= { href: def.href, title: def.title };
        }
        if (token.type !== 'space') this.addStable({ key, token });
      } else if (token.type !== 'space') {
        tail.push({ key, token });
      }
    });
    // Keys count every token, spaces included, so a tail block keeps its key once it is finished.
    this.nextKey += finishedUpTo;
    this.tailText = this.tailText.slice(consumed);
    this.tail = tail;
  }

  /** How many leading tokens are finished for good (see `endsWithBlankLine`). */
  private finishedPrefix(tokens: readonly Token[]): number {
    let offset = 0;
    let finished = 0;
    let total = 0;
    for (const token of tokens) total += token.raw.length;
    // If marked ever stops covering the text exactly, finish nothing: slower, never wrong.
    if (total !== this.tailText.length) return 0;
    for (let index = 0; index < tokens.length - 1; index += 1) {
      offset += (tokens[index] as Token).raw.length;
      const before = this.tailText.slice(Math.max(0, offset - 64), offset);
      if (!endsWithBlankLine.test(before)) continue;
      if (!completeLine.test(this.tailText.slice(offset))) break;
      finished = index + 1;
    }
    return finished;
  }

  private addStable(block: Block): void {
    const last = this.groups.at(-1);
    // The last group is replaced (not mutated) so that memoized views of it notice the change.
    if (last && last.length < groupSize) this.groups = [...this.groups.slice(0, -1), [...last, block]];
    else this.groups = [...this.groups, [block]];
    this.stableCount += 1;
  }

  get stableBlocks(): number {
    return this.stableCount;
  }
}

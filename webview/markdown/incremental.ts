// Incremental markdown for a streamed answer.
//
// Other chat panels re-parse the whole answer on every chunk, so a long answer freezes them. Here the answer is
// split into finished top-level blocks, lexed once and kept, and the unfinished tail, the only part lexed again
// when text arrives. Lexing is lazy: `append` only stores text; `snapshot` lexes the tail at most once per call,
// so the panel lexes once per animation frame however many chunks arrived in it.
//
// One thing a finished block cannot know when it is lexed: a reference (`[1]`, `[text][docs]`, `[^1]`) whose
// definition comes later, typically at the end of the answer. Such a block remembers the labels it uses that were
// not yet defined for good, and is lexed again, alone, whenever the definition those labels resolve to changes, so
// the streamed answer always equals the same text lexed whole.
import { Lexer, type Links, type MarkedOptions, type Token, type Tokens } from 'marked';

/** A top-level block. `key` stays the same while the block grows and after it is finished. */
export interface Block {
  readonly key: number;
  readonly token: Token;
}

export interface MarkdownSnapshot {
  /**
   * Finished blocks in groups of at most `groupSize`. A full group is replaced only when a reference in it gets
   * (or changes) its definition, so it can be memoized.
   */
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

/** A reference label as marked compares them (its own normalization, not exported). */
function normalizeLabel(label: string): string {
  return label.trim().replace(/\s+/g, ' ').toLowerCase().toUpperCase().toLowerCase();
}

/** Every bracketed text in `raw`, nested ones too: each could be a reference label. */
function bracketLabels(raw: string): string[] {
  if (!raw.includes('[')) return [];
  const labels = new Set<string>();
  const open: number[] = [];
  for (let index = 0; index < raw.length; index += 1) {
    const char = raw[index];
    if (char === '\\') index += 1;
    else if (char === '[') open.push(index);
    else if (char === ']' && open.length > 0) {
      const label = normalizeLabel(raw.slice((open.pop() as number) + 1, index));
      if (label) labels.add(label);
    }
  }
  return [...labels];
}

/** What a set of labels resolves to under `links`: equal strings, equal links. */
function resolution(labels: readonly string[], links: Links): string {
  return labels.map((label) => {
    const link = links[label];
    return link ? `${link.href}\u0000${link.title ?? ''}` : '\u0001';
  }).join('\u0002');
}

/** A finished block that uses labels not yet defined for good. */
interface PendingReferences {
  /** Its place among the finished blocks (group = position / groupSize). */
  readonly position: number;
  readonly labels: readonly string[];
  /** `resolution` of its labels when it was last lexed. */
  lexedWith: string;
}

export class IncrementalMarkdown {
  private tailText = '';
  /** A chunk ended in `\r`; the next one decides whether it was `\r\n`. */
  private pendingCarriageReturn = false;
  private readonly links: Links = Object.create(null) as Links;
  private groups: (readonly Block[])[] = [];
  private stableCount = 0;
  private nextKey = 0;
  private tail: Block[] = [];
  private pending: PendingReferences[] = [];
  /** Labels defined for good by the last lexing, and those defined only in its tail: what may have changed. */
  private newlyDefined: string[] = [];
  private tailDefined: string[] = [];
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
    // Every definition so far, the tail's included (marked keeps the first of each label): what the whole text
    // lexed now would resolve references with.
    const links = lexer.tokens.links;
    const finishedUpTo = this.done ? tokens.length : this.finishedPrefix(tokens);
    let consumed = 0;
    const tail: Block[] = [];
    const earlierPending = this.pending;
    this.pending = [];
    tokens.forEach((token, index) => {
      const key = this.nextKey + index;
      if (index < finishedUpTo) {
        consumed += token.raw.length;
        this.collectDefinitions(token);
        if (token.type !== 'space') this.addStable({ key, token }, links);
      } else if (token.type !== 'space') {
        tail.push({ key, token });
      }
    });
    // Keys count every token, spaces included, so a tail block keeps its key once it is finished.
    this.nextKey += finishedUpTo;
    this.tailText = this.tailText.slice(consumed);
    this.tail = tail;
    // Only labels defined since, or defined in the tail now or before, can resolve differently than when the
    // waiting blocks were lexed: usually there are none, and nothing is looked at.
    const tailDefined = Object.keys(links).filter((tag) => !(tag in this.links));
    const watched = new Set([...this.newlyDefined, ...tailDefined, ...this.tailDefined]);
    this.newlyDefined = [];
    this.tailDefined = tailDefined;
    const still = this.updateReferences(earlierPending, links, watched);
    for (const entry of this.pending) still.push(entry);
    this.pending = still;
  }

  /** Definitions of a finished block, nested ones (in a quote, a list) too: marked makes them all global. */
  private collectDefinitions(token: Token): void {
    if (token.type === 'def') {
      const def = token as Tokens.Def;
      if (!(def.tag in this.links)) {
        this.links[def.tag] = { href: def.href, title: def.title };
        this.newlyDefined.push(def.tag);
      }
    } else if (token.type === 'blockquote' || token.type === 'list_item') {
      for (const child of (token as Tokens.Blockquote | Tokens.ListItem).tokens) this.collectDefinitions(child);
    } else if (token.type === 'list') {
      for (const item of (token as Tokens.List).items) this.collectDefinitions(item);
    }
  }

  /**
   * Lexes again the earlier finished blocks whose labels now resolve differently (a definition arrived, or one
   * still growing in the tail changed), and keeps watching those with labels not yet defined for good.
   */
  private updateReferences(pending: PendingReferences[], links: Links, watched: ReadonlySet<string>): PendingReferences[] {
    if (watched.size === 0) return pending;
    const changed = new Map<number, (readonly Block[])>();
    const still: PendingReferences[] = [];
    for (const entry of pending) {
      if (!entry.labels.some((label) => watched.has(label))) {
        still.push(entry);
        continue;
      }
      const now = resolution(entry.labels, links);
      if (now !== entry.lexedWith) {
        const groupIndex = Math.floor(entry.position / groupSize);
        const group = [...(changed.get(groupIndex) ?? this.groups[groupIndex] ?? [])];
        const block = group[entry.position % groupSize];
        if (block) group[entry.position % groupSize] = { key: block.key, token: this.lexAlone(block.token, links) };
        changed.set(groupIndex, group);
        entry.lexedWith = now;
      }
      if (entry.labels.some((label) => !(label in this.links))) still.push(entry);
    }
    // Only the groups holding a block lexed again are replaced: the others stay memoized.
    if (changed.size > 0) this.groups = this.groups.map((group, index) => changed.get(index) ?? group);
    return still;
  }

  /** A finished block lexed again on its own with `links`; the old token if that does not give one block. */
  private lexAlone(token: Token, links: Links): Token {
    const lexer = new Lexer(options);
    Object.assign(lexer.tokens.links, links);
    const tokens = lexer.lex(token.raw).filter((candidate) => candidate.type !== 'space');
    return tokens.length === 1 && tokens[0]?.type === token.type ? tokens[0] : token;
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

  private addStable(block: Block, links: Links): void {
    if (block.token.type !== 'code' && block.token.type !== 'def') {
      const labels = bracketLabels(block.token.raw).filter((label) => !(label in this.links));
      if (labels.length > 0) this.pending.push({ position: this.stableCount, labels, lexedWith: resolution(labels, links) });
    }
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

// Search over every stored conversation of the workspace, questions and answers.
//
// Why a scan and not a word index (minisearch): Persian is searched by parts of words ("کتاب" must find
// "کتابخانه‌ها"), code and identifiers by any substring, and a word index of 50 MB of history costs more memory and
// build time than the text itself. A scan of folded text with `indexOf` is exact for any substring and fast enough
// (see the search bench), as long as it never holds the extension host for long: the folded text is built once, in
// slices, off the hot path (after the history is read, or at the first search), refreshed for a conversation only
// when its summary says it changed, and every search runs in slices of a few milliseconds that yield to the event
// loop, and stops as soon as a newer query replaces it.
//
// No `vscode` import: the index runs unchanged in plain Node tests and the bench.
import type { Conversation, ConversationSummary } from '../chat/conversationStore';
import type { SearchHitView } from '../shared/messages';
import { normalize, normalizeWithMap, queryTerms } from '../shared/normalize';

/** The part of ConversationStore the index reads. */
export interface SearchSource {
  ready(): Promise<void>;
  list(): ConversationSummary[];
  /** A stored conversation, from memory when it is open, else from its file. */
  read(id: string): Promise<Conversation | undefined>;
}

export type SearchField = SearchHitView['field'];

/** A turn found: the shape the panel receives. */
export type SearchHit = SearchHitView;

export interface SearchResult {
  query: string;
  hits: SearchHit[];
  /** More turns match than `hits` holds. */
  more: boolean;
}

export interface SearchOptions {
  /** Longest stretch of synchronous work before yielding to the event loop. */
  sliceMs?: number;
  maxHits?: number;
  /** Characters of context before the match in a snippet; the snippet is about 3× as long. */
  context?: number;
  /**
   * A CPU-time clock in ms, for the bench: on a busy machine a slice's wall time includes waiting for a core, which
   * is not work of ours holding the loop.
   */
  cpuClock?: () => number;
}

interface IndexedTurn {
  id: string;
  question: string;
  answer: string;
  /** Folded; the same string as the original when folding changes nothing. */
  q: string;
  a: string;
}

interface IndexedConversation {
  id: string;
  title: string;
  updatedAt: number;
  /** What the summary said when this was built: a different one means the conversation changed. */
  key: string;
  turns: IndexedTurn[];
}

export class Cancelled extends Error {
  constructor() {
    super('the search was replaced by a newer one');
  }
}

const yieldToLoop: () => Promise<void> =
  typeof setImmediate === 'function' ? () => new Promise((resolve) => setImmediate(resolve)) : () => new Promise((resolve) => setTimeout(resolve, 0));

function keyOf(summary: ConversationSummary): string {
  return `${summary.updatedAt}:${summary.bytes}:${summary.turns}`;
}

function fold(text: string): string {
  const folded = normalize(text);
  // Keeps one string in memory, not two equal ones.
  return folded === text ? text : folded;
}

export class SearchIndex {
  private readonly conversations = new Map<string, IndexedConversation>();
  private readonly sliceMs: number;
  private readonly maxHits: number;
  private readonly context: number;
  private warming: Promise<void> | undefined;
  /** Each search gets a number; an older one stops at its next slice. */
  private generation = 0;
  /** Longest synchronous stretch seen, in ms of wall time; for the bench and the log. */
  longestSliceMs = 0;
  /** The same in CPU time, when a `cpuClock` is given. */
  longestSliceCpuMs = 0;
  private readonly cpuClock: (() => number) | undefined;
  private sliceCpuStart = 0;

  constructor(private readonly source: SearchSource, options: SearchOptions = {}) {
    this.sliceMs = options.sliceMs ?? 8;
    this.maxHits = options.maxHits ?? 100;
    this.context = options.context ?? 40;
    this.cpuClock = options.cpuClock;
  }

  /** Builds the folded text of every conversation in the background; searches wait for nothing it has not done. */
  warm(): Promise<void> {
    this.warming ??= this.refresh(undefined).finally(() => {
      this.warming = undefined;
    });
    return this.warming;
  }

  /** Drops a conversation (deleted), or all. */
  forget(id?: string): void {
    if (id === undefined) this.conversations.clear();
    else this.conversations.delete(id);
  }

  /** Turns whose question or answer holds every word of the query; newest conversation first, turns in order. */
  async search(query: string): Promise<SearchResult> {
    const generation = ++this.generation;
    const terms = queryTerms(query);
    if (terms.length === 0) return { query, hits: [], more: false };
    await this.refresh(generation);
    const hits: SearchHit[] = [];
    let started = this.sliceStart();
    // The longest word first: the rarer it is, the sooner a turn without it is passed over.
    const ordered = [...terms].sort((a, b) => b.length - a.length);
    for (const summary of this.source.list()) {
      const conversation = this.conversations.get(summary.id);
      if (!conversation) continue;
      for (let position = 0; position < conversation.turns.length; position++) {
        const turn = conversation.turns[position] as IndexedTurn;
        if (!ordered.every((term) => turn.q.includes(term) || turn.a.includes(term))) continue;
        if (hits.length === this.maxHits) {
          this.noteSlice(started);
          return { query, hits, more: true };
        }
        hits.push(this.hit(conversation, turn, position, ordered));
        started = await this.yieldIfSliceOver(started, generation);
      }
      started = await this.yieldIfSliceOver(started, generation);
    }
    this.noteSlice(started);
    return { query, hits, more: false };
  }

  private sliceStart(): number {
    if (this.cpuClock) this.sliceCpuStart = this.cpuClock();
    return performance.now();
  }

  private noteSlice(started: number, now = performance.now()): void {
    this.longestSliceMs = Math.max(this.longestSliceMs, now - started);
    if (this.cpuClock) this.longestSliceCpuMs = Math.max(this.longestSliceCpuMs, this.cpuClock() - this.sliceCpuStart);
  }

  /** Gives the event loop a turn once the slice that began at `started` is over; returns when the current one began. */
  private async yieldIfSliceOver(started: number, generation: number | undefined): Promise<number> {
    const now = performance.now();
    if (now - started <= this.sliceMs) return started;
    this.noteSlice(started, now);
    await this.pause(generation);
    return this.sliceStart();
  }

  private async pause(generation: number | undefined): Promise<void> {
    await yieldToLoop();
    if (generation !== undefined && generation !== this.generation) throw new Cancelled();
  }

  /** Brings every conversation's folded text up to date with its summary, in slices. */
  private async refresh(generation: number | undefined): Promise<void> {
    await this.source.ready();
    const summaries = this.source.list();
    const present = new Set(summaries.map((summary) => summary.id));
    for (const id of this.conversations.keys()) if (!present.has(id)) this.conversations.delete(id);
    for (const summary of summaries) {
      const known = this.conversations.get(summary.id);
      if (known && known.key === keyOf(summary)) {
        known.title = summary.title;
        continue;
      }
      const conversation = await this.source.read(summary.id);
      if (generation !== undefined && generation !== this.generation) throw new Cancelled();
      if (!conversation) {
        this.conversations.delete(summary.id);
        continue;
      }
      const turns: IndexedTurn[] = [];
      let started = this.sliceStart();
      for (const turn of conversation.turns) {
        turns.push({ id: turn.id, question: turn.question, answer: turn.answer, q: fold(turn.question), a: fold(turn.answer) });
        started = await this.yieldIfSliceOver(started, generation);
      }
      this.noteSlice(started);
      this.conversations.set(summary.id, { id: summary.id, title: summary.title, updatedAt: summary.updatedAt, key: keyOf(summary), turns });
      await this.pause(generation);
    }
  }

  private hit(conversation: IndexedConversation, turn: IndexedTurn, turnIndex: number, terms: string[]): SearchHit {
    // The field holding more of the query's words; the question on a tie, as it says what the turn is about.
    const inQuestion = terms.filter((term) => turn.q.includes(term)).length;
    const inAnswer = terms.filter((term) => turn.a.includes(term)).length;
    const field: SearchField = inQuestion >= inAnswer ? 'question' : 'answer';
    const original = field === 'question' ? turn.question : turn.answer;
    const folded = field === 'question' ? turn.q : turn.a;
    const { snippet, marks } = snippetOf(original, folded, terms, this.context);
    return { conversationId: conversation.id, title: conversation.title, updatedAt: conversation.updatedAt, turnId: turn.id, turnIndex, field, snippet, marks };
  }
}

/**
 * A window of the original text around the first match of any term, whitespace collapsed to single spaces, with
 * every match inside it marked. `folded` is `normalize(original)`.
 */
export function snippetOf(original: string, folded: string, terms: string[], context = 40): { snippet: string; marks: Array<[number, number]> } {
  let first = -1;
  for (const term of terms) {
    const at = folded.indexOf(term);
    if (at >= 0 && (first < 0 || at < first)) first = at;
  }
  if (first < 0) first = 0;
  const foldedStart = Math.max(0, first - context);
  const foldedEnd = Math.min(folded.length, first + context * 3);
  // Only the part up to the window's end is mapped back: a match near the start of a long answer costs little.
  const { text, map } = normalizeWithMap(original, foldedEnd + 1);
  let start = map[Math.min(foldedStart, text.length)] ?? 0;
  let end = map[Math.min(foldedEnd, text.length)] ?? original.length;
  if (foldedEnd >= folded.length) end = original.length;
  // Whole words at the edges where a space is near.
  if (start > 0) {
    const space = original.slice(start, start + 15).search(/\s/);
    if (space >= 0) start += space + 1;
  }
  if (end < original.length) {
    const space = original.slice(Math.max(start, end - 15), end).search(/\s\S*$/);
    if (space >= 0) end = Math.max(start, end - 15) + space;
  }
  const ranges: Array<[number, number]> = [];
  for (const term of terms) {
    let at = text.indexOf(term, Math.max(0, foldedStart - term.length));
    while (at >= 0 && at < text.length) {
      const from = map[at] ?? 0;
      const to = map[at + term.length] ?? original.length;
      if (from >= end) break;
      if (to > start) ranges.push([Math.max(from, start), Math.min(to, end)]);
      at = text.indexOf(term, at + Math.max(1, term.length));
    }
  }
  return collapse(original, start, end, ranges);
}

function collapse(original: string, start: number, end: number, ranges: Array<[number, number]>): { snippet: string; marks: Array<[number, number]> } {
  const positions: number[] = [];
  let snippet = start > 0 ? '…' : '';
  const offset = snippet.length;
  let lastSpace = false;
  for (let index = start; index < end; index++) {
    positions[index - start] = snippet.length;
    const char = original.charAt(index);
    if (/\s/.test(char)) {
      if (!lastSpace && snippet.length > offset) snippet += ' ';
      lastSpace = true;
    } else {
      snippet += char;
      lastSpace = false;
    }
  }
  positions[end - start] = snippet.length;
  snippet = snippet.replace(/ $/, '');
  const marks: Array<[number, number]> = [];
  for (const [from, to] of ranges.sort((a, b) => a[0] - b[0])) {
    const markStart = positions[from - start] ?? 0;
    const markEnd = Math.min(snippet.length, positions[to - start] ?? snippet.length);
    const previous = marks[marks.length - 1];
    if (previous && markStart <= previous[1]) previous[1] = Math.max(previous[1], markEnd);
    else if (markEnd > markStart) marks.push([markStart, markEnd]);
  }
  if (end < original.length) snippet += '…';
  return { snippet, marks };
}

// Citation markers in an answer's text: `[1]`, `[1, 2]`, `[1][3]`, `[^2]`, in Latin, Persian (۱) or Arabic-Indic
// (١) digits. A marker is only ever looked for in plain text tokens: marked already took code spans, code blocks,
// links, reference links and definitions out of them, so `[text][1]` with a `[1]: https://…` definition stays a link.
import type { Token, Tokens } from 'marked';
import type { SourceView } from '../../src/shared/messages';

const digit = '[0-9\u06F0-\u06F9\u0660-\u0669]';
const number = `\\^?${digit}{1,3}`;
const separator = '[ \\t]*[,\u060C][ \\t]*';
/** One marker: numbers (optionally `^`-prefixed) in brackets, separated by a Latin or Arabic comma. */
const markerPattern = new RegExp(`\\[(${number}(?:${separator}${number})*)\\]`, 'g');
/** A cheap first test before the marker pattern runs: most text has no bracketed digit at all. */
const mayHaveMarker = new RegExp(`\\[\\^?${digit}`);

export type DigitScript = 'latin' | 'persian' | 'arabic';

export interface CitationRef {
  /** 1-based, as written. */
  readonly number: number;
  readonly script: DigitScript;
}

/** A piece of text: plain, or one marker whose every number names an existing source. */
export type CitationPiece = string | { readonly raw: string; readonly refs: readonly CitationRef[] };

function toNumber(written: string): CitationRef {
  let script: DigitScript = 'latin';
  const latin = written.replace(/[\u06F0-\u06F9\u0660-\u0669]/g, (char) => {
    const code = char.charCodeAt(0);
    script = code >= 0x06f0 ? 'persian' : 'arabic';
    return String(code - (code >= 0x06f0 ? 0x06f0 : 0x0660));
  });
  return { number: Number(latin.replace(/\D/g, '')), script };
}

/** Quick test on raw markdown: could this contain a marker at all? */
export function mayCite(raw: string): boolean {
  return mayHaveMarker.test(raw);
}

/**
 * `text` split into text and markers. A marker naming a source that does not exist (or any number of them, when
 * `sourceCount` is 0) stays text: it is not a citation this answer can back up.
 */
export function splitCitations(text: string, sourceCount: number): CitationPiece[] {
  if (sourceCount === 0 || !mayHaveMarker.test(text)) return [text];
  const pieces: CitationPiece[] = [];
  let last = 0;
  markerPattern.lastIndex = 0;
  for (let match = markerPattern.exec(text); match; match = markerPattern.exec(text)) {
    const refs = (match[1] ?? '').split(/[,\u060C]/).map((part) => toNumber(part.trim()));
    if (refs.some((ref) => ref.number < 1 || ref.number > sourceCount)) continue;
    if (match.index > last) pieces.push(text.slice(last, match.index));
    pieces.push({ raw: match[0], refs });
    last = match.index + match[0].length;
  }
  if (last === 0) return [text];
  if (last < text.length) pieces.push(text.slice(last));
  return pieces;
}

/** A number written in the digits the answer used. */
export function formatCitationNumber(ref: CitationRef): string {
  const text = String(ref.number);
  if (ref.script === 'latin') return text;
  const zero = ref.script === 'persian' ? 0x06f0 : 0x0660;
  return text.replace(/\d/g, (char) => String.fromCharCode(zero + Number(char)));
}

/** Inline tokens whose text the renderer turns into chips (the same walk, so counts match what is drawn). */
function countInline(tokens: readonly Token[] | undefined, sourceCount: number, counts: number[], decode: (text: string) => string): void {
  for (const token of tokens ?? []) {
    switch (token.type) {
      case 'text': {
        const text = token as Tokens.Text;
        if (text.tokens) countInline(text.tokens, sourceCount, counts, decode);
        else countText(decode(text.text), sourceCount, counts);
        break;
      }
      case 'strong':
      case 'em':
      case 'del':
        countInline((token as Tokens.Strong).tokens, sourceCount, counts, decode);
        break;
      default:
        break; // code spans, links (their text is the link's), images, html: never chips
    }
  }
}

function countText(text: string, sourceCount: number, counts: number[]): void {
  for (const piece of splitCitations(text, sourceCount)) {
    if (typeof piece === 'string') continue;
    for (const ref of piece.refs) counts[ref.number - 1] = (counts[ref.number - 1] ?? 0) + 1;
  }
}

/** Chips per block token, in the order the renderer draws them. */
export function countBlock(token: Token, sourceCount: number, counts: number[], decode: (text: string) => string): void {
  if (!mayCite(token.raw)) return;
  switch (token.type) {
    case 'paragraph':
    case 'heading':
      countInline((token as Tokens.Paragraph).tokens, sourceCount, counts, decode);
      return;
    case 'text': {
      const text = token as Tokens.Text;
      if (text.tokens) countInline(text.tokens, sourceCount, counts, decode);
      else countText(decode(text.text), sourceCount, counts);
      return;
    }
    case 'blockquote':
      for (const child of (token as Tokens.Blockquote).tokens) countBlock(child, sourceCount, counts, decode);
      return;
    case 'list':
      for (const item of (token as Tokens.List).items) {
        for (const child of item.tokens) countBlock(child, sourceCount, counts, decode);
      }
      return;
    case 'table': {
      const table = token as Tokens.Table;
      for (const cell of table.header) countInline(cell.tokens, sourceCount, counts, decode);
      for (const row of table.rows) for (const cell of row) countInline(cell.tokens, sourceCount, counts, decode);
      return;
    }
    default:
      return;
  }
}

type Listener = () => void;

/**
 * One answer's sources, as the blocks that cite them see them. The object stays the same for the life of the
 * answer's view (so it never forces every block to render again); when the sources change, only the blocks that
 * may hold a marker, which subscribed, are drawn again.
 */
export class CitationSources {
  private listeners = new Set<Listener>();

  constructor(public sources: readonly SourceView[], public readonly turnId: string) {}

  /** Takes new sources; true when they changed (then `notify` tells the subscribed blocks). */
  set(sources: readonly SourceView[]): boolean {
    if (sources === this.sources) return false;
    this.sources = sources;
    return true;
  }

  notify(): void {
    for (const listener of [...this.listeners]) listener();
  }

  subscribe(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}

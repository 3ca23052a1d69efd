// Text folded for search, so a question typed on any keyboard finds the answer however it was written: Arabic yeh
// and kaf are the Persian letters, Persian and Arabic-Indic digits are Latin digits, harakat, the superscript alef
// and tatweel are gone, Latin is lower case. ZWNJ is dropped (not made a space): "میخواهم" and "می‌خواهم" are one
// word to a reader, and a query that spells it with a space still finds it, as every word of a query is looked for on
// its own. Other invisible marks (ZWJ, LRM, RLM) are dropped too.
//
// Pure: no vscode, no Node, no DOM. Two ways to the same text: `normalize` (fast, for indexing whole answers) and
// `normalizeWithMap` (character by character, with each folded character's place in the original, for snippets).

/** Removed: harakat U+064B–U+065F, superscript alef U+0670, tatweel U+0640, ZWNJ, ZWJ, LRM, RLM. */
const REMOVED = /[\u064B-\u065F\u0670\u0640\u200C\u200E\u200F]|\u200D/g;
const REPLACED = /[\u064A\u0649\u0643\u0660-\u0669\u06F0-\u06F9\u03C2]/g;
const MAPPED = /[\u064B-\u065F\u0670\u0640\u200C\u200E\u200F\u064A\u0649\u0643\u0660-\u0669\u06F0-\u06F9]|\u200D/;

function replacement(char: string): string {
  const code = char.charCodeAt(0);
  if (code === 0x064a || code === 0x0649) return '\u06CC'; // Arabic yeh, alef maksura → Persian yeh
  if (code === 0x0643) return '\u06A9'; // Arabic kaf → Persian keheh
  if (code >= 0x0660 && code <= 0x0669) return String.fromCharCode(0x30 + code - 0x0660);
  if (code >= 0x06f0 && code <= 0x06f9) return String.fromCharCode(0x30 + code - 0x06f0);
  if (code === 0x03c2) return '\u03C3'; // final sigma: lower-casing a whole text and one letter must agree
  return char;
}

/** The folded text. Equal to `normalizeWithMap(text).text`. */
export function normalize(text: string): string {
  const lower = text.toLowerCase();
  // Most text needs nothing beyond lower case; skipping the replaces keeps indexing of English history cheap.
  if (!MAPPED.test(lower) && !lower.includes('\u03C2')) return lower;
  return lower.replace(REMOVED, '').replace(REPLACED, replacement);
}

export interface Folded {
  text: string;
  /** For each character of `text`, and one past its end, the index in the original it came from. */
  map: Int32Array;
}

function foldOne(char: string): string {
  const code = char.charCodeAt(0);
  if ((code >= 0x064b && code <= 0x065f) || code === 0x0670 || code === 0x0640 || (code >= 0x200c && code <= 0x200f)) return '';
  return replacement(char.toLowerCase()).replace(/\u03C2/g, '\u03C3');
}

/**
 * The folded text with a map back to the original; slower than `normalize`, meant for one field at a time. With
 * `foldedLimit`, stops once the folded text is longer than that (a snippet near the start of a long answer).
 */
export function normalizeWithMap(text: string, foldedLimit = Infinity): Folded {
  let folded = '';
  const map: number[] = [];
  let index = 0;
  for (; index < text.length && folded.length <= foldedLimit; index++) {
    let char = text.charAt(index);
    // A surrogate pair is one character: lower-case it whole.
    const code = char.charCodeAt(0);
    if (code >= 0xd800 && code <= 0xdbff && index + 1 < text.length) char += text.charAt(index + 1);
    const out = char.length === 1 ? foldOne(char) : char.toLowerCase();
    for (let k = 0; k < out.length; k++) map.push(index);
    folded += out;
    index += char.length - 1;
  }
  map.push(index);
  return { text: folded, map: Int32Array.from(map) };
}

/** The words of a query, folded, each looked for on its own; repeated words once. */
export function queryTerms(query: string): string[] {
  return [...new Set(normalize(query).split(/[\s\u00A0]+/).filter((term) => term.length > 0))];
}

// Direction of a block of text, and the language of a question, by the majority of its words. Shared: the panel
// sets each block's direction with it and the extension host picks the `language` a question is sent with.
// `dir="auto"` looks only at the first strong character, which gets Persian sentences that open with an
// English word ("React یک کتابخانه است") wrong; counting every word gets them right. Words, not letters: the
// English terms in a Persian sentence are long ("SecretStorage", "GNOME Keyring") and would outvote it letter by
// letter for a while as it streams in, so a paragraph would flip to left to right and back under the reader's eyes.

export type Direction = 'ltr' | 'rtl';

// Scripts written right to left that an answer may contain (Persian and Arabic first of all).
const rtlScripts = String.raw`\p{Script=Arabic}\p{Script=Hebrew}\p{Script=Syriac}\p{Script=Thaana}\p{Script=Nko}`;
// A word: a letter and what follows it up to a character that is not a letter, a combining mark or a zero-width
// (non-)joiner (as in «می‌شود»). Its first letter gives its direction.
const words = /\p{L}[\p{L}\p{M}\u200C\u200D]*/gu;
const startsRtl = new RegExp(`^[${rtlScripts}]`, 'u');
// Code and addresses are always left to right and would outvote a Persian sentence that quotes them; a code span
// still streaming in (no closing backticks yet) counts as code too.
const inlineCode = /(`+)[^`]*?\1|`+[^`]*$/g;
// An address starts where a token starts: tried from inside a long run of letters and dashes it would scan the
// rest of the run again from every position.
const address = /\b(?:https?|mailto):[^\s)>\]]+|(?<![\w.+-])[\w.+-]+@[\w-]+(?:\.[\w-]+)+/g;

export interface DirectionCount {
  rtl: number;
  ltr: number;
  /** The first word's direction, used to break a tie. */
  first?: Direction;
}

export function countWords(text: string): DirectionCount {
  const plain = text.replace(inlineCode, ' ').replace(address, ' ');
  const found = plain.match(words) ?? [];
  let rtl = 0;
  for (const word of found) if (startsRtl.test(word)) rtl += 1;
  const first = found[0];
  return first === undefined ? { rtl: 0, ltr: 0 } : { rtl, ltr: found.length - rtl, first: startsRtl.test(first) ? 'rtl' : 'ltr' };
}

/**
 * The direction a block should take: the majority of its words, the first word on a tie, and `fallback` (the
 * panel's direction) when the text has no letters at all.
 */
export function blockDirection(text: string, fallback: Direction): Direction {
  const { rtl, ltr, first } = countWords(text);
  if (rtl > ltr) return 'rtl';
  if (ltr > rtl) return 'ltr';
  return first ?? fallback;
}

/** The languages the core is asked to answer in by the words of a question. */
export type TextLanguage = 'fa' | 'en';

// Parts of a question that are code or names of things and so say nothing about the language it is written in:
// fenced blocks (closed or not), paths and file names, dotted or snake_case identifiers, command-line options.
// The fence is taken whole at once (a lookahead does not backtrack), so a long line of backticks is scanned once.
const fencedCode = /^ {0,3}(?=(`{3,}|~{3,}))\1[^\n]*\n[\s\S]*?(?:^ {0,3}\1[`~]*[ \t]*$|(?![\s\S]))/gm;
const codeLike = new RegExp(
  [
    // Each starts only where a token starts, so a long run of letters is scanned once, not once per position.
    String.raw`(?<![\w.~:\\/-])(?:[A-Za-z]:)?[\w.~-]*[/\\][\w.~\/\\-]+`, // src/app.ts, /etc/nginx, C:\Users\me, ~/.bashrc
    String.raw`(?<![\w-])[\w-]+(?:\.[\w-]+)+\b`, // package.json, vscode.l10n.t, example.com
    String.raw`(?<!\w)\w*_\w*`, // snake_case, __dirname
    String.raw`(?<![\p{L}\p{N}-])--?[A-Za-z][\w-]*(?:=\S*)?`, // --password-store=basic, -v
  ].join('|'),
  'gu',
);
// A word that names a thing rather than saying something: an acronym (GNOME, TLS), an identifier with a capital
// inside (SecretStorage, useEffect, KWallet), or a capitalised word inside a sentence (Docker, Keyring). Persian
// writers use them as much as English ones do; a capital that opens a sentence ("How", "What") is English.
const nameLike = /^(?:\p{Lu}{2,}\p{Ll}?|\p{L}+\p{Ll}\p{Lu}\p{L}*|\p{Lu}\p{Lu}+\p{Ll}+\p{L}*)$/u;
const capitalised = /^\p{Lu}/u;
const sentenceStart = /[.!?؟:;\n][\s"'«([]*$/u;
const persianScript = /^\p{Script=Arabic}/u;

function opensSentence(text: string, index: number): boolean {
  const from = Math.max(0, index - 8);
  return sentenceStart.test((from === 0 ? '\n' : '') + text.slice(from, index));
}

/** How many words of each language a text has, code left out; names of things counted apart. */
export function countLanguageWords(text: string): { fa: number; en: number; names: number } {
  const plain = text.replace(fencedCode, ' ').replace(inlineCode, ' ').replace(address, ' ').replace(codeLike, ' ');
  let fa = 0;
  let en = 0;
  let names = 0;
  for (const match of plain.matchAll(words)) {
    const word = match[0];
    if (persianScript.test(word)) fa += 1;
    else if (startsRtl.test(word)) continue; // Hebrew and the like: neither language
    else if (word === 'I') en += 1;
    else if (nameLike.test(word) || (capitalised.test(word) && !opensSentence(plain, match.index))) names += 1;
    else en += 1;
  }
  return { fa, en, names };
}

/**
 * The language a text is written in, by its words: Persian (Arabic script) against Latin, with numbers, addresses,
 * code (spans and fenced blocks), paths and names of things left out, since a Persian question quotes them as often
 * as an English one. A tie goes to Persian: a Persian question leans on English terms ("Docker چیست؟"), an English
 * one rarely contains Persian at all. Only names (and no other words): English. No letters: undefined.
 */
export function textLanguage(text: string): TextLanguage | undefined {
  const { fa, en, names } = countLanguageWords(text);
  if (fa > 0 && fa >= en) return 'fa';
  if (en > 0 || names > 0) return 'en';
  return undefined;
}

/**
 * The `language` a question is sent with: the setting when it names one; for `auto`, the question's words; when
 * they say nothing (only code or numbers), VS Code's display language. Latin words in a display language other
 * than Persian or English are taken to be in that language.
 */
export function questionLanguage(text: string, setting: string, displayLanguage: string): string {
  if (setting !== 'auto') return setting;
  const display = displayLanguage.split('-')[0]?.toLowerCase() || 'en';
  const language = textLanguage(text);
  if (language === 'fa') return 'fa';
  if (language === 'en') return display === 'fa' ? 'en' : display;
  return display;
}

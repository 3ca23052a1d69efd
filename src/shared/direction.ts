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
const address = /\b(?:https?|mailto):[^\s)>\]]+|\b[\w.+-]+@[\w-]+(?:\.[\w-]+)+/g;

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

// Direction of a block of text by the majority of its strong characters.
// `dir="auto"` looks only at the first strong character, which gets Persian sentences that open with an
// English word ("React یک کتابخانه است") wrong; counting every strong character gets them right.

export type Direction = 'ltr' | 'rtl';

// Scripts written right to left that an answer may contain (Persian and Arabic first of all).
const rtlScripts = String.raw`\p{Script=Arabic}\p{Script=Hebrew}\p{Script=Syriac}\p{Script=Thaana}\p{Script=Nko}`;
const startsRtl = new RegExp(`^[${rtlScripts}]`, 'u');
const notRtl = new RegExp(`[^${rtlScripts}]+`, 'gu');
const notLetters = /\P{L}+/gu;
const highSurrogates = /[\uD800-\uDBFF]/g;
// Code and addresses are always left to right and would outvote a Persian sentence that quotes them.
const inlineCode = /(`+)[^`]*?\1/g;
const address = /\b(?:https?|mailto):[^\s)>\]]+|\b[\w.+-]+@[\w-]+(?:\.[\w-]+)+/g;

export interface DirectionCount {
  rtl: number;
  ltr: number;
  /** The first strong character's direction, used to break a tie. */
  first?: Direction;
}

/** Characters, not UTF-16 units: a letter outside the Basic Multilingual Plane counts once. */
function characters(text: string): number {
  return text.length - (text.match(highSurrogates)?.length ?? 0);
}

export function countStrong(text: string): DirectionCount {
  const plain = text.replace(inlineCode, ' ').replace(address, ' ');
  // Whole-string replacements instead of a loop over every letter: this runs for the growing block on every
  // frame while an answer streams.
  const letters = plain.replace(notLetters, '');
  const rtl = characters(letters.replace(notRtl, ''));
  const count: DirectionCount = { rtl, ltr: characters(letters) - rtl };
  if (letters !== '') count.first = startsRtl.test(letters) ? 'rtl' : 'ltr';
  return count;
}

/**
 * The direction a block should take: the majority of its strong characters, the first strong character on a
 * tie, and `fallback` (the panel's direction) when the text has no letters at all.
 */
export function blockDirection(text: string, fallback: Direction): Direction {
  const { rtl, ltr, first } = countStrong(text);
  if (rtl > ltr) return 'rtl';
  if (ltr > rtl) return 'ltr';
  return first ?? fallback;
}

// Direction of a block of text by the majority of its strong characters.
// `dir="auto"` looks only at the first strong character, which gets Persian sentences that open with an
// English word ("React یک کتابخانه است") wrong; counting every strong character gets them right.

export type Direction = 'ltr' | 'rtl';

// Scripts written right to left that an answer may contain (Persian and Arabic first of all).
const rtlLetter = /[\p{Script=Arabic}\p{Script=Hebrew}\p{Script=Syriac}\p{Script=Thaana}\p{Script=Nko}]/u;
const letters = /\p{L}/gu;
// Code and addresses are always left to right and would outvote a Persian sentence that quotes them.
const inlineCode = /(`+)[^`]*?\1/g;
const address = /\b(?:https?|mailto):[^\s)>\]]+|\b[\w.+-]+@[\w-]+(?:\.[\w-]+)+/g;

export interface DirectionCount {
  rtl: number;
  ltr: number;
  /** The first strong character's direction, used to break a tie. */
  first?: Direction;
}

export function countStrong(text: string): DirectionCount {
  const count: DirectionCount = { rtl: 0, ltr: 0 };
  const plain = text.replace(inlineCode, ' ').replace(address, ' ');
  for (const match of plain.matchAll(letters)) {
    const direction: Direction = rtlLetter.test(match[0]) ? 'rtl' : 'ltr';
    count[direction] += 1;
    count.first ??= direction;
  }
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

// Moving between answers by keyboard. Each answer is a tab stop; on a focused answer ↑/↓ go to the one before or
// after, and Alt+↑/Alt+↓ do the same from anywhere inside a turn (its buttons, links, code). The composer, the
// search field and other inputs keep their own keys. A focused answer is labelled with its position ("Answer 3 of
// 12"), which a screen reader says on focus. An answer far from the view may still be an empty slot: it is scrolled
// into view, which builds it, and focused as soon as it exists.
import { useEffect } from 'preact/hooks';
import type { RefObject } from 'preact';
import type { Translate } from './i18n';

const SLOT = '[data-slot]';
const ANSWER = '.answer';

function isTextInput(element: Element): boolean {
  return element instanceof HTMLTextAreaElement || element instanceof HTMLInputElement || (element as HTMLElement).isContentEditable;
}

/**
 * Focuses the slot's answer now, or once the slot is built (then calls `built`). Returns the function that stops
 * waiting, or undefined when there is nothing to wait for.
 */
function focusAnswerOf(slot: HTMLElement, built: () => void): (() => void) | undefined {
  const answer = slot.querySelector<HTMLElement>(ANSWER);
  if (answer) {
    answer.focus();
    answer.scrollIntoView({ block: 'nearest' });
    return undefined;
  }
  slot.scrollIntoView({ block: 'center' });
  const observer = new MutationObserver(() => {
    const found = slot.querySelector<HTMLElement>(ANSWER);
    if (!found) return;
    observer.disconnect();
    built();
    found.focus();
    found.scrollIntoView({ block: 'nearest' });
  });
  observer.observe(slot, { childList: true, subtree: true });
  return () => observer.disconnect();
}

export function useAnswerKeys(container: RefObject<HTMLElement>, t: Translate): void {
  useEffect(() => {
    const element = container.current;
    if (!element) return undefined;
    // The slot moved to that is not built yet: further keys move on from it, not from the answer still focused.
    let pending: { slot: HTMLElement; stop: () => void } | undefined;
    const slots = () => [...element.querySelectorAll<HTMLElement>(SLOT)];
    const onKeyDown = (event: KeyboardEvent) => {
      if (event.key !== 'ArrowUp' && event.key !== 'ArrowDown') return;
      if (event.isComposing || event.ctrlKey || event.metaKey || event.shiftKey) return;
      const target = event.target as HTMLElement;
      const onAnswer = target.matches(ANSWER);
      if (!(onAnswer || event.altKey) || isTextInput(target)) return;
      const slot = pending?.slot ?? target.closest<HTMLElement>(SLOT);
      if (!slot) return;
      const all = slots();
      const next = all[all.indexOf(slot) + (event.key === 'ArrowUp' ? -1 : 1)];
      event.preventDefault();
      if (!next) return;
      pending?.stop();
      pending = undefined;
      const stop = focusAnswerOf(next, () => (pending = undefined));
      if (stop) pending = { slot: next, stop };
    };
    const onFocusIn = (event: FocusEvent) => {
      const target = event.target as HTMLElement;
      if (!target.matches(ANSWER)) return;
      const slot = target.closest<HTMLElement>(SLOT);
      const all = slots();
      // Set here over the rendered "Answer": the position changes with every new turn, the answer's view does not.
      if (slot) target.setAttribute('aria-label', t('answerPosition', all.indexOf(slot) + 1, all.length));
    };
    element.addEventListener('keydown', onKeyDown);
    element.addEventListener('focusin', onFocusIn);
    return () => {
      pending?.stop();
      element.removeEventListener('keydown', onKeyDown);
      element.removeEventListener('focusin', onFocusIn);
    };
  }, [container, t]);
}

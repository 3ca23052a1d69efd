// Search across every conversation of the workspace, from the panel's toolbar: a field, results as you type (the
// host searches; each keystroke's search replaces the one before), Enter or a click opens the result at its turn,
// Esc closes. Also carries out the host's `revealTurn`: the turn scrolled into view, the query's matches in it
// marked with the CSS Custom Highlight API (no change to the rendered markdown), and a highlight that fades.
import { useEffect, useRef, useState } from 'preact/hooks';
import { blockDirection, type Direction } from '../../src/shared/direction';
import { readHostMessage, type SearchHitView, type WebviewMessage } from '../../src/shared/messages';
import { normalizeWithMap, queryTerms } from '../../src/shared/normalize';
import type { Translate } from '../i18n';
import { Icon } from './Icon';

export const REVEAL_HIGHLIGHT = 'tejarat-search';
/** How long the matches of an opened result stay marked. */
const REVEAL_MS = 4_000;

interface Props {
  t: Translate;
  fallback: Direction;
  post(message: Extract<WebviewMessage, { type: 'search' | 'openSearchResult' }>): void;
}

interface Results {
  requestId: number;
  query: string;
  hits: SearchHitView[];
  more: boolean;
}

/** Only the two message types this component handles are rebuilt here; the store handles (and checks) the rest. */
function ownMessage(data: unknown): ReturnType<typeof readHostMessage> {
  const type = typeof data === 'object' && data !== null ? (data as { type?: unknown }).type : undefined;
  return type === 'searchResults' || type === 'revealTurn' ? readHostMessage(data) : undefined;
}

function Snippet({ hit }: { hit: SearchHitView }) {
  const parts = [];
  let at = 0;
  for (const [from, to] of hit.marks) {
    if (from > at) parts.push(hit.snippet.slice(at, from));
    parts.push(<mark>{hit.snippet.slice(from, to)}</mark>);
    at = to;
  }
  if (at < hit.snippet.length) parts.push(hit.snippet.slice(at));
  return <>{parts}</>;
}

/** Text ranges of the element whose folded text holds a word of the query. */
function matchRanges(element: Element, query: string): Range[] {
  const terms = queryTerms(query);
  if (terms.length === 0) return [];
  const nodes: Text[] = [];
  const starts: number[] = [];
  let whole = '';
  const walker = document.createTreeWalker(element, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const value = (node as Text).data;
    nodes.push(node as Text);
    starts.push(whole.length);
    whole += value;
  }
  const { text, map } = normalizeWithMap(whole);
  const locate = (offset: number): [Text, number] | undefined => {
    let low = 0;
    let high = starts.length - 1;
    while (low < high) {
      const middle = (low + high + 1) >> 1;
      if ((starts[middle] ?? 0) <= offset) low = middle;
      else high = middle - 1;
    }
    const node = nodes[low];
    return node ? [node, offset - (starts[low] ?? 0)] : undefined;
  };
  const ranges: Range[] = [];
  for (const term of terms) {
    for (let found = text.indexOf(term); found >= 0 && ranges.length < 200; found = text.indexOf(term, found + term.length)) {
      const from = locate(map[found] ?? 0);
      // The end is just past the last matched character, inside its own text node.
      const last = locate(map[found + term.length - 1] ?? 0);
      if (!from || !last) continue;
      const range = document.createRange();
      range.setStart(from[0], from[1]);
      range.setEnd(last[0], Math.min(last[0].length, last[1] + 1));
      ranges.push(range);
    }
  }
  return ranges;
}

interface HighlightRegistry {
  set(name: string, highlight: unknown): void;
  delete(name: string): void;
}

function highlights(): { registry: HighlightRegistry; make: (ranges: Range[]) => unknown } | undefined {
  const css = (globalThis as { CSS?: { highlights?: HighlightRegistry } }).CSS;
  const Highlight = (globalThis as { Highlight?: new (...ranges: Range[]) => unknown }).Highlight;
  if (!css?.highlights || !Highlight) return undefined;
  return { registry: css.highlights, make: (ranges) => new Highlight(...ranges) };
}

/**
 * Brings `target` back into view if it leaves it during the next frames: turns above it that are built as they come
 * near (LazyTurn) may turn out taller or shorter than their estimate and move it.
 */
function keepInView(target: Element, frames: number, cancelled: () => boolean): void {
  const scroller = target.closest('.conversation');
  if (!scroller || frames <= 0 || cancelled()) return;
  requestAnimationFrame(() => {
    const box = target.getBoundingClientRect();
    const view = scroller.getBoundingClientRect();
    if (box.bottom <= view.top || box.top >= view.bottom) target.scrollIntoView({ block: 'center' });
    keepInView(target, frames - 1, cancelled);
  });
}

/** Scrolls a turn into view and marks the query in it; waits for the turn (the new conversation may still render). */
function revealTurn(turnId: string, query: string): () => void {
  let frame = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let tries = 0;
  let settle = 2;
  let cancelled = false;
  const support = highlights();
  const attempt = (): void => {
    const turn = document.querySelector(`[data-turn-id="${CSS.escape(turnId)}"]`);
    if (!turn) {
      // A turn far from the view is an empty slot until it comes near (LazyTurn): bringing the slot into view builds it.
      document.querySelector(`[data-slot="${CSS.escape(turnId)}"]`)?.scrollIntoView({ block: 'center' });
      // About two seconds of frames: the state that brings the turn is on its way.
      if (++tries < 120) frame = requestAnimationFrame(attempt);
      return;
    }
    // Two frames after the turn appears: the conversation's first layout (and the view's follow-the-end scroll
    // that comes with it) is over, so the scroll below is the last word.
    if (settle-- > 0) {
      frame = requestAnimationFrame(attempt);
      return;
    }
    const ranges = matchRanges(turn, query);
    const target = ranges[0]?.startContainer.parentElement ?? turn;
    target.scrollIntoView({ block: 'center' });
    keepInView(target, 30, () => cancelled);
    // The view follows the end of the conversation until the reader scrolls away: tell it now, not a frame later.
    turn.closest('.conversation')?.dispatchEvent(new Event('scroll'));
    turn.classList.remove('turn-revealed');
    // Restarts the fade when the same turn is revealed twice.
    void (turn as HTMLElement).offsetWidth;
    turn.classList.add('turn-revealed');
    if (support && ranges.length > 0) support.registry.set(REVEAL_HIGHLIGHT, support.make(ranges));
    timer = setTimeout(() => {
      turn.classList.remove('turn-revealed');
      support?.registry.delete(REVEAL_HIGHLIGHT);
    }, REVEAL_MS);
  };
  frame = requestAnimationFrame(attempt);
  return () => {
    cancelled = true;
    cancelAnimationFrame(frame);
    if (timer !== undefined) clearTimeout(timer);
  };
}

export function SearchBox({ t, fallback, post }: Props) {
  const [open, setOpen] = useState(false);
  const [query, setQuery] = useState('');
  const [results, setResults] = useState<Results | undefined>(undefined);
  const [active, setActive] = useState(0);
  const requestId = useRef(0);
  const input = useRef<HTMLInputElement>(null);
  const toggle = useRef<HTMLButtonElement>(null);

  useEffect(() => {
    let cancelReveal: (() => void) | undefined;
    const onMessage = (event: MessageEvent<unknown>) => {
      const message = ownMessage(event.data);
      if (message?.type === 'searchResults') {
        // Only the answer to the latest keystroke: an older one arriving late would show results for other words.
        if (message.requestId !== requestId.current) return;
        setResults(message);
        setActive(0);
      } else if (message?.type === 'revealTurn') {
        cancelReveal?.();
        cancelReveal = revealTurn(message.turnId, message.query);
      }
    };
    window.addEventListener('message', onMessage);
    return () => {
      window.removeEventListener('message', onMessage);
      cancelReveal?.();
    };
  }, []);

  useEffect(() => {
    if (open) input.current?.focus();
  }, [open]);

  const close = (): void => {
    setOpen(false);
    setQuery('');
    setResults(undefined);
    requestId.current += 1;
    toggle.current?.focus();
  };

  const search = (value: string): void => {
    setQuery(value);
    const id = ++requestId.current;
    if (value.trim() === '') {
      setResults(undefined);
      return;
    }
    post({ type: 'search', requestId: id, query: value });
  };

  const choose = (hit: SearchHitView | undefined): void => {
    if (!hit) return;
    post({ type: 'openSearchResult', conversationId: hit.conversationId, turnId: hit.turnId, query });
    close();
  };

  const onKeyDown = (event: KeyboardEvent): void => {
    if (event.isComposing) return;
    const count = results?.hits.length ?? 0;
    if (event.key === 'Escape') {
      // Esc closes the search, and only that: it does not also stop an answer.
      event.preventDefault();
      event.stopPropagation();
      close();
    } else if (event.key === 'ArrowDown' && count > 0) {
      event.preventDefault();
      setActive((active + 1) % count);
    } else if (event.key === 'ArrowUp' && count > 0) {
      event.preventDefault();
      setActive((active - 1 + count) % count);
    } else if (event.key === 'Enter') {
      event.preventDefault();
      choose(results?.hits[active]);
    }
  };

  if (!open) {
    return (
      <button type="button" class="icon-button search-toggle" ref={toggle} title={t('searchConversations')}
        aria-label={t('searchConversations')} onClick={() => setOpen(true)}>
        <Icon name="search" />
      </button>
    );
  }

  const hits = results?.hits ?? [];
  const listId = 'search-results';
  return (
    <div class="search" role="search" onKeyDown={onKeyDown}>
      <div class="search-field">
        <Icon name="search" />
        <input ref={input} type="search" class="search-input" value={query} dir={query ? blockDirection(query, fallback) : fallback}
          placeholder={t('searchPlaceholder')} aria-label={t('searchConversations')} role="combobox"
          aria-expanded={hits.length > 0} aria-controls={listId}
          aria-activedescendant={hits.length > 0 ? `search-hit-${active}` : undefined}
          onInput={(event) => search((event.currentTarget as HTMLInputElement).value)} />
        <button type="button" class="icon-button" title={t('closeSearch')} aria-label={t('closeSearch')} onClick={close}>
          <Icon name="close" />
        </button>
      </div>
      {results && (
        <div class="search-results">
          <div class="search-count" role="status" aria-live="polite">
            {hits.length === 0 ? t('searchNone') : results.more ? t('searchManyResults', hits.length) : hits.length === 1 ? t('searchResult') : t('searchResults', hits.length)}
          </div>
          <ul id={listId} role="listbox" aria-label={t('searchConversations')}>
            {hits.map((hit, index) => (
              <li id={`search-hit-${index}`} key={`${hit.conversationId}/${hit.turnId}`} role="option" aria-selected={index === active}
                class={index === active ? 'search-hit active' : 'search-hit'}
                onMouseEnter={() => setActive(index)} onClick={() => choose(hit)}>
                <div class="search-hit-head">
                  <span class="search-hit-title" dir={blockDirection(hit.title, fallback)}>{hit.title || t('untitled')}</span>
                  <span class="search-hit-where">{t(hit.field === 'question' ? 'searchInQuestion' : 'searchInAnswer', hit.turnIndex + 1)}</span>
                </div>
                <div class="search-hit-snippet" dir={blockDirection(hit.snippet, fallback)}><Snippet hit={hit} /></div>
              </li>
            ))}
          </ul>
        </div>
      )}
    </div>
  );
}

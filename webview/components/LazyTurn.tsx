// A long conversation costs what is near the view, not what is in it. A turn far from the view is an empty slot of
// about its height until it comes within a screen of the view; only then are its markdown lexed and its elements
// built. A turn that has been shown keeps its elements, but is neither laid out nor painted while it is out of view
// (content-visibility), and the browser remembers its real height for the scrollbar. The estimate from the text
// (characters, lines, code, tables) keeps the scrollbar close to the truth before that; the browser's scroll
// anchoring keeps what the reader looks at in place when an estimate becomes a real height above it.
import { Component, createRef } from 'preact';
import { isActive, type TurnModel } from '../store';
import { TurnView, type TurnViewProps } from './TurnView';

/** Calls back once for each slot that comes within a screen of the scrolling view. */
export class TurnVisibility {
  private observer: IntersectionObserver | undefined;
  private readonly callbacks = new Map<Element, () => void>();

  /** The scrolling element the margin is measured in; slots observed before it is known wait for it. */
  attach(root: HTMLElement): void {
    this.observer?.disconnect();
    this.observer = new IntersectionObserver((entries) => {
      for (const entry of entries) {
        if (!entry.isIntersecting) continue;
        const callback = this.callbacks.get(entry.target);
        this.unobserve(entry.target);
        callback?.();
      }
    }, { root, rootMargin: '100% 0px' });
    for (const element of this.callbacks.keys()) this.observer.observe(element);
  }

  detach(): void {
    this.observer?.disconnect();
    this.observer = undefined;
  }

  observe(element: Element, callback: () => void): () => void {
    this.callbacks.set(element, callback);
    this.observer?.observe(element);
    return () => this.unobserve(element);
  }

  private unobserve(element: Element): void {
    this.callbacks.delete(element);
    this.observer?.unobserve(element);
  }
}

// Sizes from media/webview.css at the default 13px font: a line of text, of code, a table row, a code block's
// header and padding, the space between blocks, and the turn's own lines (speakers, question, actions, details).
const textLine = 20;
const codeLine = 17.4;
const tableRow = 29;
const codeChrome = 54;
const blockGap = 10;
const headingBlock = 40;
const turnChrome = 150;
/** Average advance of a character of mixed English and Persian text at 13px. */
const charWidth = 6.6;

const estimates = new WeakMap<TurnModel, number>();

function scanHeight(text: string, width: number): number {
  const perLine = Math.max(20, Math.floor(width / charWidth));
  let height = 0;
  let inFence = false;
  let inBlock = false;
  let start = 0;
  while (start <= text.length) {
    let end = text.indexOf('\n', start);
    if (end < 0) end = text.length;
    const length = end - start;
    const first = text.charCodeAt(start);
    const fence = length >= 3 && (text.startsWith('```', start) || text.startsWith('~~~', start));
    if (fence) {
      if (!inFence) height += codeChrome + blockGap;
      inFence = !inFence;
      inBlock = false;
    } else if (inFence) {
      height += codeLine;
    } else if (text.slice(start, end).trim() === '') {
      if (inBlock) height += blockGap;
      inBlock = false;
    } else if (first === 0x7c /* | */) {
      // The delimiter row of a table is not drawn.
      if (!/^\|[\s:|-]+\|?\s*$/.test(text.slice(start, end))) height += tableRow;
      inBlock = true;
    } else if (first === 0x23 /* # */) {
      height += headingBlock;
      inBlock = false;
    } else {
      height += Math.ceil(length / perLine) * textLine;
      inBlock = true;
    }
    start = end + 1;
  }
  return height;
}

/** The height a turn will about take: exact enough for a scrollbar, cheap enough for hundreds of turns at once. */
export function estimateTurnHeight(turn: TurnModel): number {
  // A growing answer is always shown, never estimated (scanning it on every chunk would cost time per chunk).
  if (isActive(turn)) return turnChrome;
  const known = estimates.get(turn);
  if (known !== undefined) return known;
  // The conversation's padding is 12px on each side; reading innerWidth does not lay the page out.
  const width = Math.max(200, window.innerWidth - 24);
  const estimate = Math.round(turnChrome + scanHeight(turn.question, width - 16) + scanHeight(turn.answer, width));
  estimates.set(turn, estimate);
  return estimate;
}

/** Index of the first turn shown at once: the newest turns filling `height` (the view the panel opens on). */
export function firstShownAtOnce(turns: readonly TurnModel[], height: number): number {
  let total = 0;
  let index = turns.length - 1;
  for (; index > 0; index -= 1) {
    total += estimateTurnHeight(turns[index] as TurnModel);
    if (total >= height) break;
  }
  return Math.max(0, index);
}

interface Props extends TurnViewProps {
  /** Show it now (the newest turns, where the panel opens), without waiting for it to come near the view. */
  atOnce: boolean;
  visibility: TurnVisibility;
}

export class LazyTurn extends Component<Props, { near: boolean }> {
  override state = { near: false };
  private readonly slot = createRef<HTMLDivElement>();
  private shown = false;
  private stopWatching: (() => void) | undefined;

  override shouldComponentUpdate(next: Props, nextState: { near: boolean }): boolean {
    const props = this.props;
    if (!this.shown) return nextState.near || next.atOnce || next.turn !== props.turn;
    return next.turn !== props.turn || next.t !== props.t || next.canRetry !== props.canRetry || next.fallback !== props.fallback;
  }

  override componentDidMount(): void {
    this.watch();
  }

  override componentDidUpdate(): void {
    this.watch();
  }

  override componentWillUnmount(): void {
    this.stopWatching?.();
  }

  private watch(): void {
    if (this.shown) {
      this.stopWatching?.();
      this.stopWatching = undefined;
    } else if (!this.stopWatching && this.slot.current) {
      this.stopWatching = this.props.visibility.observe(this.slot.current, () => {
        this.stopWatching = undefined;
        this.setState({ near: true });
      });
    }
  }

  override render({ turn, t, fallback, actions, canRetry, atOnce }: Props, { near }: { near: boolean }) {
    this.shown ||= atOnce || near;
    const estimate = estimateTurnHeight(turn);
    if (!this.shown) {
      return <div ref={this.slot} class="turn-slot turn-placeholder" data-slot={turn.id} style={{ blockSize: `${estimate}px` }} />;
    }
    return (
      <div ref={this.slot} class="turn-slot" data-slot={turn.id} style={{ containIntrinsicBlockSize: `auto ${estimate}px` }}>
        <TurnView turn={turn} t={t} fallback={fallback} actions={actions} canRetry={canRetry} />
      </div>
    );
  }
}

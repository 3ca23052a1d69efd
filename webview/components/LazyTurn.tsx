// A long conversation costs what is near the view, not what is in it. A turn far from the view is an empty slot of
// about its height until it comes within a screen of the view; only then are its markdown lexed and its elements
// built. A turn that has been shown keeps its elements, but is neither laid out nor painted while it is out of view
// (content-visibility), and the browser remembers its real height for the scrollbar. The estimate from the text
// (characters, lines, code, tables) keeps the scrollbar close to the truth before that; the browser's scroll
// anchoring keeps what the reader looks at in place when an estimate becomes a real height above it.
import { Component, createRef } from 'preact';
import { isActive, type TurnModel } from '../store';
import { TurnView, type TurnViewProps } from './TurnView';

/**
 * Tells observed elements whether they are within a screen of the scrolling view. One per panel for the groups of
 * turns and one for the empty slots of the groups near the view: the browser checks every observed element on
 * every frame that scrolls or lays out, so three hundred empty slots observed at once would cost each frame of a
 * streaming answer a millisecond.
 */
export class TurnVisibility {
  private observer: IntersectionObserver | undefined;
  private readonly callbacks = new Map<Element, (near: boolean) => void>();

  /** The scrolling element the margin is measured in; elements observed before it is known wait for it. */
  attach(root: HTMLElement): void {
    this.observer?.disconnect();
    this.observer = new IntersectionObserver((entries) => {
      for (const entry of entries) this.callbacks.get(entry.target)?.(entry.isIntersecting);
    }, { root, rootMargin: '100% 0px' });
    for (const element of this.callbacks.keys()) this.observer.observe(element);
  }

  detach(): void {
    this.observer?.disconnect();
    this.observer = undefined;
  }

  /** Calls back when the element comes near the view and when it leaves, until the returned function is called. */
  observe(element: Element, callback: (near: boolean) => void): () => void {
    this.callbacks.set(element, callback);
    this.observer?.observe(element);
    return () => {
      this.callbacks.delete(element);
      this.observer?.unobserve(element);
    };
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
/** Characters of an answer laid out whole in one frame when built (see LazyTurn.measure): about 10 ms of layout. */
const measureLimit = 60_000;

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
    } else if (length === 0 || (length < 8 && text.slice(start, end).trim() === '')) {
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
  /** Its group is near the view: an empty slot watches for itself coming near. */
  groupNear: boolean;
  slots: TurnVisibility;
}

export class LazyTurn extends Component<Props, { near: boolean }> {
  override state = { near: false };
  private readonly slot = createRef<HTMLDivElement>();
  private shown = false;
  private measured = false;
  private stopWatching: (() => void) | undefined;

  override shouldComponentUpdate(next: Props, nextState: { near: boolean }): boolean {
    const props = this.props;
    if (!this.shown) return nextState.near || next.atOnce || next.turn !== props.turn || next.groupNear !== props.groupNear;
    return next.turn !== props.turn || next.t !== props.t || next.canRetry !== props.canRetry || next.fallback !== props.fallback;
  }

  override componentDidMount(): void {
    this.watch();
    this.measure();
  }

  override componentDidUpdate(): void {
    this.watch();
    this.measure();
  }

  /**
   * Lays the new turn out whole for a frame while it is still off screen, then lets the browser skip it again. The
   * browser lays out content-visibility content only once it is in view (in a scrolling element, without the margin
   * it uses for the page), and it would show a turn taller or shorter than its estimate at the moment the reader
   * scrolls onto it; measured ahead, the height changes above or below the view, where scroll anchoring keeps what
   * the reader sees in place, and the measured size is remembered.
   */
  private measure(): void {
    const element = this.slot.current;
    if (this.measured || !this.shown || !element) return;
    this.measured = true;
    // An answer that streams in is laid out as it grows, in view; a very long one would make a long task of it.
    if (isActive(this.props.turn) || this.props.turn.answer.length > measureLimit) return;
    // In the next frame, not this one: the panel opening on its newest turns paints them first.
    requestAnimationFrame(() => {
      element.classList.add('turn-measure');
      requestAnimationFrame(() => element.classList.remove('turn-measure'));
    });
  }

  override componentWillUnmount(): void {
    this.stopWatching?.();
  }

  private watch(): void {
    const wanted = !this.shown && this.props.groupNear;
    if (!wanted) {
      this.stopWatching?.();
      this.stopWatching = undefined;
    } else if (!this.stopWatching && this.slot.current) {
      this.stopWatching = this.props.slots.observe(this.slot.current, (near) => {
        if (near) this.setState({ near: true });
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

/** Turns per group: a group is what is watched for coming near the view while its turns are empty slots. */
export const turnsPerGroup = 10;

function isIncomplete(turn: TurnModel): boolean {
  return turn.status === 'stopped' || turn.status === 'cut-off' || turn.status === 'error';
}

interface GroupProps extends Omit<TurnViewProps, 'turn' | 'canRetry'> {
  turns: readonly TurnModel[];
  /** Index of the group's first turn in the conversation. */
  first: number;
  /** Another answer is running: Retry is not offered. */
  busy: boolean;
  /** Index of the first turn shown at once (see firstShownAtOnce). */
  shownAtOnce: number;
  groups: TurnVisibility;
  slots: TurnVisibility;
}

/**
 * Up to `turnsPerGroup` turns. It renders again only when one of its turns changed, or something they show: a new
 * chunk of the streaming answer renders its group, not the whole conversation.
 */
export class TurnGroup extends Component<GroupProps, { near: boolean }> {
  override state = { near: false };
  private readonly element = createRef<HTMLDivElement>();
  private stopWatching: (() => void) | undefined;

  override shouldComponentUpdate(next: GroupProps, nextState: { near: boolean }): boolean {
    const props = this.props;
    if (nextState.near !== this.state.near) return true;
    if (next.turns.length !== props.turns.length || next.turns.some((turn, index) => turn !== props.turns[index])) return true;
    if (next.t !== props.t || next.fallback !== props.fallback || next.actions !== props.actions) return true;
    // Retry comes and goes only on turns that did not finish.
    if (next.busy !== props.busy && next.turns.some(isIncomplete)) return true;
    const last = next.first + next.turns.length;
    return next.shownAtOnce !== props.shownAtOnce && Math.min(next.shownAtOnce, props.shownAtOnce) < last;
  }

  override componentDidMount(): void {
    if (this.element.current) this.stopWatching = this.props.groups.observe(this.element.current, (near) => this.setState({ near }));
  }

  override componentWillUnmount(): void {
    this.stopWatching?.();
  }

  override render({ turns, first, busy, shownAtOnce, t, fallback, actions, slots }: GroupProps, { near }: { near: boolean }) {
    return (
      <div ref={this.element} class="turn-group">
        {turns.map((turn, index) => (
          <LazyTurn key={turn.id} turn={turn} t={t} fallback={fallback} actions={actions} canRetry={!busy && isIncomplete(turn)}
            atOnce={first + index >= shownAtOnce} groupNear={near} slots={slots} />
        ))}
      </div>
    );
  }
}

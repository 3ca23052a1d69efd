// The panel's state and the one place host messages change it.
//
// Messages are queued and applied together once per animation frame: a fast stream can post hundreds of
// `append`s per second, and the panel updates the DOM at most once per frame whatever arrived in it. Answer text
// goes into an IncrementalMarkdown per turn, which lexes only the unfinished tail when the view asks for it.
import {
  readHostMessage, type AnswerMode, type AnswerVersion, type InsertTarget, type Locale, type MetadataView, type ReceivedHostMessage,
  type ReceivedState, type SentContext, type SourceView, type Turn, type TurnError, type TurnStatus, type UndoView,
  type WebviewMessage,
} from '../src/shared/messages';
import { openableUrl } from '../src/shared/urls';
import { IncrementalMarkdown } from './markdown/incremental';
import type { HostApi } from './vscodeApi';

export interface TurnModel {
  readonly id: string;
  readonly question: string;
  readonly status: TurnStatus;
  readonly sources: readonly SourceView[];
  readonly metadata?: MetadataView;
  readonly mode?: AnswerMode;
  readonly error?: TurnError;
  /** The stored answer was longer than the history keeps: it ends early. */
  readonly truncatedForStorage?: boolean;
  /** What was sent after the question (a problem, terminal output, a selection). */
  readonly context?: SentContext;
  /** The answers not shown (see Turn.otherAnswers) and the shown one's place among all. */
  readonly otherAnswers?: readonly AnswerVersion[];
  readonly answerIndex?: number;
  /** The whole answer so far (for Copy and Insert); the markdown view reads `markdown`. */
  readonly answer: string;
  /**
   * When the panel learned of the question (Date.now()), for the time it has waited. The panel's own clock: the
   * host may run on another machine. A panel that reloads mid-answer counts from its reload.
   */
  readonly startedAt: number;
  readonly markdown: IncrementalMarkdown;
}

export interface Announcement {
  readonly id: number;
  readonly text: AnnouncementKind;
  readonly sources: number;
  readonly error?: string;
}

export type AnnouncementKind = 'ready' | 'stopped' | 'cut-off' | 'error';

export interface ChatModel {
  readonly ready: boolean;
  readonly locale: Locale;
  readonly hasToken: boolean;
  readonly conversationId: string;
  readonly turns: readonly TurnModel[];
  readonly draft: string;
  /** Increases when the host asks for the input to take focus. */
  readonly focusRequest: number;
  readonly announcement?: Announcement;
  /** The last edit of an earlier question can be undone (the host keeps the turns it replaced). */
  readonly undo?: UndoView;
}

const activeStatuses: ReadonlySet<TurnStatus> = new Set<TurnStatus>(['pending', 'streaming']);

export function isActive(turn: TurnModel): boolean {
  return activeStatuses.has(turn.status);
}

/** A turn from a checked message (see readHostMessage): every field is already of its type. */
function toTurnModel(turn: Turn, startedAt = Date.now()): TurnModel {
  const markdown = new IncrementalMarkdown(turn.answer);
  if (!activeStatuses.has(turn.status)) markdown.finish();
  return { ...turn, markdown, startedAt };
}

type Listener = (model: ChatModel) => void;
type Schedule = (callback: () => void) => void;

export class ChatStore {
  private current: ChatModel;
  private queue: ReceivedHostMessage[] = [];
  private scheduled = false;
  private readonly listeners = new Set<Listener>();
  private announcements = 0;

  constructor(
    private readonly host: HostApi,
    initialLocale: Locale,
    private readonly schedule: Schedule = (callback) => requestAnimationFrame(callback),
  ) {
    this.current = {
      ready: false,
      locale: initialLocale,
      hasToken: true,
      conversationId: '',
      turns: [],
      draft: host.getState().draft ?? '',
      focusRequest: 0,
    };
  }

  get model(): ChatModel {
    return this.current;
  }

  subscribe(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** A message event's data from the host: checked to the last field, queued, applied on the next frame. */
  receive(data: unknown): void {
    const message = readHostMessage(data);
    if (!message) return;
    this.queue.push(message);
    if (this.scheduled) return;
    this.scheduled = true;
    this.schedule(() => this.flush());
  }

  /** Applies every queued message, then tells the view once. */
  flush(): void {
    this.scheduled = false;
    const queue = this.queue;
    this.queue = [];
    if (queue.length === 0) return;
    for (const message of queue) {
      // One message that still fails (a bug, not bad data: that was dropped on arrival) must not take the others
      // of its frame with it. The model is replaced, not mutated, so a failed message leaves it as it was.
      try {
        this.apply(message);
      } catch (error) {
        console.error('Tejarat Chat: a host message could not be applied', message.type, error);
      }
    }
    this.notify();
  }

  // ── user intents ──────────────────────────────────────────────────────────────────────────────────────────

  get busy(): boolean {
    return this.current.turns.some(isActive);
  }

  send(): boolean {
    const question = this.current.draft.trim();
    if (!question || this.busy) return false;
    this.host.post({ type: 'ask', text: question });
    // A new question builds on the edited conversation: the host no longer offers to undo the edit.
    if (this.current.undo) this.update({ undo: undefined });
    // The question leaves the input now; if the host cannot even start it, the failure puts it back.
    this.setDraft('');
    return true;
  }

  /** Asks `text` in place of the turn's question; the host replaces that turn and every later one. */
  editQuestion(turnId: string, text: string): boolean {
    const question = text.trim();
    if (!question || !this.current.turns.some((turn) => turn.id === turnId)) return false;
    this.host.post({ type: 'editQuestion', turnId, text: question });
    return true;
  }

  /** How many turns follow this one: what an edit of its question would replace besides itself. */
  laterTurns(turnId: string): number {
    const index = this.current.turns.findIndex((turn) => turn.id === turnId);
    return index < 0 ? 0 : this.current.turns.length - index - 1;
  }

  /** Another answer to the turn's question; the one it has stays as a version. */
  regenerate(turnId: string): void {
    if (!this.busy) this.host.post({ type: 'regenerate', turnId });
  }

  selectVersion(turnId: string, index: number): void {
    if (Number.isInteger(index) && index >= 0) this.host.post({ type: 'selectVersion', turnId, index });
  }

  undoEdit(): void {
    if (!this.current.undo) return;
    this.host.post({ type: 'undoEdit' });
    // Offered once: the host's next state shows the restored turns.
    this.update({ undo: undefined });
    this.notify();
  }

  stop(): void {
    if (this.busy) this.host.post({ type: 'stop' });
  }

  retry(turnId: string): void {
    if (!this.busy) this.host.post({ type: 'retry', turnId });
  }

  newConversation(): void {
    this.host.post({ type: 'newConversation' });
  }

  setToken(): void {
    this.host.post({ type: 'setToken' });
  }

  copy(value: string): void {
    this.host.post({ type: 'copy', text: value });
  }

  insert(value: string, target: InsertTarget): void {
    this.host.post({ type: 'insert', text: value, target });
  }

  openLink(url: string): void {
    const safe = openableUrl(url);
    if (safe) this.host.post({ type: 'openLink', url: safe });
  }

  /** From the panel's search field. */
  postSearch(message: Extract<WebviewMessage, { type: 'search' | 'openSearchResult' }>): void {
    this.host.post(message);
  }

  /** A source without an address: the host shows its snippet read-only (it looks the source up itself). */
  previewSource(turnId: string, index: number): void {
    if (Number.isInteger(index) && index >= 0) this.host.post({ type: 'previewSource', turnId, index });
  }

  /** The answer in a read-only markdown editor tab (the host takes the text from its own copy). */
  openAnswer(turnId: string): void {
    this.host.post({ type: 'openAnswer', turnId });
  }

  setDraft(draft: string): void {
    if (draft === this.current.draft) return;
    this.update({ draft });
    this.host.setState({ draft });
    this.notify();
  }

  // ── host messages ─────────────────────────────────────────────────────────────────────────────────────────

  private apply(message: ReceivedHostMessage): void {
    switch (message.type) {
      case 'state':
        this.applyState(message.state);
        return;
      case 'turnStarted': {
        const turn = toTurnModel(message.turn);
        const exists = this.current.turns.some((existing) => existing.id === turn.id);
        // A retried turn comes back with its old id and starts over in place.
        const turns = exists ? this.current.turns.map((existing) => (existing.id === turn.id ? turn : existing)) : [...this.current.turns, turn];
        this.update({ turns });
        return;
      }
      case 'answerStarted':
        this.updateTurn(message.turnId, (turn) => ({
          ...turn,
          status: 'streaming',
          mode: message.mode,
        }));
        return;
      case 'append':
        this.updateTurn(message.turnId, (turn) => {
          if (!isActive(turn)) return turn; // text after the end (a late chunk after Stop) is not shown
          turn.markdown.append(message.text);
          return { ...turn, status: 'streaming', answer: turn.answer + message.text };
        });
        return;
      case 'sources':
        this.updateTurn(message.turnId, (turn) => ({ ...turn, sources: message.sources }));
        return;
      case 'turnEnded':
        this.endTurn(message);
        return;
      case 'tokenStatus':
        this.update({ hasToken: message.hasToken });
        return;
      case 'setDraft':
        this.update({ draft: message.text, focusRequest: this.current.focusRequest + 1 });
        this.host.setState({ draft: message.text });
        return;
      case 'focusInput':
        this.update({ focusRequest: this.current.focusRequest + 1 });
        return;
    }
  }

  private applyState(state: ReceivedState): void {
    // A turn still waiting keeps counting from when this panel first saw it.
    const known = new Map(this.current.turns.map((turn) => [turn.id, turn.startedAt]));
    this.update({
      ready: true,
      locale: state.locale ?? this.current.locale,
      hasToken: state.hasToken,
      conversationId: state.conversation.id,
      turns: state.conversation.turns.map((turn) => toTurnModel(turn, known.get(turn.id))),
      undo: state.undo,
    });
  }

  private endTurn(message: Extract<ReceivedHostMessage, { type: 'turnEnded' }>): void {
    let ended: TurnModel | undefined;
    this.updateTurn(message.turnId, (turn) => {
      turn.markdown.finish();
      ended = {
        ...turn,
        status: message.status,
        metadata: message.metadata ?? turn.metadata,
        mode: message.mode ?? turn.mode,
        error: message.error,
      };
      return ended;
    });
    if (!ended) return;
    const isLast = this.current.turns.at(-1)?.id === ended.id;
    // Sending failed outright: the question goes back into the input, unless the user already typed another.
    if (ended.status === 'error' && ended.answer === '' && isLast && this.current.draft === '') {
      this.update({ draft: ended.question });
      this.host.setState({ draft: ended.question });
    }
    const kind: AnnouncementKind = ended.status === 'stopped' || ended.status === 'cut-off' || ended.status === 'error'
      ? ended.status : 'ready';
    this.announcements += 1;
    this.update({
      announcement: { id: this.announcements, text: kind, sources: ended.sources.length, error: ended.error?.message },
    });
  }

  private updateTurn(turnId: string, change: (turn: TurnModel) => TurnModel): void {
    let changed = false;
    const turns = this.current.turns.map((turn) => {
      if (turn.id !== turnId) return turn;
      const next = change(turn);
      changed ||= next !== turn;
      return next;
    });
    if (changed) this.update({ turns });
  }

  private update(change: Partial<ChatModel>): void {
    this.current = { ...this.current, ...change };
  }

  private notify(): void {
    for (const listener of this.listeners) listener(this.current);
  }
}

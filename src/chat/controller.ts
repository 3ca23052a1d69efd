// Runs questions against the core and keeps the conversation. Knows nothing about webviews: it emits
// `HostMessage`s (appended text only, never the whole transcript per chunk) and the views forward them.
import * as vscode from 'vscode';
import type { AskEvent, CoreErrorInfo, Source } from '../core/types';
import { allAnswers, withAnswer, type ChatState, type ConversationView, type HostMessage, type Locale, type SentContext, type SourceView, type Turn, type TurnError } from '../shared/messages';
import { openableUrl } from '../shared/urls';
import { queryWithContext } from '../ask/context';
import { readSettings } from '../config';
import { questionLanguage } from '../shared/direction';
import type { TokenStore } from '../secrets';
import type { CoreClientProvider } from './clientProvider';
import { type Conversation, type ConversationStore, newId, titleFrom } from './conversationStore';
import { errorSentence, type Translate } from './errorText';

export interface AskInput {
  /** What is sent to the core and shown as the question. */
  query: string;
  /** The user's own words, used to pick the answer language (the query may also carry code). */
  userText?: string;
  /** Sent after the query (a problem, terminal output) and shown under the question. */
  context?: SentContext;
}

/** What the status bar shows besides the token and streaming state. */
export interface ActivityState {
  busy: boolean;
  /** The last request failed to reach the core; cleared by the next success. */
  offline: boolean;
}

/** What an edit of an earlier question replaced, kept in memory so the edit can be undone. */
interface Replaced {
  conversationId: string;
  turnId: string;
  index: number;
  turns: Turn[];
  coreConversationId: string | undefined;
}

interface Running {
  turn: Turn;
  conversation: Conversation;
  abort: AbortController;
  done: Promise<void>;
}

export class ChatController implements vscode.Disposable {
  private readonly messages = new vscode.EventEmitter<HostMessage>();
  readonly onMessage = this.messages.event;
  private readonly activity = new vscode.EventEmitter<ActivityState>();
  readonly onActivity = this.activity.event;
  private running: Running | undefined;
  private offline = false;
  /** A question that failed with 401/403, sent again once a token is stored. */
  private keptForToken: { conversationId: string; turnId: string } | undefined;
  private readonly disposables: vscode.Disposable[] = [];
  private disposed = false;
  /** The last edit's replaced turns; only in memory: undo lasts while the window does, not across a reload. */
  private replaced: Replaced | undefined;

  constructor(
    private readonly store: ConversationStore,
    private readonly clients: CoreClientProvider,
    private readonly tokens: TokenStore,
    private readonly log: vscode.LogOutputChannel,
    private readonly locale: () => Locale,
    /** `vscode.l10n.t`, or the test API's forced display language: error sentences follow the panel's locale. */
    private readonly translate: Translate = vscode.l10n.t,
  ) {
    this.disposables.push(
      this.messages,
      this.activity,
      tokens.onDidChange((hasToken) => {
        this.messages.fire({ type: 'tokenStatus', hasToken });
        if (hasToken) this.resendKeptQuestion();
      }),
    );
  }

  get busy(): boolean {
    return this.running !== undefined;
  }

  get activityState(): ActivityState {
    return { busy: this.busy, offline: this.offline };
  }

  /** Resolves once the stored history is read; the state before that is an empty conversation. */
  ready(): Promise<void> {
    return this.store.ready();
  }

  /** The whole state, sent when a view opens or reloads and when the conversation changes. */
  async state(): Promise<ChatState> {
    await this.store.ready();
    const hasToken = (await this.tokens.get()) !== undefined;
    return this.snapshot(hasToken);
  }

  /**
   * The state now, synchronously: a caller that posts it in the same turn of the event loop knows no `append`
   * fired between the snapshot and the post (which would show that text twice).
   */
  snapshot(hasToken: boolean): ChatState {
    const conversation = this.store.current();
    const replaced = this.replaced;
    const undo = replaced && replaced.conversationId === conversation.id ? { turnId: replaced.turnId, replaced: replaced.turns.length } : undefined;
    return { locale: this.locale(), hasToken, conversation: view(conversation), ...(undo ? { undo } : {}) };
  }

  conversation(): ConversationView {
    return view(this.store.current());
  }

  /** The last finished answer with text, in the open conversation. */
  lastAnswer(): string | undefined {
    const turns = this.store.current().turns;
    for (let index = turns.length - 1; index >= 0; index--) {
      const turn = turns[index];
      if (turn && turn.answer !== '' && turn.status !== 'pending' && turn.status !== 'streaming') return turn.answer;
    }
    return undefined;
  }

  /**
   * Asks one question in the open conversation and resolves with its turn once the answer ended (or undefined when
   * the user cancelled the token prompt). A question already streaming is stopped first.
   */
  async ask(input: AskInput, keepUndo = false): Promise<Turn | undefined> {
    const query = input.query.trim();
    if (query === '' || this.disposed) return undefined;
    await this.store.ready();
    await this.stop();
    // A new question after an edit builds on the edited conversation: undoing the edit would drop it too.
    if (!keepUndo) this.replaced = undefined;

    if ((await this.tokens.get()) === undefined) {
      const token = await this.tokens.prompt(vscode.l10n.t('Tejarat needs an access token to answer. Paste it here; it is kept in VS Code\'s secret storage only.'));
      if (token === undefined) {
        // Keep the words the user typed: the input gets them back.
        this.messages.fire({ type: 'setDraft', text: query });
        return undefined;
      }
    }

    // Another question may have started while this one waited for the token: one answer runs at a time.
    while (this.running) await this.stop();
    if (this.disposed) return undefined;

    const conversation = this.store.current();
    const turn: Turn = { id: newId(), question: query, answer: '', status: 'pending', sources: [], ...(input.context ? { context: input.context } : {}) };
    conversation.turns.push(turn);
    conversation.updatedAt = Date.now();
    if (conversation.title === '') conversation.title = titleFrom(input.userText ?? query);
    this.messages.fire({ type: 'turnStarted', turn: { ...turn } });
    this.store.saveSoon(conversation);
    return this.runTurn(turn, conversation, input.userText ?? query, true);
  }

  /** Runs a turn already in the conversation (and in the panel) and resolves with it once its answer ended. */
  private async runTurn(turn: Turn, conversation: Conversation, userText: string, followUp: boolean): Promise<Turn> {
    const abort = new AbortController();
    let finish: () => void = () => undefined;
    const done = new Promise<void>((resolve) => (finish = resolve));
    this.running = { turn, conversation, abort, done };
    this.activity.fire(this.activityState);
    try {
      await this.run(turn, conversation, userText, abort.signal, followUp);
    } finally {
      this.running = undefined;
      finish();
      this.activity.fire(this.activityState);
      await this.store.save(conversation).then(undefined, (error: unknown) => this.log.error(`Saving the conversation failed: ${String(error)}`));
    }
    return { ...turn };
  }

  private async run(turn: Turn, conversation: Conversation, userText: string, signal: AbortSignal, followUp: boolean): Promise<void> {
    const started = Date.now();
    const result = await this.clients.get();
    if (!result.ok) {
      this.endTurn(turn, 'error', { kind: 'config', message: result.message });
      void vscode.window.showErrorMessage(result.message, vscode.l10n.t('Open Settings')).then((choice) => {
        if (choice) void vscode.commands.executeCommand('workbench.action.openSettings', 'tejarat.coreUrl');
      });
      return;
    }
    const settings = readSettings();
    const language = questionLanguage(userText, settings.language, vscode.env.language);
    const coreId = followUp ? conversation.coreConversationId : undefined;
    this.log.info(`Asking ${result.baseUrl} (language ${language}, ${turn.question.length} characters${coreId ? ', follow-up' : ''}).`);
    this.log.trace(`Question: ${turn.question}`);

    let error: CoreErrorInfo | undefined;
    let unreadable = false;
    let firstChunkAt: number | undefined;
    try {
      const events: AsyncIterable<AskEvent> = result.client.ask(
        { query: queryWithContext(turn.question, turn.context), language, ...(coreId ? { conversationId: coreId } : {}) },
        { signal },
      );
      for await (const event of events) {
        switch (event.type) {
          case 'start':
            turn.mode = event.mode;
            conversation.coreConversationId ??= event.conversationId;
            this.messages.fire({ type: 'answerStarted', turnId: turn.id, mode: event.mode });
            break;
          case 'chunk':
            firstChunkAt ??= Date.now();
            turn.answer += event.content;
            turn.status = 'streaming';
            this.messages.fire({ type: 'append', turnId: turn.id, text: event.content });
            this.store.saveSoon(conversation);
            break;
          case 'sources':
            turn.sources = event.sources.map(toSourceView);
            this.messages.fire({ type: 'sources', turnId: turn.id, sources: turn.sources });
            break;
          case 'end':
            turn.mode = event.mode;
            turn.metadata = { ...event.metadata };
            break;
          case 'error':
            error = event.error;
            break;
        }
      }
    } catch (thrown) {
      // The client promises not to throw for I/O; anything else is a bug worth a clear message, not a stuck turn.
      unreadable = true;
      this.log.error(`Unexpected failure while reading the answer: ${thrown instanceof Error ? thrown.stack ?? thrown.message : String(thrown)}`);
    }

    const timing = `${Date.now() - started} ms${firstChunkAt ? `, first text after ${firstChunkAt - started} ms` : ''}`;
    if (signal.aborted) {
      // Aborted by the window closing, not by the user: it comes back cut off, with Retry.
      if (this.disposed && turn.answer !== '') {
        this.endTurn(turn, 'cut-off');
        return;
      }
      this.log.info(`Answer stopped by the user (${timing}).`);
      this.endTurn(turn, 'stopped');
      return;
    }
    if (unreadable) {
      this.setOffline(false);
      const message = this.translate('The answer could not be read.', {});
      this.endTurn(turn, turn.answer !== '' ? 'cut-off' : 'error', { kind: 'protocol', message });
      return;
    }
    if (!error) {
      this.setOffline(false);
      this.log.info(`Answer done via ${turn.mode ?? 'unknown'} (${turn.answer.length} characters, ${timing}).`);
      this.log.debug(`Answer: ${turn.answer}`);
      this.endTurn(turn, 'done');
      return;
    }
    if (error.kind === 'cancelled') {
      this.log.info(`Answer stopped by the user (${timing}).`);
      this.endTurn(turn, 'stopped');
      return;
    }
    this.setOffline(error.kind === 'network' || error.kind === 'timeout');
    this.log.warn(`Answer failed: ${error.kind}${error.status ? ` (HTTP ${error.status})` : ''}: ${error.message} (${timing}).`);
    const message = errorSentence(error, this.translate);
    this.endTurn(turn, error.partial ? 'cut-off' : 'error', { kind: error.kind, message });
    if (error.kind === 'auth') this.askForToken(conversation, turn, message);
  }

  private endTurn(turn: Turn, status: Turn['status'], error?: TurnError): void {
    turn.status = status;
    if (error) turn.error = error;
    this.messages.fire({
      type: 'turnEnded',
      turnId: turn.id,
      status,
      ...(turn.metadata ? { metadata: turn.metadata } : {}),
      ...(turn.mode ? { mode: turn.mode } : {}),
      ...(error ? { error } : {}),
    });
  }

  private askForToken(conversation: Conversation, turn: Turn, message: string): void {
    this.keptForToken = { conversationId: conversation.id, turnId: turn.id };
    const setToken = vscode.l10n.t('Set Access Token');
    void vscode.window
      .showErrorMessage(vscode.l10n.t('{0} Your question is kept and will be sent again once a token is set.', message), setToken)
      .then((choice) => {
        if (choice === setToken) void vscode.commands.executeCommand('tejarat.setToken');
      });
  }

  private resendKeptQuestion(): void {
    const kept = this.keptForToken;
    this.keptForToken = undefined;
    if (!kept || this.disposed) return;
    const conversation = this.store.get(kept.conversationId);
    if (!conversation || this.store.current() !== conversation) return;
    this.log.info('Access token set: sending the kept question again.');
    void this.retry(kept.turnId);
  }

  /**
   * Asks a turn's question again. The last turn is replaced (its failed answer goes away); an earlier one is asked
   * again as a new turn, so the conversation's order stays true.
   */
  async retry(turnId: string): Promise<Turn | undefined> {
    await this.store.ready();
    const conversation = this.store.current();
    const index = conversation.turns.findIndex((turn) => turn.id === turnId);
    const turn = conversation.turns[index];
    if (!turn) return undefined;
    if (this.running?.turn.id === turnId) return undefined;
    if (index === conversation.turns.length - 1) {
      conversation.turns.splice(index, 1);
      await this.publishState();
    }
    return this.ask({ query: turn.question, ...(turn.context ? { context: turn.context } : {}) });
  }

  /**
   * Asks `text` in place of an earlier question: that turn and every later one leave the conversation (kept in
   * memory for `undoEdit`) and the edited question is asked as the conversation's new last turn. Its sent context,
   * if any, goes with it again.
   */
  async editQuestion(turnId: string, text: string): Promise<Turn | undefined> {
    const query = text.trim();
    if (query === '' || this.disposed) return undefined;
    await this.store.ready();
    await this.stop();
    const conversation = this.store.current();
    const index = conversation.turns.findIndex((turn) => turn.id === turnId);
    const turn = conversation.turns[index];
    if (!turn) return undefined;
    this.replaced = {
      conversationId: conversation.id,
      turnId,
      index,
      turns: conversation.turns.splice(index),
      coreConversationId: conversation.coreConversationId,
    };
    // The core remembers everything asked under its conversation id, the replaced questions and answers too, and
    // cannot be told to forget them: the edited question starts a new core conversation, so its answer never
    // leans on turns the user threw away. The turns kept above it stay on screen but are no longer known to the
    // core; that is the lesser harm than an answer shaped by a question that is no longer there.
    delete conversation.coreConversationId;
    conversation.updatedAt = Date.now();
    this.log.info(`Question edited: ${this.replaced.turns.length} turns replaced, asked in a new core conversation.`);
    await this.publishState();
    return this.ask({ query, ...(turn.context ? { context: turn.context } : {}) }, true);
  }

  /** Brings back the turns the last edit replaced (the edited question and its answer go). False if none. */
  async undoEdit(): Promise<boolean> {
    await this.store.ready();
    const replaced = this.replaced;
    if (!replaced || this.store.current().id !== replaced.conversationId) return false;
    await this.stop();
    // Stopping may have let another request run to its end; only the edit this undo was offered for is undone.
    if (this.replaced !== replaced) return false;
    this.replaced = undefined;
    const conversation = this.store.current();
    conversation.turns.splice(replaced.index, conversation.turns.length - replaced.index, ...replaced.turns);
    // The core still remembers the restored turns under their own conversation id.
    if (replaced.coreConversationId === undefined) delete conversation.coreConversationId;
    else conversation.coreConversationId = replaced.coreConversationId;
    conversation.updatedAt = Date.now();
    this.log.info(`Edit undone: ${replaced.turns.length} turns restored.`);
    await this.publishState();
    return true;
  }

  /**
   * Asks a turn's question again for another answer; the answer it had stays as a version the panel can switch
   * back to. The last turn is asked as a follow-up in the core's conversation (the turns above it shaped its
   * answer, and the core seeing the question twice is what "try again" means); an earlier turn is asked without
   * the conversation id, since the core's memory holds the turns after it, which its answer must not lean on.
   */
  async regenerate(turnId: string): Promise<Turn | undefined> {
    if (this.disposed) return undefined;
    await this.store.ready();
    await this.stop();
    const conversation = this.store.current();
    const index = conversation.turns.findIndex((turn) => turn.id === turnId);
    const turn = conversation.turns[index];
    if (!turn || this.disposed) return undefined;
    const versions = allAnswers(turn);
    delete turn.metadata;
    delete turn.mode;
    delete turn.error;
    delete turn.truncatedForStorage;
    Object.assign(turn, { answer: '', status: 'pending', sources: [], otherAnswers: versions, answerIndex: versions.length });
    conversation.updatedAt = Date.now();
    this.messages.fire({ type: 'turnStarted', turn: { ...turn } });
    this.store.saveSoon(conversation);
    return this.runTurn(turn, conversation, turn.question, index === conversation.turns.length - 1);
  }

  /** Shows a turn's answer number `index` (from 0). False when there is no such answer or it is being written. */
  async selectVersion(turnId: string, index: number): Promise<boolean> {
    await this.store.ready();
    const conversation = this.store.current();
    const position = conversation.turns.findIndex((turn) => turn.id === turnId);
    const turn = conversation.turns[position];
    if (!turn || this.running?.turn === turn) return false;
    const chosen = withAnswer(turn, index);
    if (chosen === turn) return false;
    conversation.turns[position] = chosen;
    await this.publishState();
    return true;
  }

  /** Stops the running answer (its partial text stays) and waits until it has ended. */
  async stop(): Promise<void> {
    const running = this.running;
    if (!running) return;
    this.log.info('Stopping the running answer.');
    running.abort.abort();
    await running.done;
  }

  async newConversation(): Promise<void> {
    await this.store.ready();
    await this.stop();
    this.store.create();
    await this.publishState();
  }

  async openConversation(id: string): Promise<boolean> {
    await this.store.ready();
    if (this.store.current().id === id) return true;
    await this.stop();
    if (!(await this.store.open(id))) return false;
    await this.publishState();
    return true;
  }

  async deleteConversation(id: string): Promise<void> {
    if (this.store.current().id === id) await this.stop();
    await this.store.delete(id);
    await this.publishState();
  }

  private async publishState(): Promise<void> {
    await this.store.save();
    const hasToken = (await this.tokens.get()) !== undefined;
    this.messages.fire({ type: 'state', state: this.snapshot(hasToken) });
  }

  private setOffline(offline: boolean): void {
    if (this.offline === offline) return;
    this.offline = offline;
    this.activity.fire(this.activityState);
  }

  /** Aborts everything at once; nothing waits for the core. */
  dispose(): void {
    this.disposed = true;
    this.running?.abort.abort();
    for (const disposable of this.disposables) disposable.dispose();
  }
}

function view(conversation: Conversation): ConversationView {
  return {
    id: conversation.id,
    title: conversation.title,
    turns: conversation.turns.map((turn) => ({ ...turn, sources: [...turn.sources], ...(turn.otherAnswers ? { otherAnswers: [...turn.otherAnswers] } : {}) })),
  };
}

/** The client already applied the URL policy; applied again here because the webview shows this field as a link. */
function toSourceView(source: Source): SourceView {
  const { url, ...rest } = source;
  const openable = openableUrl(url);
  return openable ? { ...rest, url: openable } : rest;
}

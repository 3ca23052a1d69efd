// Conversations of this workspace (or of windows without a folder), one file each in the extension's storage folder,
// with a small index (ids, titles, times, sizes) in a memento so the history list needs no file reads. Saving writes
// the one conversation that changed and the index, so its cost does not grow with the rest of the history. An answer
// in progress is saved every few seconds: a crash loses at most that much, and the answer comes back cut off.
//
// Only types come from `vscode`: the store runs unchanged in plain Node tests and benchmarks.
import type { Turn } from '../shared/messages';
import { fitConversation, fitTurn, STORAGE_LIMITS, type StorageLimits } from './storage/caps';
import { type Conversation, isInvalid, isSafeId, parseConversationFile, readConversationFields, readTurn } from './storage/format';
import { ConversationFolder, TooLarge } from './storage/folder';

export type { Conversation } from './storage/format';

/** The part of vscode.Memento the store uses. */
export interface KeyValueStore {
  get<T>(key: string): T | undefined;
  update(key: string, value: unknown): Thenable<void>;
}

export interface StoreLog {
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

/** A file that could not be read and was renamed, not deleted. */
export interface SetAside {
  id: string;
  /** Where it is now. */
  path: string;
  problem: 'corrupt' | 'newer';
  reason: string;
}

export interface ConversationSummary {
  id: string;
  title: string;
  createdAt: number;
  updatedAt: number;
  /** Size of its file. */
  bytes: number;
  turns: number;
}

interface Index {
  version: 1;
  currentId?: string;
  entries: ConversationSummary[];
}

export interface StoreOptions {
  memento: KeyValueStore;
  /** The folder of conversation files. */
  folder: string;
  log: StoreLog;
  onSetAside?: (aside: SetAside) => void;
  limits?: StorageLimits;
  /** How often an answer in progress is written. */
  progressIntervalMs?: number;
}

/** The memento key of the index. */
export const INDEX_KEY = 'tejarat.history';
/** Where the history lived before it had files: all conversations in one memento value. Read once, to migrate. */
export const LEGACY_KEY = 'tejarat.conversations';

export const LIMITS = STORAGE_LIMITS;

export class ConversationStore {
  private readonly folder: ConversationFolder;
  private readonly limits: StorageLimits;
  private readonly index = new Map<string, ConversationSummary>();
  /** Conversations read from disk or created in this session. */
  private readonly loaded = new Map<string, Conversation>();
  private currentId: string | undefined;
  private loading: Promise<void> | undefined;
  private isLoaded = false;
  /** One chain of file operations per conversation, so writes land in order and never race a removal. */
  private readonly chains = new Map<string, Promise<void>>();
  private readonly timers = new Map<string, ReturnType<typeof setTimeout>>();
  private indexWrite: Promise<void> = Promise.resolve();
  private readonly warned = new Map<string, string>();

  constructor(private readonly options: StoreOptions) {
    this.folder = new ConversationFolder(options.folder);
    this.limits = options.limits ?? STORAGE_LIMITS;
  }

  get path(): string {
    return this.folder.path;
  }

  /**
   * Whether there is any stored history, from the memento alone (no file read): cheap enough for activation.
   */
  hasHistory(): boolean {
    const index = this.options.memento.get<Partial<Index>>(INDEX_KEY);
    if (index && Array.isArray(index.entries)) return index.entries.length > 0;
    const legacy = this.options.memento.get<{ conversations?: unknown }>(LEGACY_KEY);
    return Array.isArray(legacy?.conversations) && legacy.conversations.length > 0;
  }

  /** Resolves once the index and the open conversation are read. Starts reading on the first call. */
  ready(): Promise<void> {
    this.loading ??= this.load().catch((error: unknown) => {
      // Storage that cannot be read must not take the chat down: it starts empty and says why in the log.
      this.options.log.error(`Reading the conversation history failed: ${describe(error)}`);
    }).then(() => {
      this.isLoaded = true;
    });
    return this.loading;
  }

  /** Newest first; conversations with at least one question. */
  list(): ConversationSummary[] {
    return [...this.index.values()].filter((entry) => entry.turns > 0).sort((a, b) => b.updatedAt - a.updatedAt);
  }

  get(id: string): Conversation | undefined {
    return this.loaded.get(id);
  }

  /** The open conversation; a new empty one when there is none. Empty conversations are not stored. */
  current(): Conversation {
    const found = this.currentId === undefined ? undefined : this.loaded.get(this.currentId);
    return found ?? this.create();
  }

  create(): Conversation {
    const now = Date.now();
    const conversation: Conversation = { id: newId(), title: '', createdAt: now, updatedAt: now, turns: [] };
    this.loaded.set(conversation.id, conversation);
    this.currentId = conversation.id;
    return conversation;
  }

  /** Makes a stored conversation the open one, reading it from disk if needed. Undefined if it cannot be read. */
  async open(id: string): Promise<Conversation | undefined> {
    await this.ready();
    const conversation = this.loaded.get(id) ?? (await this.readStored(id));
    if (!conversation) {
      void this.writeIndex();
      return undefined;
    }
    this.currentId = id;
    void this.writeIndex();
    return conversation;
  }

  /** A stored conversation as a fresh window would show it, without opening it. */
  async read(id: string): Promise<Conversation | undefined> {
    await this.ready();
    return this.loaded.get(id) ?? this.readStored(id, false);
  }

  async delete(id: string): Promise<void> {
    await this.ready();
    this.cancelTimer(id);
    this.loaded.delete(id);
    this.index.delete(id);
    if (this.currentId === id) this.currentId = undefined;
    await Promise.all([this.chain(id, () => this.folder.remove(id)), this.writeIndex()]);
  }

  /**
   * Writes one conversation (the open one by default) and the index, then drops the oldest conversations over the
   * caps. Called when an answer ends or the conversation changes.
   */
  async save(conversation?: Conversation, durable = true): Promise<void> {
    // Before the stored index is read, writing one would replace it.
    await this.ready();
    conversation ??= this.current();
    this.cancelTimer(conversation.id);
    if (!isSafeId(conversation.id)) throw new Error('a conversation id unfit for a file name');
    let write: Promise<void> = Promise.resolve();
    // A conversation emptied for a moment (Retry of its only question) keeps its file until it has turns again:
    // removing it now would lose the question if the window closed before the new answer's first save.
    if (conversation.turns.length > 0 && this.loaded.get(conversation.id) === conversation) {
      const fitted = fitConversation(conversation, this.limits);
      this.noteCaps(conversation, fitted.shortened, fitted.dropped);
      const text = fitted.text;
      write = this.chain(conversation.id, () => this.folder.write(conversation.id, text, durable));
      this.index.set(conversation.id, {
        id: conversation.id,
        title: conversation.title,
        createdAt: conversation.createdAt,
        updatedAt: conversation.updatedAt,
        bytes: fitted.bytes,
        turns: fitted.turns,
      });
      this.evict(conversation.id);
    }
    await write;
    await this.writeIndex();
  }

  /** Schedules a save of an answer in progress; at most one per interval, whatever the number of chunks. */
  saveSoon(conversation: Conversation): void {
    if (this.timers.has(conversation.id)) return;
    const timer = setTimeout(() => {
      this.timers.delete(conversation.id);
      this.save(conversation, false).catch((error: unknown) => this.options.log.error(`Saving the answer in progress failed: ${describe(error)}`));
    }, this.options.progressIntervalMs ?? 2_000);
    timer.unref?.();
    this.timers.set(conversation.id, timer);
  }

  /** Writes what is scheduled now and waits for every write; for deactivation. */
  async flush(): Promise<void> {
    const pending = [...this.timers.keys()];
    for (const id of pending) {
      this.cancelTimer(id);
      const conversation = this.loaded.get(id);
      if (conversation) await this.save(conversation, true);
    }
    await Promise.all([...this.chains.values(), this.indexWrite]);
  }

  private cancelTimer(id: string): void {
    const timer = this.timers.get(id);
    if (timer !== undefined) clearTimeout(timer);
    this.timers.delete(id);
  }

  private chain(id: string, operation: () => Promise<void>): Promise<void> {
    const previous = this.chains.get(id) ?? Promise.resolve();
    const next = previous.then(operation, operation);
    const settled = next.then(
      () => undefined,
      () => undefined,
    );
    this.chains.set(id, settled);
    void settled.then(() => {
      if (this.chains.get(id) === settled) this.chains.delete(id);
    });
    return next;
  }

  /**
   * The index as it is now, written after the writes before it. Never rejects: a failed index write is logged, and
   * the next start rebuilds what it lacks from the files.
   */
  private writeIndex(): Promise<void> {
    const index: Index = { version: 1, entries: [...this.index.values()] };
    const current = this.currentId;
    if (current !== undefined && (this.index.has(current) || !this.isLoaded)) index.currentId = current;
    this.indexWrite = this.indexWrite
      .then(() => this.options.memento.update(INDEX_KEY, index))
      .then(undefined, (error: unknown) => this.options.log.error(`Saving the history index failed: ${describe(error)}`));
    return this.indexWrite;
  }

  /** Oldest first out, until the count and the total size fit; the conversation just saved and the open one stay. */
  private evict(keep: string): void {
    const entries = [...this.index.values()].sort((a, b) => b.updatedAt - a.updatedAt);
    let total = entries.reduce((sum, entry) => sum + entry.bytes, 0);
    let count = entries.length;
    for (let position = entries.length - 1; position >= 0; position--) {
      if (count <= this.limits.conversations && total <= this.limits.totalBytes) break;
      const entry = entries[position];
      if (!entry || entry.id === keep || entry.id === this.currentId) continue;
      this.index.delete(entry.id);
      this.loaded.delete(entry.id);
      this.cancelTimer(entry.id);
      total -= entry.bytes;
      count -= 1;
      this.options.log.info(`History over its limits: removed the oldest conversation "${entry.title}" (${entry.bytes} bytes).`);
      void this.chain(entry.id, () => this.folder.remove(entry.id)).catch((error: unknown) =>
        this.options.log.error(`Removing an old conversation failed: ${describe(error)}`),
      );
    }
  }

  private noteCaps(conversation: Conversation, shortened: number, dropped: number): void {
    const note = `${shortened}/${dropped}`;
    if (note === '0/0' || this.warned.get(conversation.id) === note) return;
    this.warned.set(conversation.id, note);
    this.options.log.warn(
      `Conversation "${conversation.title}" is over the history's limits: ${shortened} answers kept shortened (marked in the chat), ${dropped} oldest questions not kept.`,
    );
  }

  private async load(): Promise<void> {
    const { memento, log } = this.options;
    const saved = memento.get<unknown>(INDEX_KEY);
    let currentId: string | undefined;
    let dirty = false;
    let legacyMoved = false;
    if (saved !== undefined) {
      const index = readIndex(saved);
      if (index) {
        for (const entry of index.entries) this.index.set(entry.id, entry);
        currentId = index.currentId;
      } else {
        log.warn('The history index was unreadable; it is rebuilt from the conversation files.');
        dirty = true;
      }
    } else if (memento.get(LEGACY_KEY) !== undefined) {
      const migrated = await this.migrate(memento.get<unknown>(LEGACY_KEY));
      if (migrated) {
        currentId = migrated.currentId;
        dirty = true;
        legacyMoved = true;
      }
    }

    // The files are the truth: the index may lag behind them after a crash, or be shared by windows without a folder.
    const onDisk = new Set(await this.folder.ids());
    for (const id of [...this.index.keys()]) {
      if (!onDisk.has(id)) {
        this.index.delete(id);
        dirty = true;
      }
    }
    for (const id of onDisk) {
      if (this.index.has(id)) continue;
      const conversation = await this.readStored(id, false);
      if (conversation) {
        this.summarize(conversation);
        dirty = true;
      }
    }

    if (currentId !== undefined && this.index.has(currentId) && !this.loaded.has(currentId)) {
      await this.readStored(currentId);
    }
    // A question asked before the history was read (it cannot be: asking waits for it) would be lost by switching.
    const open = this.currentId === undefined ? undefined : this.loaded.get(this.currentId);
    if (currentId !== undefined && this.loaded.has(currentId) && (!open || open.turns.length === 0)) {
      if (open && open.id !== currentId) this.loaded.delete(open.id);
      this.currentId = currentId;
    }
    if (dirty) {
      this.isLoaded = true;
      await this.writeIndex();
    }
    if (legacyMoved) {
      // Only once the files and the index are written: a crash before this point migrates again from the start.
      await memento.update(LEGACY_KEY, undefined);
    }
  }

  private summarize(conversation: Conversation, bytes?: number): void {
    this.index.set(conversation.id, {
      id: conversation.id,
      title: conversation.title,
      createdAt: conversation.createdAt,
      updatedAt: conversation.updatedAt,
      bytes: bytes ?? fitConversation(conversation, this.limits).bytes,
      turns: conversation.turns.length,
    });
  }

  /**
   * Reads, checks and keeps one stored conversation. A file that fails is set aside and leaves the index; the
   * caller shows the rest of the history.
   */
  private async readStored(id: string, keep = true): Promise<Conversation | undefined> {
    if (!isSafeId(id)) return undefined;
    let text: string | undefined;
    try {
      text = await this.folder.read(id, this.limits.conversationBytes * 2);
    } catch (error) {
      if (error instanceof TooLarge) {
        await this.setAside(id, 'corrupt', error.message);
        return undefined;
      }
      this.options.log.error(`Reading conversation ${id} failed: ${describe(error)}`);
      return undefined;
    }
    if (text === undefined) {
      this.index.delete(id);
      return undefined;
    }
    const result = parseConversationFile(text, id, this.limits.conversationBytes);
    if (!result.ok) {
      if (result.problem === 'newer') await this.setAside(id, 'newer', `it was written by a newer version (format ${result.version})`, result.version);
      else await this.setAside(id, 'corrupt', result.reason);
      return undefined;
    }
    const conversation = result.conversation;
    conversation.turns = conversation.turns.map((turn) => interrupted(fitTurn(turn, this.limits)));
    if (keep) this.loaded.set(id, conversation);
    return conversation;
  }

  private async setAside(id: string, problem: SetAside['problem'], reason: string, version?: number): Promise<void> {
    this.index.delete(id);
    this.loaded.delete(id);
    const label = problem === 'newer' ? `v${version ?? 'new'}` : `corrupt-${stamp(new Date())}`;
    let path: string | undefined;
    try {
      await this.chain(id, async () => {
        path = await this.folder.setAside(id, label);
      });
    } catch (error) {
      this.options.log.error(`Setting aside the unreadable conversation file ${this.folder.fileOf(id)} failed: ${describe(error)}`);
      return;
    }
    if (path === undefined) return;
    this.options.log.warn(`The conversation file ${this.folder.fileOf(id)} could not be read (${reason}); it was kept as ${path} and left out of the history.`);
    this.options.onSetAside?.({ id, path, problem, reason });
  }

  /** The history as the memento held it before files: each conversation checked, repaired where it safely can be. */
  private async migrate(legacy: unknown): Promise<{ currentId?: string } | undefined> {
    const { log } = this.options;
    const value = legacy as { version?: unknown; currentId?: unknown; conversations?: unknown } | null;
    if (typeof value !== 'object' || value === null || value.version !== 1 || !Array.isArray(value.conversations)) {
      log.warn('The earlier conversation history is in a format this version does not know; it was left as it is.');
      return undefined;
    }
    let moved = 0;
    let skipped = 0;
    for (const raw of value.conversations) {
      const conversation = repairLegacy(raw);
      if (!conversation || !isSafeId(conversation.id) || conversation.turns.length === 0) {
        skipped += 1;
        continue;
      }
      conversation.turns = conversation.turns.map(interrupted);
      const fitted = fitConversation(conversation, this.limits);
      await this.chain(conversation.id, () => this.folder.write(conversation.id, fitted.text, false));
      this.summarize(conversation, fitted.bytes);
      moved += 1;
    }
    const newest = [...this.index.values()].sort((a, b) => b.updatedAt - a.updatedAt)[0];
    if (newest) this.evict(newest.id);
    log.info(`Moved ${moved} conversations from the earlier history format to ${this.folder.path}${skipped ? ` (${skipped} unreadable or empty ones left out)` : ''}.`);
    return typeof value.currentId === 'string' ? { currentId: value.currentId } : {};
  }
}

/** A turn that was waiting or streaming when its window closed did not finish: it says so, with Retry. */
function interrupted(turn: Turn): Turn {
  if (turn.status !== 'pending' && turn.status !== 'streaming') return turn;
  return { ...turn, status: turn.answer ? 'cut-off' : 'stopped' };
}

function readIndex(value: unknown): Index | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const index = value as Partial<Index>;
  if (index.version !== 1 || !Array.isArray(index.entries)) return undefined;
  const entries: ConversationSummary[] = [];
  for (const entry of index.entries as unknown[]) {
    const candidate = entry as Partial<ConversationSummary> | null;
    if (
      typeof candidate !== 'object' || candidate === null
      || typeof candidate.id !== 'string' || !isSafeId(candidate.id)
      || typeof candidate.title !== 'string'
      || !isFiniteNumber(candidate.createdAt) || !isFiniteNumber(candidate.updatedAt)
      || !isFiniteNumber(candidate.bytes) || !isFiniteNumber(candidate.turns)
    ) {
      return undefined;
    }
    entries.push({ id: candidate.id, title: candidate.title, createdAt: candidate.createdAt, updatedAt: candidate.updatedAt, bytes: candidate.bytes, turns: candidate.turns });
  }
  return { version: 1, entries, ...(typeof index.currentId === 'string' ? { currentId: index.currentId } : {}) };
}

function isFiniteNumber(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value);
}

/**
 * An earlier version stored what it had in memory, unchecked: a turn without `sources`, or with an answer that is
 * not text, was possible. What can be repaired is; a turn that still fails the check is left out.
 */
function repairLegacy(raw: unknown): Conversation | undefined {
  if (typeof raw !== 'object' || raw === null) return undefined;
  const source = raw as Record<string, unknown>;
  if (typeof source.id !== 'string' || !Array.isArray(source.turns)) return undefined;
  const now = Date.now();
  const turns = source.turns.flatMap((item: unknown): unknown[] => {
    if (typeof item !== 'object' || item === null) return [];
    const turn = { ...(item as Record<string, unknown>) };
    if (!Array.isArray(turn.sources)) turn.sources = [];
    turn.sources = (turn.sources as unknown[]).filter((entry) => typeof entry === 'object' && entry !== null);
    if (typeof turn.answer !== 'string') {
      turn.answer = '';
      if (turn.status === 'done') turn.status = 'error';
    }
    return [turn];
  });
  try {
    const conversation = readConversationFields(
      {
        id: source.id,
        title: typeof source.title === 'string' ? source.title : '',
        createdAt: isFiniteNumber(source.createdAt) ? source.createdAt : now,
        updatedAt: isFiniteNumber(source.updatedAt) ? source.updatedAt : now,
        turns: [],
        ...(typeof source.coreConversationId === 'string' ? { coreConversationId: source.coreConversationId } : {}),
      },
      'conversation',
      Number.MAX_SAFE_INTEGER,
    );
    for (const [position, turn] of turns.entries()) {
      try {
        conversation.turns.push(readTurn(turn, `turns[${position}]`, Number.MAX_SAFE_INTEGER));
      } catch (error) {
        if (!isInvalid(error)) throw error;
      }
    }
    return conversation;
  } catch (error) {
    if (isInvalid(error)) return undefined;
    throw error;
  }
}

function stamp(date: Date): string {
  return date.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

export function newId(): string {
  return globalThis.crypto.randomUUID();
}

/** A short title from the first question: its first line, at most 60 characters. */
export function titleFrom(question: string): string {
  const line = question.trim().split('\n')[0] ?? '';
  return line.length > 60 ? line.slice(0, 59) + '…' : line;
}

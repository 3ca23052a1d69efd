// Conversations kept per workspace in `workspaceState`, so they survive a window reload. The store is bounded:
// workspaceState is loaded whole at startup, so an unbounded history would slow every window of this workspace.
import type * as vscode from 'vscode';
import type { Turn } from '../shared/messages';

export interface Conversation {
  id: string;
  title: string;
  /** The core's `conversation_id` from the first `start`, sent with follow-up questions. */
  coreConversationId?: string;
  createdAt: number;
  updatedAt: number;
  turns: Turn[];
}

interface Persisted {
  version: 1;
  currentId?: string;
  conversations: Conversation[];
}

export const STORE_KEY = 'tejarat.conversations';

export const LIMITS = {
  conversations: 50,
  turnsPerConversation: 100,
  answerChars: 100_000,
  questionChars: 20_000,
  /** Total serialized size; the oldest conversations go first. */
  totalChars: 4_000_000,
};

export class ConversationStore {
  private readonly conversations: Conversation[];
  private currentId: string | undefined;

  constructor(private readonly memento: vscode.Memento) {
    const saved = memento.get<Persisted>(STORE_KEY);
    this.conversations = saved?.version === 1 && Array.isArray(saved.conversations) ? saved.conversations.filter(isConversation) : [];
    // A turn that was streaming when the window closed did not finish; say so rather than show it as live.
    for (const conversation of this.conversations) {
      for (const turn of conversation.turns) {
        if (turn.status === 'pending' || turn.status === 'streaming') turn.status = turn.answer ? 'cut-off' : 'stopped';
      }
    }
    this.currentId = saved?.currentId;
  }

  /** Newest first. */
  list(): readonly Conversation[] {
    return [...this.conversations].sort((a, b) => b.updatedAt - a.updatedAt);
  }

  get(id: string): Conversation | undefined {
    return this.conversations.find((conversation) => conversation.id === id);
  }

  /** The open conversation; a new empty one when there is none. Empty conversations are not persisted. */
  current(): Conversation {
    const found = this.currentId === undefined ? undefined : this.get(this.currentId);
    if (found) return found;
    return this.create();
  }

  create(): Conversation {
    const now = Date.now();
    const conversation: Conversation = { id: newId(), title: '', createdAt: now, updatedAt: now, turns: [] };
    this.conversations.push(conversation);
    this.currentId = conversation.id;
    return conversation;
  }

  open(id: string): Conversation | undefined {
    const found = this.get(id);
    if (found) this.currentId = id;
    return found;
  }

  delete(id: string): void {
    const index = this.conversations.findIndex((conversation) => conversation.id === id);
    if (index >= 0) this.conversations.splice(index, 1);
    if (this.currentId === id) this.currentId = undefined;
  }

  /** Writes the store; called when a turn ends or the list changes, never per chunk. */
  async save(): Promise<void> {
    const kept = this.bounded();
    const persisted: Persisted = { version: 1, currentId: this.currentId, conversations: kept };
    await this.memento.update(STORE_KEY, persisted);
  }

  private bounded(): Conversation[] {
    const nonEmpty = this.list().filter((conversation) => conversation.turns.length > 0);
    const kept: Conversation[] = [];
    let total = 0;
    for (const conversation of nonEmpty.slice(0, LIMITS.conversations)) {
      const trimmed: Conversation = {
        ...conversation,
        turns: conversation.turns.slice(-LIMITS.turnsPerConversation).map((turn) => ({
          ...turn,
          question: turn.question.slice(0, LIMITS.questionChars),
          answer: turn.answer.slice(0, LIMITS.answerChars),
        })),
      };
      total += JSON.stringify(trimmed).length;
      if (total > LIMITS.totalChars && kept.length > 0) break;
      kept.push(trimmed);
    }
    return kept;
  }
}

function isConversation(value: unknown): value is Conversation {
  const candidate = value as Partial<Conversation> | null;
  return typeof candidate === 'object' && candidate !== null && typeof candidate.id === 'string' && Array.isArray(candidate.turns);
}

export function newId(): string {
  return globalThis.crypto.randomUUID();
}

/** A short title from the first question: its first line, at most 60 characters. */
export function titleFrom(question: string): string {
  const line = question.trim().split('\n')[0] ?? '';
  return line.length > 60 ? line.slice(0, 59) + '…' : line;
}

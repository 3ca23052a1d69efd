// Find it again: search across the workspace's conversations from the palette and the panel, open a result at its
// turn, export a conversation as Markdown, delete one or all.
import * as vscode from 'vscode';
import type { ChatController } from '../chat/controller';
import type { ConversationStore } from '../chat/conversationStore';
import type { HostMessage } from '../shared/messages';
import { conversationMarkdown, type ExportLabels, exportFileName } from './exportMarkdown';
import { Cancelled, type SearchHit, type SearchIndex } from './index';

export interface SearchParts {
  store: ConversationStore;
  controller: ChatController;
  search: SearchIndex;
  log: vscode.LogOutputChannel;
  /** Brings the chat forward. */
  showChat(): Promise<void>;
  /** Posts to every chat webview (kept for one that is still loading). */
  post(message: HostMessage): void;
  /** Asks a yes/no question in a modal dialog; true for yes. The test API answers it in the integration suite. */
  confirm(message: string, detail: string, yes: string): Promise<boolean>;
}

export const modalConfirm = async (message: string, detail: string, yes: string): Promise<boolean> =>
  (await vscode.window.showWarningMessage(message, { modal: true, detail }, yes)) === yes;

export interface OpenedResult {
  conversationId: string;
  turnId: string;
}

/** Opens the conversation of a search result and has the panel show the turn with the query's matches marked. */
export async function openResult(parts: SearchParts, conversationId: string, turnId: string, query: string): Promise<boolean> {
  if (!(await parts.controller.openConversation(conversationId))) {
    void vscode.window.showWarningMessage(vscode.l10n.t('That conversation could not be opened; it may have been deleted.'));
    return false;
  }
  await parts.showChat();
  parts.post({ type: 'revealTurn', turnId, query });
  return true;
}

interface HitItem extends vscode.QuickPickItem {
  hit?: SearchHit;
}

function hitItem(hit: SearchHit): HitItem {
  return {
    hit,
    label: hit.title || vscode.l10n.t('(untitled)'),
    description: hit.field === 'question'
      ? vscode.l10n.t('question {0}', (hit.turnIndex + 1).toLocaleString(vscode.env.language))
      : vscode.l10n.t('answer {0}', (hit.turnIndex + 1).toLocaleString(vscode.env.language)),
    detail: hit.snippet,
    // The list shows what the search found, not what VS Code's own (unnormalized) filter would keep.
    alwaysShow: true,
  };
}

/** The palette's search: results as you type; Enter opens the conversation at the turn. */
export function searchConversations(parts: SearchParts, initial?: string): Promise<OpenedResult | undefined> {
  const pick = vscode.window.createQuickPick<HitItem>();
  pick.title = vscode.l10n.t('Tejarat: Search Conversations');
  pick.placeholder = vscode.l10n.t('Search questions and answers of every conversation (Persian or English)');
  pick.matchOnDescription = false;
  // VS Code then marks the words in the snippet where they are spelled as typed; every result shows either way
  // (`alwaysShow`), as the search's own folding found it.
  pick.matchOnDetail = true;
  // Keeps VS Code from sorting or filtering our results by its own matching.
  (pick as { sortByLabel?: boolean }).sortByLabel = false;
  let latest = 0;
  const run = async (query: string): Promise<void> => {
    const ticket = ++latest;
    if (query.trim() === '') {
      pick.items = [];
      pick.busy = false;
      return;
    }
    pick.busy = true;
    try {
      const result = await parts.search.search(query);
      if (ticket !== latest) return;
      pick.items = result.hits.length > 0
        ? result.hits.map(hitItem)
        : [{ label: vscode.l10n.t('No conversation has "{0}".', query.trim()), alwaysShow: true }];
      pick.busy = false;
    } catch (error) {
      if (error instanceof Cancelled) return;
      parts.log.error(`Searching the conversations failed: ${String(error)}`);
      if (ticket === latest) pick.busy = false;
    }
  };
  return new Promise<OpenedResult | undefined>((resolve) => {
    const disposables: vscode.Disposable[] = [
      pick.onDidChangeValue((value) => void run(value)),
      pick.onDidAccept(async () => {
        const chosen = pick.selectedItems[0] ?? pick.activeItems[0];
        const hit = chosen?.hit;
        if (!hit) return;
        const query = pick.value;
        resolve((await openResult(parts, hit.conversationId, hit.turnId, query)) ? { conversationId: hit.conversationId, turnId: hit.turnId } : undefined);
        pick.hide();
      }),
      pick.onDidHide(() => {
        for (const disposable of disposables) disposable.dispose();
        pick.dispose();
        resolve(undefined);
      }),
    ];
    if (initial) {
      pick.value = initial;
      void run(initial);
    }
    pick.show();
  });
}

interface ConversationItem extends vscode.QuickPickItem {
  id: string;
}

/** The conversation a command is about: the one given, else the open one when it has questions, else one picked. */
async function chooseConversation(parts: SearchParts, id: unknown, title: string): Promise<string | undefined> {
  await parts.store.ready();
  if (typeof id === 'string') return id;
  const current = parts.store.current();
  if (current.turns.length > 0) return current.id;
  const items: ConversationItem[] = parts.store.list().map((summary) => ({
    id: summary.id,
    label: summary.title || vscode.l10n.t('(untitled)'),
    description: vscode.l10n.t('{0} questions', summary.turns),
  }));
  if (items.length === 0) {
    void vscode.window.showInformationMessage(vscode.l10n.t('No earlier conversations in this workspace yet.'));
    return undefined;
  }
  return (await vscode.window.showQuickPick(items, { title }))?.id;
}

function exportLabels(): ExportLabels {
  const language = vscode.env.language;
  return {
    untitled: vscode.l10n.t('(untitled)'),
    question: (n) => vscode.l10n.t('Question {0}', n.toLocaleString(language)),
    answer: vscode.l10n.t('Answer'),
    sources: vscode.l10n.t('Sources'),
    details: vscode.l10n.t('Details'),
    model: vscode.l10n.t('Model'),
    tokens: vscode.l10n.t('Tokens'),
    time: (seconds) => vscode.l10n.t('{0} s', seconds),
    cached: vscode.l10n.t('Cached'),
    yes: vscode.l10n.t('yes'),
    no: vscode.l10n.t('no'),
    unfinished: (turn) =>
      turn.status === 'stopped' ? vscode.l10n.t('Stopped before the answer was complete.')
        : turn.status === 'cut-off' ? vscode.l10n.t('The connection broke before the answer was complete.')
          : turn.status === 'error' ? vscode.l10n.t('Error: {0}', turn.error?.message ?? '')
            : turn.truncatedForStorage ? vscode.l10n.t('Shortened: the history keeps only the beginning of this answer.') : undefined,
    date: (time) => new Date(time).toLocaleString(language),
    number: (value) => value.toLocaleString(language),
  };
}

export type ExportTarget = 'newDocument' | 'file';

/**
 * Export as Markdown into a new untitled document or a file (save dialog). Resolves with the document or the file's
 * URI; `target` and `file` skip the questions (keybindings, tests).
 */
export async function exportConversation(parts: SearchParts, id?: unknown, target?: unknown, file?: unknown): Promise<vscode.TextDocument | vscode.Uri | undefined> {
  const chosen = await chooseConversation(parts, id, vscode.l10n.t('Export which conversation?'));
  if (chosen === undefined) return undefined;
  const conversation = await parts.store.read(chosen);
  if (!conversation) return undefined;
  const markdown = conversationMarkdown(conversation, exportLabels());
  let where: ExportTarget | undefined = target === 'newDocument' || target === 'file' ? target : undefined;
  if (!where) {
    const items: Array<vscode.QuickPickItem & { target: ExportTarget }> = [
      { target: 'newDocument', label: vscode.l10n.t('New untitled document') },
      { target: 'file', label: vscode.l10n.t('Save to a file…') },
    ];
    where = (await vscode.window.showQuickPick(items, { title: vscode.l10n.t('Export the conversation as Markdown') }))?.target;
  }
  if (where === 'newDocument') {
    const document = await vscode.workspace.openTextDocument({ language: 'markdown', content: markdown });
    await vscode.window.showTextDocument(document, { preview: false });
    return document;
  }
  if (where !== 'file') return undefined;
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
  const name = exportFileName(conversation.title);
  const uri = file instanceof vscode.Uri ? file : await vscode.window.showSaveDialog({
    title: vscode.l10n.t('Export the conversation as Markdown'),
    ...(folder ? { defaultUri: vscode.Uri.joinPath(folder, name) } : {}),
    filters: { Markdown: ['md'] },
  });
  if (!uri) return undefined;
  await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(markdown));
  parts.log.info(`Exported a conversation of ${conversation.turns.length} questions to ${uri.toString()}.`);
  return uri;
}

/** Deletes one conversation after a modal question; resolves true when it was deleted. */
export async function deleteConversation(parts: SearchParts, id?: unknown): Promise<boolean> {
  const chosen = await chooseConversation(parts, id, vscode.l10n.t('Delete which conversation?'));
  if (chosen === undefined) return false;
  const title = parts.store.list().find((summary) => summary.id === chosen)?.title || vscode.l10n.t('(untitled)');
  const yes = vscode.l10n.t('Delete');
  if (!(await parts.confirm(vscode.l10n.t('Delete the conversation "{0}"?', title), vscode.l10n.t('This cannot be undone.'), yes))) return false;
  await parts.controller.deleteConversation(chosen);
  parts.search.forget(chosen);
  return true;
}

/** Deletes every conversation of the workspace after a modal question; resolves with how many were deleted. */
export async function deleteAllConversations(parts: SearchParts): Promise<number> {
  await parts.store.ready();
  const all = parts.store.list();
  if (all.length === 0) {
    void vscode.window.showInformationMessage(vscode.l10n.t('No earlier conversations in this workspace yet.'));
    return 0;
  }
  const yes = vscode.l10n.t('Delete All');
  const count = all.length.toLocaleString(vscode.env.language);
  if (!(await parts.confirm(vscode.l10n.t('Delete all {0} conversations of this workspace?', count), vscode.l10n.t('This cannot be undone.'), yes))) return 0;
  for (const summary of all) await parts.controller.deleteConversation(summary.id);
  parts.search.forget();
  parts.log.info(`Deleted all ${all.length} conversations.`);
  return all.length;
}

/** The panel's search requests and opened results. */
export async function handleSearchIntent(
  parts: SearchParts,
  message: { type: 'search'; requestId: number; query: string } | { type: 'openSearchResult'; conversationId: string; turnId: string; query: string },
): Promise<unknown> {
  if (message.type === 'openSearchResult') return openResult(parts, message.conversationId, message.turnId, message.query);
  try {
    const result = await parts.search.search(message.query);
    parts.post({ type: 'searchResults', requestId: message.requestId, query: message.query, hits: result.hits, more: result.more });
    return result;
  } catch (error) {
    // A newer search from the panel replaced this one; its answer is on the way.
    if (error instanceof Cancelled) return undefined;
    throw error;
  }
}

export function registerSearchCommands(parts: SearchParts): vscode.Disposable[] {
  const handlers: Record<string, (...args: never[]) => unknown> = {
    'tejarat.searchConversations': (query?: unknown) => searchConversations(parts, typeof query === 'string' ? query : undefined),
    'tejarat.exportConversation': (id?: unknown, target?: unknown, file?: unknown) => exportConversation(parts, id, target, file),
    'tejarat.deleteConversation': (id?: unknown) => deleteConversation(parts, id),
    'tejarat.deleteAllConversations': () => deleteAllConversations(parts),
  };
  return Object.entries(handlers).map(([id, handler]) => vscode.commands.registerCommand(id, handler));
}

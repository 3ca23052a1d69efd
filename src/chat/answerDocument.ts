// "Open Answer as Markdown": an answer in a read-only editor tab (a content provider's documents cannot be edited
// or saved), where a screen reader reads it line by line and VS Code's own find works. Same approach as the source
// previews: the text comes from the host's copy of the conversation, never from the webview.
import * as vscode from 'vscode';
import type { ChatController } from './controller';

export const ANSWER_SCHEME = 'tejarat-answer';
export const OPEN_ANSWER_COMMAND = 'tejarat.openAnswerAsMarkdown';
/** Answers kept for a tab that is reopened or reloaded; older ones show a short note instead. */
const KEPT_ANSWERS = 50;
const TITLE_CHARS = 50;

export class AnswerDocuments implements vscode.TextDocumentContentProvider, vscode.Disposable {
  private readonly contents = new Map<string, string>();
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changed.event;

  constructor(private readonly controller: ChatController) {}

  provideTextDocumentContent(uri: vscode.Uri): string {
    return this.contents.get(uri.query) ?? vscode.l10n.t('This answer is no longer available. Open it again from the chat.');
  }

  /**
   * Opens the answer of the turn (the last answer that has text when no turn is named) and resolves with its
   * editor; undefined, with a message, when there is no such answer.
   */
  async show(turnId?: string): Promise<vscode.TextEditor | undefined> {
    const turns = this.controller.conversation().turns;
    const turn = turnId === undefined
      ? [...turns].reverse().find((candidate) => candidate.answer.trim() !== '')
      : turns.find((candidate) => candidate.id === turnId);
    if (!turn || turn.answer.trim() === '') {
      void vscode.window.showInformationMessage(vscode.l10n.t('There is no answer to open yet.'));
      return undefined;
    }
    this.contents.delete(turn.id);
    this.contents.set(turn.id, turn.answer);
    while (this.contents.size > KEPT_ANSWERS) this.contents.delete(this.contents.keys().next().value as string);
    // The path is what the tab shows; `.md` makes the language markdown.
    const uri = vscode.Uri.from({ scheme: ANSWER_SCHEME, path: `/${title(turn.question)}.md`, query: turn.id });
    this.changed.fire(uri);
    const document = await vscode.languages.setTextDocumentLanguage(await vscode.workspace.openTextDocument(uri), 'markdown');
    return vscode.window.showTextDocument(document, { preview: false });
  }

  dispose(): void {
    this.changed.dispose();
    this.contents.clear();
  }
}

/** A tab title from the question: no path separators or control characters, not too long. */
function title(question: string): string {
  const cleaned = question.replace(/[\p{Cc}/\\?#%]+/gu, ' ').replace(/\s+/g, ' ').trim();
  const short = [...cleaned].slice(0, TITLE_CHARS).join('').trim();
  return short ? vscode.l10n.t('Answer: {0}', short) : vscode.l10n.t('Answer');
}

/** The content provider and the palette command (an optional turn id, from the panel's button). */
export function registerAnswerDocuments(controller: ChatController): vscode.Disposable[] {
  const documents = new AnswerDocuments(controller);
  return [
    documents,
    vscode.workspace.registerTextDocumentContentProvider(ANSWER_SCHEME, documents),
    vscode.commands.registerCommand(OPEN_ANSWER_COMMAND, (turnId?: unknown) => documents.show(typeof turnId === 'string' ? turnId : undefined)),
  ];
}

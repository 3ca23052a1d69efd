// Puts answer text into documents: at the cursor (replacing the selection), or into a new untitled markdown
// document. The chat webview takes focus away from the editor, so the last text editor the user was in is
// remembered and used.
import * as vscode from 'vscode';
import type { InsertTarget } from '../shared/messages';

/** When the text is exactly one fenced code block, its code; otherwise the text unchanged. */
export function codeOnly(text: string): string {
  const match = /^\s*(`{3,}|~{3,})[^\n]*\n([\s\S]*?)\n?\1\s*$/.exec(text);
  if (!match) return text;
  const body = match[2] ?? '';
  // A second fence inside means this was several blocks with prose between, not one block.
  return new RegExp(`^${match[1]}`, 'm').test(body) ? text : body;
}

export class Inserter implements vscode.Disposable {
  private lastEditor: vscode.TextEditor | undefined = vscode.window.activeTextEditor;
  private untitledCount = 0;
  private readonly subscription = vscode.window.onDidChangeActiveTextEditor((editor) => {
    if (editor) this.lastEditor = editor;
  });

  /** The editor an insert goes to: the active one, else the last one still open. */
  private target(): vscode.TextEditor | undefined {
    const active = vscode.window.activeTextEditor;
    if (active) return active;
    const last = this.lastEditor;
    if (!last || last.document.isClosed) return undefined;
    // A TextEditor object dies when its tab is hidden; the visible one for the same document replaces it.
    return vscode.window.visibleTextEditors.find((editor) => editor.document === last.document);
  }

  /**
   * Inserts the text and resolves with the document it went into. `cursor` with no editor open falls back to a new
   * document, so the command never does nothing.
   */
  async insert(text: string, target: InsertTarget): Promise<vscode.TextDocument> {
    const content = codeOnly(text);
    const editor = target === 'cursor' ? this.target() : undefined;
    if (!editor) return this.newDocument(content);
    if (editor.document.isClosed) throw new Error('The editor was closed.');
    const applied = await editor.edit((edit) => {
      for (const selection of editor.selections) edit.replace(selection, content);
    });
    if (!applied) {
      void vscode.window.showWarningMessage(vscode.l10n.t('The answer could not be inserted: the document is read-only or changed meanwhile.'));
    }
    await vscode.window.showTextDocument(editor.document, { viewColumn: editor.viewColumn, preserveFocus: false });
    return editor.document;
  }

  /**
   * A new untitled markdown document with the text. It gets a name of its own (tejarat-answer-N.md) rather than
   * Untitled-N: VS Code reuses Untitled-N names, and a just-closed document of that name can still be handed back
   * with its old text.
   */
  private async newDocument(content: string): Promise<vscode.TextDocument> {
    const taken = new Set(vscode.workspace.textDocuments.map((document) => document.uri.toString()));
    let uri: vscode.Uri;
    do {
      this.untitledCount += 1;
      uri = vscode.Uri.from({ scheme: 'untitled', path: `tejarat-answer-${this.untitledCount}.md` });
    } while (taken.has(uri.toString()));
    const document = await vscode.workspace.openTextDocument(uri);
    const editor = await vscode.window.showTextDocument(document, { preview: false });
    await editor.edit((edit) => edit.insert(new vscode.Position(0, 0), content));
    if (document.languageId !== 'markdown') await vscode.languages.setTextDocumentLanguage(document, 'markdown');
    return document;
  }

  dispose(): void {
    this.subscription.dispose();
  }
}

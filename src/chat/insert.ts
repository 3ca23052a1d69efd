// Puts answer text into documents: at the cursor (replacing the selection), or into a new untitled markdown
// document. The chat webview takes focus away from the editor, so the last text editor the user was in is
// remembered and used.
import * as vscode from 'vscode';
import type { InsertTarget } from '../messages';

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
    if (!editor) {
      const document = await vscode.workspace.openTextDocument({ language: 'markdown', content });
      await vscode.window.showTextDocument(document, { preview: false });
      return document;
    }
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

  dispose(): void {
    this.subscription.dispose();
  }
}

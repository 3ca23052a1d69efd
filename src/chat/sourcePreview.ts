// A retrieved source without an address still has a title and a snippet: "open" shows them in a read-only editor
// tab (a content provider's documents cannot be edited or saved), where they can be read, searched and copied.
// The host takes the source from its own copy of the conversation: the webview only names the turn and the index.
import * as vscode from 'vscode';
import type { SourceView } from '../shared/messages';

export const SOURCE_PREVIEW_SCHEME = 'tejarat-source';
/** Previews kept for a tab that is reopened or reloaded; older ones show a short note instead. */
const KEPT_PREVIEWS = 50;
const TITLE_CHARS = 60;

export class SourcePreviews implements vscode.TextDocumentContentProvider, vscode.Disposable {
  private readonly contents = new Map<string, string>();
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changed.event;

  provideTextDocumentContent(uri: vscode.Uri): string {
    return this.contents.get(uri.query) ?? vscode.l10n.t('This source is no longer available. Open it again from the chat.');
  }

  /** Opens (or shows again) the source's preview tab; resolves with its editor. */
  async show(turnId: string, index: number, source: SourceView): Promise<vscode.TextEditor> {
    const key = `${turnId}-${index}`;
    this.contents.delete(key);
    this.contents.set(key, previewText(source));
    while (this.contents.size > KEPT_PREVIEWS) this.contents.delete(this.contents.keys().next().value as string);
    // The path is what the tab shows; `.md` gives the preview markdown's colours.
    const uri = vscode.Uri.from({ scheme: SOURCE_PREVIEW_SCHEME, path: `/${fileName(source, index)}.md`, query: key });
    this.changed.fire(uri);
    const document = await vscode.workspace.openTextDocument(uri);
    return vscode.window.showTextDocument(document, { preview: true });
  }

  dispose(): void {
    this.changed.dispose();
    this.contents.clear();
  }
}

/** A tab title from the source's title: no path separators or control characters, not too long. */
function fileName(source: SourceView, index: number): string {
  const title = (source.title ?? '').replace(/[\p{Cc}/\\?#%]+/gu, ' ').replace(/\s+/g, ' ').trim();
  const short = [...title].slice(0, TITLE_CHARS).join('').trim();
  return short || vscode.l10n.t('Source {0}', index + 1);
}

function previewText(source: SourceView): string {
  const lines = [`# ${source.title?.trim() || vscode.l10n.t('Source')}`, ''];
  const facts = [
    source.page !== undefined ? vscode.l10n.t('Page {0}', String(source.page)) : undefined,
    source.score !== undefined ? vscode.l10n.t('Score {0}', String(Math.round(source.score * 100) / 100)) : undefined,
  ].filter((fact): fact is string => fact !== undefined);
  if (facts.length > 0) lines.push(facts.join(' · '), '');
  lines.push(source.snippet?.trim() || vscode.l10n.t('This source has no text to show.'), '');
  return lines.join('\n');
}

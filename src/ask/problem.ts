// "Ask Tejarat about this problem": a quick fix on every diagnostic (also in the Problems panel), and the command
// it runs, which sends the problem and the code around it with the question.
import * as vscode from 'vscode';
import type { SentContext } from '../shared/messages';
import { problemContext, type Severity } from './context';

export const ASK_ABOUT_PROBLEM = 'tejarat.askAboutProblem';

/** More would crowd the lightbulb menu when a line has many problems. */
const ACTIONS_PER_RANGE = 3;

const severities: Record<vscode.DiagnosticSeverity, Severity> = {
  [vscode.DiagnosticSeverity.Error]: 'error',
  [vscode.DiagnosticSeverity.Warning]: 'warning',
  [vscode.DiagnosticSeverity.Information]: 'information',
  [vscode.DiagnosticSeverity.Hint]: 'hint',
};

class ProblemActions implements vscode.CodeActionProvider {
  static readonly kinds = [vscode.CodeActionKind.QuickFix];

  provideCodeActions(document: vscode.TextDocument, _range: vscode.Range, context: vscode.CodeActionContext): vscode.CodeAction[] {
    // Only the problems VS Code gives for this range: without one, there is nothing to offer.
    const diagnostics = context.diagnostics.slice(0, ACTIONS_PER_RANGE);
    return diagnostics.map((diagnostic) => {
      const title = diagnostics.length === 1
        ? vscode.l10n.t('Ask Tejarat about this problem')
        : vscode.l10n.t('Ask Tejarat about "{0}"', shortMessage(diagnostic.message));
      const action = new vscode.CodeAction(title, vscode.CodeActionKind.QuickFix);
      action.diagnostics = [diagnostic];
      action.command = { command: ASK_ABOUT_PROBLEM, title, arguments: [document.uri, diagnostic] };
      return action;
    });
  }
}

export function registerProblemActions(): vscode.Disposable {
  return vscode.languages.registerCodeActionsProvider({ scheme: '*' }, new ProblemActions(), {
    providedCodeActionKinds: ProblemActions.kinds,
  });
}

/**
 * The problem to ask about: the one a code action passed, else the most severe one under the cursor of the
 * active editor (for the command palette).
 */
export async function findProblem(uri?: unknown, diagnostic?: unknown): Promise<{ document: vscode.TextDocument; diagnostic: vscode.Diagnostic } | undefined> {
  if (uri instanceof vscode.Uri && diagnostic instanceof vscode.Diagnostic) {
    return { document: await vscode.workspace.openTextDocument(uri), diagnostic };
  }
  const editor = vscode.window.activeTextEditor;
  if (!editor) return undefined;
  const selection = editor.selection;
  const found = vscode.languages.getDiagnostics(editor.document.uri)
    .filter((candidate) => candidate.range.intersection(selection) !== undefined || candidate.range.contains(selection.active))
    .sort((a, b) => a.severity - b.severity)[0];
  return found ? { document: editor.document, diagnostic: found } : undefined;
}

export function contextOfProblem(document: vscode.TextDocument, diagnostic: vscode.Diagnostic): SentContext {
  const code = typeof diagnostic.code === 'object' ? diagnostic.code.value : diagnostic.code;
  return problemContext({
    message: diagnostic.message,
    severity: severities[diagnostic.severity] ?? 'error',
    ...(diagnostic.source ? { source: diagnostic.source } : {}),
    ...(code !== undefined ? { code: String(code) } : {}),
    file: document.isUntitled ? document.uri.path : vscode.workspace.asRelativePath(document.uri),
    language: document.languageId,
    start: diagnostic.range.start,
    end: diagnostic.range.end,
    lineCount: document.lineCount,
    lineAt: (index) => document.lineAt(index).text,
  });
}

function shortMessage(message: string): string {
  const line = message.trim().split('\n')[0] ?? '';
  return line.length > 60 ? `${line.slice(0, 59)}…` : line;
}

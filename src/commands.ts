// The commands of the palette, menus and keybinding. Handlers return their result (the finished turn, the
// inserted document, the check summary), which keybindings ignore and tests assert on.
import * as vscode from 'vscode';
import { checkConnection, type CheckResult } from './chat/checkConnection';
import { showHistory } from './chat/history';
import { selectionContext, terminalContext } from './ask/context';
import { ASK_ABOUT_PROBLEM, contextOfProblem, findProblem, registerProblemActions } from './ask/problem';
import { targetTerminal, terminalSelection } from './ask/terminal';
import type { InsertTarget, SentContext, Turn } from './shared/messages';
import type { Parts } from './parts';

export function registerCommands(parts: Parts): vscode.Disposable[] {
  const { controller, views, tokens, statusBar, log } = parts;
  const showChat = (): void => {
    // Not awaited: a slow view never delays the question.
    views.reveal().then(undefined, (error: unknown) => log.warn(`Showing the chat failed: ${String(error)}`));
  };
  const askAndShow = (query: string, userText?: string, context?: SentContext): Promise<Turn | undefined> => {
    showChat();
    return controller.ask({ query, ...(userText ? { userText } : {}), ...(context ? { context } : {}) });
  };

  const handlers: Record<string, (...args: never[]) => unknown> = {
    'tejarat.ask': async (question?: string) => {
      const text = typeof question === 'string' ? question : await vscode.window.showInputBox({
        title: vscode.l10n.t('Ask Tejarat'),
        prompt: vscode.l10n.t('Ask a question in Persian or English'),
        ignoreFocusOut: true,
      });
      return text?.trim() ? askAndShow(text) : undefined;
    },

    'tejarat.askAboutSelection': async (question?: string) => {
      const editor = vscode.window.activeTextEditor;
      const selection = editor?.document.getText(editor.selection) ?? '';
      if (!editor || selection.trim() === '') {
        void vscode.window.showInformationMessage(vscode.l10n.t('Select some text in an editor first, then ask about it.'));
        return undefined;
      }
      const text = typeof question === 'string' ? question : await vscode.window.showInputBox({
        title: vscode.l10n.t('Ask Tejarat About Selection'),
        prompt: vscode.l10n.t('What do you want to know about the selected text?'),
        ignoreFocusOut: true,
      });
      const context = selectionContext({
        file: editor.document.isUntitled ? editor.document.uri.path : vscode.workspace.asRelativePath(editor.document.uri),
        language: editor.document.languageId,
        startLine: editor.selection.start.line,
        text: selection,
      });
      return text?.trim() ? askAndShow(text, text, context) : undefined;
    },

    // From a code action: (uri, diagnostic); from the palette: the problem under the cursor. A question may follow.
    [ASK_ABOUT_PROBLEM]: async (uri?: unknown, diagnostic?: unknown, question?: unknown) => {
      const problem = await findProblem(uri, diagnostic);
      if (!problem) {
        void vscode.window.showInformationMessage(vscode.l10n.t('Put the cursor on a problem (a squiggle) first, then ask about it.'));
        return undefined;
      }
      const text = typeof question === 'string' && question.trim() ? question : vscode.l10n.t('Explain this problem and how to fix it.');
      return askAndShow(text, text, contextOfProblem(problem.document, problem.diagnostic));
    },

    // From the terminal's context menu: (terminal); from the palette: the active terminal. Tests pass a question.
    'tejarat.askAboutTerminalSelection': async (terminal?: unknown, question?: unknown) => {
      const target = targetTerminal(terminal);
      const context = target ? terminalContext({ name: target.name, selection: await terminalSelection(target) }) : undefined;
      if (!target || !context) {
        void vscode.window.showInformationMessage(vscode.l10n.t('Select some text in the terminal first, then ask about it.'));
        return undefined;
      }
      const typed = typeof question === 'string' ? question : await vscode.window.showInputBox({
        title: vscode.l10n.t('Ask Tejarat About Terminal Output'),
        prompt: vscode.l10n.t('What do you want to know about the selected output? (Enter alone: explain it)'),
        ignoreFocusOut: true,
      });
      if (typed === undefined) return undefined;
      const text = typed.trim() || vscode.l10n.t('Explain this terminal output.');
      return askAndShow(text, text, context);
    },

    'tejarat.openChat': () => views.reveal('view'),
    'tejarat.openChatInEditor': () => views.openPanel(),
    'tejarat.newConversation': async () => {
      await controller.newConversation();
      showChat();
    },
    'tejarat.stop': () => controller.stop(),

    'tejarat.insertLastAnswer': async (target?: InsertTarget) => {
      const answer = controller.lastAnswer();
      if (answer === undefined) {
        void vscode.window.showInformationMessage(vscode.l10n.t('There is no answer to insert yet.'));
        return undefined;
      }
      return parts.insert(answer, target === 'newDocument' ? 'newDocument' : 'cursor');
    },

    'tejarat.setToken': async () => (await tokens.prompt()) !== undefined,

    'tejarat.signOut': async () => {
      await controller.stop();
      await tokens.clear();
      void vscode.window.showInformationMessage(vscode.l10n.t('Signed out: the access token was removed from this machine.'));
    },

    'tejarat.checkConnection': async (): Promise<CheckResult> => {
      const result = await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Window, title: vscode.l10n.t('Checking the Tejarat connection…') },
        async () => checkConnection(parts.clients, (await tokens.get()) !== undefined, log),
      );
      statusBar.update({ offline: result.report ? !result.report.reachable : false });
      const setToken = vscode.l10n.t('Set Access Token');
      const showLog = vscode.l10n.t('Show Log');
      const needsToken = result.report?.reachable === true && result.report.tokenAccepted !== true;
      const show = result.ok ? vscode.window.showInformationMessage : vscode.window.showWarningMessage;
      // Not awaited: a notification's promise settles only when the user dismisses it.
      void show(result.lines.join(' '), ...(needsToken ? [setToken] : []), showLog).then((choice) => {
        if (choice === setToken) void vscode.commands.executeCommand('tejarat.setToken');
        if (choice === showLog) log.show();
      });
      return result;
    },

    'tejarat.showLog': () => log.show(),
    'tejarat.showHistory': () => showHistory(parts.store, controller),
  };
  return [...Object.entries(handlers).map(([id, handler]) => vscode.commands.registerCommand(id, handler)), registerProblemActions()];
}

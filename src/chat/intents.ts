// What the chat webview asks the extension host to do. The webview is untrusted input: the message was already
// shape-checked (isWebviewMessage); a link opens only if it passes the URL policy the panel also uses.
import * as vscode from 'vscode';
import type { Intent } from '../parts';
import type { ChatController } from './controller';
import type { InsertTarget } from '../shared/messages';
import { openableUrl } from '../shared/urls';
import type { SourcePreviews } from './sourcePreview';
import { OPEN_ANSWER_COMMAND } from './answerDocument';

export function createIntentHandler(
  controller: ChatController,
  insert: (text: string, target: InsertTarget) => Promise<vscode.TextDocument>,
  previews?: SourcePreviews,
): (message: Intent) => Promise<unknown> {
  return async (message) => {
    switch (message.type) {
      case 'ask':
        return controller.ask({ query: message.text });
      case 'stop':
        return controller.stop();
      case 'retry':
        return controller.retry(message.turnId);
      case 'editQuestion':
        return controller.editQuestion(message.turnId, message.text);
      case 'undoEdit':
        return controller.undoEdit();
      case 'regenerate':
        return controller.regenerate(message.turnId);
      case 'selectVersion':
        return controller.selectVersion(message.turnId, message.index);
      case 'newConversation':
        return controller.newConversation();
      case 'copy':
        await vscode.env.clipboard.writeText(message.text);
        vscode.window.setStatusBarMessage(vscode.l10n.t('Copied to the clipboard.'), 2000);
        return undefined;
      case 'insert':
        return insert(message.text, message.target);
      case 'openLink': {
        const url = openableUrl(message.url);
        if (!url) return false;
        return vscode.env.openExternal(vscode.Uri.parse(url, true));
      }
      case 'previewSource': {
        // The source as the host keeps it, never text from the webview.
        const source = controller.conversation().turns.find((turn) => turn.id === message.turnId)?.sources[message.index];
        if (!source || !previews) return false;
        return previews.show(message.turnId, message.index, source);
      }
      case 'openAnswer':
        return vscode.commands.executeCommand(OPEN_ANSWER_COMMAND, message.turnId);
      case 'setToken':
        return vscode.commands.executeCommand('tejarat.setToken');
    }
  };
}

// Where the history lives in VS Code, and how the user hears about a file that could not be read.
import * as vscode from 'vscode';
import { ConversationStore, type SetAside } from '../conversationStore';

/**
 * The workspace's storage folder and memento; in a window without a folder, the extension's global storage and
 * global memento, so that history outlives the window (and is shared by every window without a folder).
 */
export function createConversationStore(context: vscode.ExtensionContext, log: vscode.LogOutputChannel): ConversationStore {
  const inWorkspace = context.storageUri !== undefined;
  const folder = inWorkspace
    ? vscode.Uri.joinPath(context.storageUri, 'conversations')
    : vscode.Uri.joinPath(context.globalStorageUri, 'conversations-without-folder');
  const notify = batchedNotice(log);
  return new ConversationStore({
    memento: inWorkspace ? context.workspaceState : context.globalState,
    folder: folder.fsPath,
    log,
    onSetAside: notify,
  });
}

/** One notification for the files set aside together (at startup there may be several), each named once. */
function batchedNotice(log: vscode.LogOutputChannel): (aside: SetAside) => void {
  let pending: SetAside[] = [];
  return (aside) => {
    pending.push(aside);
    if (pending.length > 1) return;
    setTimeout(() => {
      const files = pending.map((entry) => entry.path);
      const newer = pending.some((entry) => entry.problem === 'newer');
      pending = [];
      const message = newer
        ? vscode.l10n.t('Some conversations could not be read (damaged, or saved by a newer version of Tejarat Chat). They were kept aside, not deleted: {0}', files.join(', '))
        : vscode.l10n.t('Some conversations could not be read because their files are damaged. They were kept aside, not deleted: {0}', files.join(', '));
      const showLog = vscode.l10n.t('Show Log');
      void vscode.window.showWarningMessage(message, showLog).then((choice) => {
        if (choice === showLog) log.show();
      });
    }, 200);
  };
}

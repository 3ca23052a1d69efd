// The history list: reopen or delete an earlier conversation of this workspace.
import * as vscode from 'vscode';
import type { ChatController } from './controller';
import type { ConversationStore } from './conversationStore';

interface ConversationItem extends vscode.QuickPickItem {
  id: string;
}

export async function showHistory(store: ConversationStore, controller: ChatController): Promise<string | undefined> {
  await store.ready();
  const remove: vscode.QuickInputButton = { iconPath: new vscode.ThemeIcon('trash'), tooltip: vscode.l10n.t('Delete conversation') };
  const items = (): ConversationItem[] =>
    store
      .list()
            .map((conversation) => ({
        id: conversation.id,
        label: conversation.title || vscode.l10n.t('(untitled)'),
        description: vscode.l10n.t('{0} questions', conversation.turns),
        detail: new Date(conversation.updatedAt).toLocaleString(vscode.env.language),
        buttons: [remove],
      }));

  const pick = vscode.window.createQuickPick<ConversationItem>();
  pick.title = vscode.l10n.t('Tejarat: Conversation History');
  pick.placeholder = vscode.l10n.t('Pick a conversation to reopen it');
  pick.matchOnDetail = true;
  pick.items = items();
  if (pick.items.length === 0) {
    pick.dispose();
    void vscode.window.showInformationMessage(vscode.l10n.t('No earlier conversations in this workspace yet.'));
    return undefined;
  }
  return new Promise<string | undefined>((resolve) => {
    const disposables: vscode.Disposable[] = [
      pick.onDidTriggerItemButton(async ({ item }) => {
        await controller.deleteConversation(item.id);
        pick.items = items();
      }),
      pick.onDidAccept(async () => {
        // Enter before the list has a selection (typed fast, or while the items are still arriving) does nothing.
        const chosen = pick.selectedItems[0] ?? pick.activeItems[0];
        if (!chosen) return;
        await controller.openConversation(chosen.id);
        // Resolved before hiding: onDidHide resolves with undefined.
        resolve(chosen.id);
        pick.hide();
      }),
      pick.onDidHide(() => {
        for (const disposable of disposables) disposable.dispose();
        pick.dispose();
        resolve(undefined);
      }),
    ];
    pick.show();
  });
}

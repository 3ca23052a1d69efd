// The long-lived parts of the extension, created once in activate() and handed to commands, the webview intents
// and the test API.
import type * as vscode from 'vscode';
import type { CoreClientProvider } from './chat/clientProvider';
import type { ChatController } from './chat/controller';
import type { ConversationStore } from './chat/conversationStore';
import type { DisplayLanguage } from './chat/displayLanguage';
import type { InsertTarget, WebviewMessage } from './shared/messages';
import type { SearchParts } from './search/commands';
import type { TokenStore } from './secrets';
import type { StatusBar } from './statusBar';
import type { ChatViews } from './views/chatViewProvider';

export type Intent = Exclude<WebviewMessage, { type: 'ready' }>;

export interface Parts {
  readonly context: vscode.ExtensionContext;
  readonly log: vscode.LogOutputChannel;
  readonly tokens: TokenStore;
  readonly statusBar: StatusBar;
  readonly clients: CoreClientProvider;
  readonly store: ConversationStore;
  readonly controller: ChatController;
  readonly views: ChatViews;
  /** The panel's locale and the language of error sentences: VS Code's display language. */
  readonly display: DisplayLanguage;
  /** Search, export and delete; `confirm` is replaced by the test API to answer modal questions. */
  readonly search: SearchParts;
  insert(text: string, target: InsertTarget): Promise<vscode.TextDocument>;
  /** What a chat webview asked for; resolves when it is done. */
  handleIntent(message: Intent): Promise<unknown>;
}

// Activation wires the parts together and does nothing slow: no network, no file reads (the history is read just
// after it). The RAG Core client (most of the code, dist/core.js) is loaded and created on the first question.
// Every disposable goes to context.subscriptions.
import * as vscode from 'vscode';
import { CoreClientProvider } from './chat/clientProvider';
import { ChatController } from './chat/controller';
import type { ConversationStore } from './chat/conversationStore';
import { createConversationStore } from './chat/storage/setup';
import { Inserter } from './chat/insert';
import { createIntentHandler } from './chat/intents';
import { SOURCE_PREVIEW_SCHEME, SourcePreviews } from './chat/sourcePreview';
import { registerAnswerDocuments } from './chat/answerDocument';
import { registerCommands } from './commands';
import { DisplayLanguage } from './chat/displayLanguage';
import { CLIENT_SETTINGS } from './config';
import type { Locale } from './shared/messages';
import type { Parts } from './parts';
import { handleSearchIntent, modalConfirm, registerSearchCommands, type SearchParts } from './search/commands';
import { SearchIndex } from './search/index';
import { adoptDevToken, TokenStore } from './secrets';
import { StatusBar } from './statusBar';
import { createTestApi, type TejaratTestApi } from './testApi';
import { ChatViews, PANEL_TYPE, VIEW_ID } from './views/chatViewProvider';

export type { TejaratTestApi } from './testApi';

export interface TejaratExports {
  /** Only in development and test mode. */
  testing?: TejaratTestApi;
}

let running: { controller: ChatController; clients: CoreClientProvider; store: ConversationStore } | undefined;

export function activate(context: vscode.ExtensionContext): TejaratExports {
  const keep = <T extends vscode.Disposable>(disposable: T): T => {
    context.subscriptions.push(disposable);
    return disposable;
  };
  const log = keep(vscode.window.createOutputChannel('Tejarat Chat', { log: true }));
  const tokens = keep(new TokenStore(context.secrets, log));
  // Activation at startup (to show this item) reads only the memento here; the history files are read after.
  const store = createConversationStore(context, log);
  const statusBar = keep(new StatusBar(store.hasHistory()));
  const clients = keep(
    new CoreClientProvider(tokens, log, (streaming) => {
      log.info(`Streaming status: ${streaming}.`);
      statusBar.update({ streaming });
    }),
  );
  const display = new DisplayLanguage();
  const locale = (): Locale => display.locale();
  const controller = keep(new ChatController(store, clients, tokens, log, locale, display.translate));
  running = { controller, clients, store };
  setImmediate(() => void store.ready());

  const inserter = keep(new Inserter());
  const insert: Parts['insert'] = async (text, target) => {
    const document = await inserter.insert(text, target);
    log.info(`Inserted ${text.length} characters (${target === 'cursor' ? 'at the cursor' : 'new document'}).`);
    return document;
  };
  const searchIndex = new SearchIndex(store);
  // The folded text of the history is built a moment after it is read, in slices that yield, so the first search
  // does not wait for it and startup does not compete with it.
  const warm = setTimeout(() => {
    void store.ready().then(() => searchIndex.warm()).catch((error: unknown) => log.warn(`Indexing the conversations for search failed: ${String(error)}`));
  }, 2_000);
  keep({ dispose: () => clearTimeout(warm) });
  // The views need the intent handler, and search needs the views: filled in once they exist.
  const late: { views?: ChatViews } = {};
  const search: SearchParts = {
    store, controller, search: searchIndex, log, confirm: modalConfirm,
    showChat: () => late.views?.reveal() ?? Promise.resolve(),
    post: (message) => late.views?.send(message),
  };
  const previews = keep(new SourcePreviews());
  keep(vscode.workspace.registerTextDocumentContentProvider(SOURCE_PREVIEW_SCHEME, previews));
  for (const disposable of registerAnswerDocuments(controller)) keep(disposable);
  const baseIntent = createIntentHandler(controller, insert, previews);
  const handleIntent: Parts['handleIntent'] = (message) =>
    message.type === 'search' || message.type === 'openSearchResult' ? handleSearchIntent(search, message) : baseIntent(message);
  const views = keep(
    new ChatViews(
      context.extensionUri,
      controller,
      (message) =>
        void handleIntent(message).catch((error: unknown) => log.error(`Chat action "${message.type}" failed: ${String(error)}`)),
      async () => (await tokens.get()) !== undefined,
      locale,
      log,
    ),
  );
  late.views = views;
  keep(vscode.window.registerWebviewViewProvider(VIEW_ID, views));
  // The chat tab of the last session comes back after a reload, with the open conversation.
  keep(vscode.window.registerWebviewPanelSerializer(PANEL_TYPE, { deserializeWebviewPanel: async (panel) => views.restorePanel(panel) }));

  const parts: Parts = { context, log, tokens, statusBar, clients, store, controller, views, insert, handleIntent, display, search };
  for (const command of registerCommands(parts)) keep(command);
  for (const command of registerSearchCommands(search)) keep(command);

  keep(tokens.onDidChange((hasToken) => statusBar.update({ hasToken })));
  keep(
    controller.onActivity((activity) => {
      statusBar.reveal();
      statusBar.update(activity);
      void vscode.commands.executeCommand('setContext', 'tejarat.busy', activity.busy);
    }),
  );
  keep(
    vscode.workspace.onDidChangeConfiguration((event) => {
      if (!CLIENT_SETTINGS.some((section) => event.affectsConfiguration(section))) return;
      // The client is rebuilt from the new settings on the next question; what we knew about the old core is void.
      log.info('Settings changed: the next question uses them.');
      statusBar.update({ offline: false, streaming: 'unknown' });
    }),
  );
  // The first token read touches the keyring; it runs after activation has returned.
  void adoptDevToken(tokens, log)
    .then(() => tokens.get())
    .then((token) => statusBar.update({ hasToken: token !== undefined }));

  return context.extensionMode === vscode.ExtensionMode.Production ? {} : { testing: createTestApi(parts) };
}

export async function deactivate(): Promise<void> {
  const current = running;
  running = undefined;
  if (!current) return;
  // Abort first: deactivation must not wait for a slow core.
  current.controller.dispose();
  // An answer in progress is written as it stands: it comes back cut off, with Retry.
  await Promise.all([current.store.flush().catch(() => undefined), current.clients.close().catch(() => undefined)]);
}

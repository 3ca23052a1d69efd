// Activation wires the parts together and does nothing slow: no network, no file reads. The RAG Core client is
// created on the first question (see CoreClientProvider). Every disposable goes to context.subscriptions.
import * as vscode from 'vscode';
import { ChatController } from './chat/controller';
import { checkConnection, type CheckResult } from './chat/checkConnection';
import { CoreClientProvider } from './chat/clientProvider';
import { type Conversation, ConversationStore } from './chat/conversationStore';
import { showHistory } from './chat/history';
import { Inserter } from './chat/insert';
import { CLIENT_SETTINGS } from './config';
import type { ChatState, ConversationView, InsertTarget, Locale, Turn, WebviewMessage } from './messages';
import { adoptDevToken, TokenStore } from './secrets';
import { StatusBar, type StatusKind } from './statusBar';
import { ChatViews, VIEW_ID } from './views/chatViewProvider';

/**
 * Returned from `activate` only when the extension runs in development or test mode (never for installed users):
 * the integration suite drives the extension with it where no real UI gesture is possible.
 */
export interface TejaratTestApi {
  /** Stores (or with undefined, deletes) the token through the same SecretStorage path as Set Access Token. */
  setToken(token: string | undefined): Promise<void>;
  /** Sets the local core's `x-tejarat-scenario` header for the next questions (undefined: none). */
  setScenario(scenario: string | undefined): void;
  state(): Promise<ChatState>;
  /** The open conversation now, without the token lookup `state()` does. */
  conversation(): ConversationView;
  lastAnswer(): string | undefined;
  busy(): boolean;
  statusBar(): { kind: StatusKind; text: string };
  /** Handles a message as if the chat webview had sent it; resolves when its effect is done. */
  receive(message: WebviewMessage): Promise<unknown>;
  /** The conversations as a fresh store reads them from workspaceState, as after a window reload. */
  storedConversations(): readonly Conversation[];
  openConversation(id: string): Promise<boolean>;
  deleteConversation(id: string): Promise<void>;
  /** Open chat surfaces (view and panel). */
  surfaceCount(): number;
}

export interface TejaratExports {
  testing?: TejaratTestApi;
}

let running: { controller: ChatController; clients: CoreClientProvider } | undefined;

export function activate(context: vscode.ExtensionContext): TejaratExports {
  const log = vscode.window.createOutputChannel('Tejarat Chat', { log: true });
  context.subscriptions.push(log);

  const tokens = new TokenStore(context.secrets, log);
  context.subscriptions.push(tokens);

  const statusBar = new StatusBar();
  context.subscriptions.push(statusBar);

  const clients = new CoreClientProvider(tokens, log, (streaming) => {
    log.info(`Streaming status: ${streaming}.`);
    statusBar.update({ streaming });
  });
  context.subscriptions.push(clients);

  const locale = (): Locale => (vscode.env.language.toLowerCase().startsWith('fa') ? 'fa' : 'en');
  const store = new ConversationStore(context.workspaceState);
  const controller = new ChatController(store, clients, tokens, log, locale);
  context.subscriptions.push(controller);
  running = { controller, clients };

  const inserter = new Inserter();
  context.subscriptions.push(inserter);

  const hasToken = async (): Promise<boolean> => (await tokens.get()) !== undefined;
  const insert = async (text: string, target: InsertTarget): Promise<vscode.TextDocument> => {
    const document = await inserter.insert(text, target);
    log.info(`Inserted ${text.length} characters (${target === 'cursor' ? 'at the cursor' : 'new document'}).`);
    return document;
  };

  const handleIntent = (message: Exclude<WebviewMessage, { type: 'ready' }>): Promise<unknown> => {
    switch (message.type) {
      case 'ask':
        return controller.ask({ query: message.text });
      case 'stop':
        return controller.stop();
      case 'retry':
        return controller.retry(message.turnId);
      case 'newConversation':
        return controller.newConversation();
      case 'copy':
        return Promise.resolve(vscode.env.clipboard.writeText(message.text)).then(() => {
          vscode.window.setStatusBarMessage(vscode.l10n.t('Copied to the clipboard.'), 2000);
        });
      case 'insert':
        return insert(message.text, message.target);
      case 'openLink':
        // Sources are http(s) only; anything else from the webview is dropped.
        if (!/^https?:\/\//i.test(message.url)) return Promise.resolve(false);
        return Promise.resolve(vscode.env.openExternal(vscode.Uri.parse(message.url, true)));
      case 'setToken':
        return Promise.resolve(vscode.commands.executeCommand('tejarat.setToken'));
    }
  };
  const reportFailure = (what: string) => (error: unknown) =>
    log.error(`${what} failed: ${error instanceof Error ? error.message : String(error)}`);

  const views = new ChatViews(
    context.extensionUri,
    controller,
    (message) => void handleIntent(message).catch(reportFailure(`Chat action "${message.type}"`)),
    hasToken,
    locale,
    log,
  );
  context.subscriptions.push(views);
  context.subscriptions.push(vscode.window.registerWebviewViewProvider(VIEW_ID, views));

  const askAndShow = async (query: string, userText?: string): Promise<Turn | undefined> => {
    // The chat comes forward while the answer streams; not awaited, so a slow view never delays the question.
    void views.reveal().then(undefined, reportFailure('Showing the chat'));
    return controller.ask({ query, ...(userText ? { userText } : {}) });
  };

  const command = (id: string, handler: (...args: never[]) => unknown): void => {
    context.subscriptions.push(vscode.commands.registerCommand(id, handler));
  };

  command('tejarat.ask', async (question?: string) => {
    const text =
      typeof question === 'string'
        ? question
        : await vscode.window.showInputBox({
            title: vscode.l10n.t('Ask Tejarat'),
            prompt: vscode.l10n.t('Ask a question in Persian or English'),
            ignoreFocusOut: true,
          });
    if (!text?.trim()) return undefined;
    return askAndShow(text);
  });

  command('tejarat.askAboutSelection', async (question?: string) => {
    const editor = vscode.window.activeTextEditor;
    const selection = editor?.document.getText(editor.selection) ?? '';
    if (!editor || selection.trim() === '') {
      void vscode.window.showInformationMessage(vscode.l10n.t('Select some text in an editor first, then ask about it.'));
      return undefined;
    }
    const text =
      typeof question === 'string'
        ? question
        : await vscode.window.showInputBox({
            title: vscode.l10n.t('Ask Tejarat About Selection'),
            prompt: vscode.l10n.t('What do you want to know about the selected text?'),
            ignoreFocusOut: true,
          });
    if (!text?.trim()) return undefined;
    return askAndShow(withSelection(text, editor.document, selection), text);
  });

  command('tejarat.openChat', () => views.reveal());
  command('tejarat.openChatInEditor', () => views.openPanel());
  command('tejarat.newConversation', async () => {
    await controller.newConversation();
    void views.reveal().then(undefined, reportFailure('Showing the chat'));
  });
  command('tejarat.stop', () => controller.stop());

  command('tejarat.insertLastAnswer', async (target?: InsertTarget) => {
    const answer = controller.lastAnswer();
    if (answer === undefined) {
      void vscode.window.showInformationMessage(vscode.l10n.t('There is no answer to insert yet.'));
      return undefined;
    }
    return insert(answer, target === 'newDocument' ? 'newDocument' : 'cursor');
  });

  command('tejarat.setToken', async () => (await tokens.prompt()) !== undefined);

  command('tejarat.signOut', async () => {
    await controller.stop();
    await tokens.clear();
    statusBar.update({ hasToken: false });
    void vscode.window.showInformationMessage(vscode.l10n.t('Signed out: the access token was removed from this machine.'));
  });

  command('tejarat.checkConnection', async (): Promise<CheckResult> => {
    const result = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Window, title: vscode.l10n.t('Checking the Tejarat connection…') },
      async () => checkConnection(clients, await hasToken(), log),
    );
    statusBar.update({ offline: result.report ? !result.report.reachable : false });
    const summary = result.lines.join(' ');
    const setToken = vscode.l10n.t('Set Access Token');
    const showLog = vscode.l10n.t('Show Log');
    const needsToken = result.report !== undefined && result.report.reachable && result.report.tokenAccepted !== true;
    const show = result.ok ? vscode.window.showInformationMessage : vscode.window.showWarningMessage;
    void show(summary, ...(needsToken ? [setToken] : []), showLog).then((choice) => {
      if (choice === setToken) void vscode.commands.executeCommand('tejarat.setToken');
      if (choice === showLog) log.show();
    });
    return result;
  });

  command('tejarat.showLog', () => log.show());
  command('tejarat.showHistory', () => showHistory(store, controller));

  context.subscriptions.push(
    tokens.onDidChange((has) => statusBar.update({ hasToken: has })),
    controller.onActivity((activity) => {
      statusBar.update(activity);
      void vscode.commands.executeCommand('setContext', 'tejarat.busy', activity.busy);
    }),
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

  if (context.extensionMode === vscode.ExtensionMode.Production) return {};
  const testing: TejaratTestApi = {
    setToken: async (token) => {
      if (token === undefined) await tokens.clear();
      else await tokens.set(token);
    },
    setScenario: (scenario) => clients.setExtraHeaders(scenario ? { 'x-tejarat-scenario': scenario } : {}),
    state: () => controller.state(),
    conversation: () => controller.conversation(),
    lastAnswer: () => controller.lastAnswer(),
    busy: () => controller.busy,
    statusBar: () => ({ kind: statusBar.kind, text: statusBar.text }),
    receive: (message) => (message.type === 'ready' ? Promise.resolve() : handleIntent(message)),
    storedConversations: () => new ConversationStore(context.workspaceState).list(),
    openConversation: (id) => controller.openConversation(id),
    deleteConversation: (id) => controller.deleteConversation(id),
    surfaceCount: () => views.surfaceCount,
  };
  return { testing };
}

/** The question with the selection as context: file name, language and the selected text. */
function withSelection(question: string, document: vscode.TextDocument, selection: string): string {
  const name = document.isUntitled ? document.uri.path : vscode.workspace.asRelativePath(document.uri);
  const fence = selection.includes('```') ? '````' : '```';
  // Not localized: this is read by the core's model, not by the user.
  return `${question.trim()}\n\nFile: ${name} (${document.languageId})\n${fence}${document.languageId}\n${selection}\n${fence}`;
}

export async function deactivate(): Promise<void> {
  const current = running;
  running = undefined;
  if (!current) return;
  // Abort first: deactivation must not wait for a slow core.
  current.controller.dispose();
  await current.clients.close().catch(() => undefined);
}

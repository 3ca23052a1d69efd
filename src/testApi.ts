// The test API: returned from activate() only in development and test mode, never for installed users.
// The integration suite drives the extension with it where no real UI gesture is possible (a password box, a
// click inside the webview); test/vscode/README.md lists what each call is for.
import * as vscode from 'vscode';
import type { Conversation } from './chat/conversationStore';
import { createConversationStore } from './chat/storage/setup';
import type { ChatState, ConversationView, HostMessage, Locale, PanelFonts, WebviewMessage } from './shared/messages';
import type { Parts } from './parts';
import type { StatusKind } from './statusBar';

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
  /** The conversations as a fresh store reads them from disk, as after a window reload; newest first. */
  storedConversations(): Promise<readonly Conversation[]>;
  /** The folder of conversation files. */
  storageFolder(): string;
  /** Whether the status bar item is shown. */
  statusBarVisible(): boolean;
  openConversation(id: string): Promise<boolean>;
  deleteConversation(id: string): Promise<void>;
  /** Chat surfaces (view, panel) that exist, and those whose page loaded and sent `ready`. */
  surfaces(): { open: number; ready: number };
  /**
   * Makes the panel and the error sentences speak `locale` with the extension's own l10n bundle, as VS Code would
   * with that display language (which a running window cannot change); undefined: VS Code's display language again.
   */
  forceDisplayLanguage(locale: Locale | undefined): Promise<void>;
  /** The warnings the extension showed as notifications in this window, in order. */
  notices(): readonly string[];
  /**
   * Answers the modal questions (delete, delete all) with `answer` instead of showing them, and records each question
   * asked; undefined: show them again. A modal dialog of the workbench cannot be clicked from the extension host.
   */
  answerConfirmations(answer: boolean | undefined): void;
  /** The modal questions asked since `answerConfirmations` was last called. */
  confirmations(): readonly string[];
  /** What search posted to the chat webviews (results, reveals), in order. */
  searchPosts(): readonly HostMessage[];
  /** The reading fonts posted to the chat webviews, in order (the last few). */
  fontPosts(): readonly PanelFonts[];
}


export function createTestApi(parts: Parts): TejaratTestApi {
  const { controller, tokens, clients, statusBar, views, context, display } = parts;
  const asked: string[] = [];
  const shown = parts.search.confirm;
  const searchPosts: HostMessage[] = [];
  const post = parts.search.post;
  parts.search.post = (message) => {
    searchPosts.push(message);
    post(message);
  };
  return {
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
    receive: (message) => (message.type === 'ready' ? Promise.resolve() : parts.handleIntent(message)),
    storedConversations: async () => {
      await parts.store.flush();
      const fresh = createConversationStore(context, parts.log);
      await fresh.ready();
      const read = await Promise.all(fresh.list().map((summary) => fresh.read(summary.id)));
      return read.filter((conversation): conversation is Conversation => conversation !== undefined);
    },
    storageFolder: () => parts.store.path,
    statusBarVisible: () => statusBar.isVisible,
    openConversation: (id) => controller.openConversation(id),
    deleteConversation: (id) => controller.deleteConversation(id),
    surfaces: () => views.surfaceCounts,
    forceDisplayLanguage: async (locale) => {
      if (locale === undefined) return display.reset();
      const file = vscode.Uri.joinPath(context.extensionUri, 'l10n', `bundle.l10n.${locale}.json`);
      const bundle = locale === 'en' ? {} : (JSON.parse(new TextDecoder().decode(await vscode.workspace.fs.readFile(file))) as Record<string, string>);
      display.force(locale, bundle);
    },
    notices: () => [...clients.notices],
    answerConfirmations: (answer) => {
      asked.length = 0;
      parts.search.confirm = answer === undefined ? shown : async (message) => {
        asked.push(message);
        return answer;
      };
    },
    confirmations: () => [...asked],
    searchPosts: () => [...searchPosts],
    fontPosts: () => [...views.fontPosts],
  };
}

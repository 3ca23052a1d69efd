// The chat as a webview view (its own activity-bar container) and as an editor panel. Both show the one
// conversation of the controller: every host message goes to every open surface, and a surface that (re)loads
// asks for the whole state with `ready`.
//
// Streaming path: `webview.postMessage` can hang (microsoft/vscode#159431), so it is never awaited; appends that
// arrive in the same turn of the event loop are merged into one message.
import * as vscode from 'vscode';
import { type HostMessage, isWebviewMessage, type Locale, type WebviewMessage } from '../shared/messages';
import type { ChatController } from '../chat/controller';
import { renderWebviewHtml } from './webviewHtml';
import { FONT_SETTINGS, panelFonts } from './panelFonts';

export const VIEW_ID = 'tejarat.chatView';
export const PANEL_TYPE = 'tejarat.chatPanel';

/** A tab of the chat panel; VS Code reports its view type with an internal prefix. */
function isChatPanelTab(tab: vscode.Tab): boolean {
  return tab.input instanceof vscode.TabInputWebview && (tab.input.viewType === PANEL_TYPE || tab.input.viewType.endsWith(`-${PANEL_TYPE}`));
}

interface Surface {
  readonly kind: 'view' | 'panel';
  readonly webview: vscode.Webview;
  /** Set after the webview said `ready` and got the state; until then it is sent nothing. */
  ready: boolean;
  visible(): boolean;
}

export type WebviewIntentHandler = (message: Exclude<WebviewMessage, { type: 'ready' }>) => void;

export class ChatViews implements vscode.WebviewViewProvider, vscode.Disposable {
  private readonly surfaces = new Set<Surface>();
  private panel: vscode.WebviewPanel | undefined;
  private readonly queue: HostMessage[] = [];
  private flushScheduled = false;
  private readonly disposables: vscode.Disposable[] = [];
  private pendingReveal: { message: Extract<HostMessage, { type: 'revealTurn' }>; until: number } | undefined;

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly controller: ChatController,
    private readonly onIntent: WebviewIntentHandler,
    private readonly hasToken: () => Promise<boolean>,
    private readonly locale: () => Locale,
    private readonly log: vscode.LogOutputChannel,
  ) {
    this.disposables.push(controller.onMessage((message) => this.enqueue(message)));
    this.disposables.push(vscode.workspace.onDidChangeConfiguration((event) => {
      // Applied live: the open panels get the new fonts without a reload.
      if (FONT_SETTINGS.some((setting) => event.affectsConfiguration(setting))) this.enqueue({ type: 'fonts', fonts: panelFonts() });
    }));
  }

  /** The `fonts` messages posted to ready chat webviews, in order. For the tests. */
  readonly fontPosts: Array<Extract<HostMessage, { type: 'fonts' }>['fonts']> = [];

  resolveWebviewView(view: vscode.WebviewView): void {
    const surface: Surface = { kind: 'view', webview: view.webview, ready: false, visible: () => view.visible };
    this.attach(surface, view.onDidDispose, () => undefined);
    // Without retainContextWhenHidden the webview is torn down while hidden and sends `ready` again when shown.
    const visibility = view.onDidChangeVisibility(() => {
      if (!view.visible) surface.ready = false;
    });
    view.onDidDispose(() => visibility.dispose());
  }

  /**
   * Opens (or brings forward) the chat as an editor tab. A chat tab that this extension host does not own is one
   * left frozen by an extension host that died, or one VS Code restored and has not shown yet: the new tab takes its
   * place, so there is never a second chat tab.
   */
  openPanel(): void {
    if (this.panel) {
      this.panel.reveal(undefined, false);
      return;
    }
    const stale = vscode.window.tabGroups.all.flatMap((group) => group.tabs).filter(isChatPanelTab);
    const panel = vscode.window.createWebviewPanel(
      PANEL_TYPE,
      vscode.l10n.t('Tejarat Chat'),
      { viewColumn: stale[0]?.group.viewColumn ?? vscode.ViewColumn.Beside, preserveFocus: false },
      { enableScripts: true, localResourceRoots: this.resourceRoots() },
    );
    this.adoptPanel(panel);
    // Closed once the new tab is in their group, so that closing them never removes the group.
    if (stale.length > 0) {
      vscode.window.tabGroups.close(stale).then(undefined, (error: unknown) => this.log.warn(`could not close an old chat tab: ${String(error)}`));
    }
  }

  /**
   * The chat tab VS Code kept from the last session (its webview panel serializer): it shows the open conversation,
   * which the store remembers across reloads.
   */
  restorePanel(panel: vscode.WebviewPanel): void {
    if (this.panel) {
      // One chat tab at a time; a second would show the same conversation twice.
      panel.dispose();
      return;
    }
    this.adoptPanel(panel);
  }

  private adoptPanel(panel: vscode.WebviewPanel): void {
    panel.iconPath = vscode.Uri.joinPath(this.extensionUri, 'media', 'activity-icon.svg');
    this.panel = panel;
    const surface: Surface = { kind: 'panel', webview: panel.webview, ready: false, visible: () => panel.visible };
    this.attach(surface, panel.onDidDispose, () => (this.panel = undefined));
    const visibility = panel.onDidChangeViewState(() => {
      if (!panel.visible) surface.ready = false;
    });
    panel.onDidDispose(() => visibility.dispose());
  }

  /**
   * Brings the chat to the front: the editor panel when it is open (unless the view is asked for), else the view.
   * Never waits for the webview's page.
   */
  async reveal(where: 'any' | 'view' = 'any'): Promise<void> {
    if (this.panel && where === 'any') {
      this.panel.reveal(undefined, true);
      return;
    }
    await vscode.commands.executeCommand(`${VIEW_ID}.focus`);
  }

  /** Chat surfaces that exist (shown or not), and those whose page loaded and said `ready`. For the tests. */
  get surfaceCounts(): { open: number; ready: number } {
    return { open: this.surfaces.size, ready: [...this.surfaces].filter((surface) => surface.ready).length };
  }

  private attach(surface: Surface, onDidDispose: vscode.Event<void>, cleanup: () => void): void {
    const { webview } = surface;
    webview.options = { enableScripts: true, localResourceRoots: this.resourceRoots() };
    webview.html = this.html(webview);
    this.surfaces.add(surface);
    const received = webview.onDidReceiveMessage((message: unknown) => this.receive(surface, message));
    onDidDispose(() => {
      received.dispose();
      this.surfaces.delete(surface);
      cleanup();
      // Closing the chat stops the answer, unless the chat is still on screen elsewhere.
      if (![...this.surfaces].some((other) => other.visible())) void this.controller.stop();
    });
  }

  private receive(surface: Surface, message: unknown): void {
    if (!isWebviewMessage(message)) {
      this.log.warn('Ignored a message of unknown shape from the chat webview.');
      return;
    }
    if (message.type === 'ready') {
      void this.sendState(surface);
      return;
    }
    this.onIntent(message);
  }

  private async sendState(surface: Surface): Promise<void> {
    await this.controller.ready();
    const hasToken = await this.hasToken();
    // Everything queued so far predates the snapshot: deliver it to the others first, then snapshot and post in
    // the same synchronous step so this surface neither misses nor doubles any appended text.
    this.flush();
    const state = this.controller.snapshot(hasToken);
    surface.ready = true;
    this.post(surface, { type: 'state', state });
    this.post(surface, { type: 'fonts', fonts: panelFonts() });
    const reveal = this.pendingReveal;
    if (reveal && reveal.until > Date.now() && state.conversation.turns.some((turn) => turn.id === reveal.message.turnId)) {
      this.post(surface, reveal.message);
      this.pendingReveal = undefined;
    }
  }

  /**
   * Posts to every chat webview. A `revealTurn` is also kept for a few seconds and given to a webview that becomes
   * ready meanwhile: opening a search result may be what brings the chat on screen.
   */
  send(message: HostMessage): void {
    if (message.type === 'revealTurn') this.pendingReveal = { message, until: Date.now() + 10_000 };
    this.enqueue(message);
  }

  private enqueue(message: HostMessage): void {
    const last = this.queue.at(-1);
    if (message.type === 'append' && last?.type === 'append' && last.turnId === message.turnId) {
      this.queue[this.queue.length - 1] = { ...last, text: last.text + message.text };
    } else {
      this.queue.push(message);
    }
    if (!this.flushScheduled) {
      this.flushScheduled = true;
      // setImmediate runs after the pending I/O callbacks: every chunk parsed from one socket read joins one post.
      setImmediate(() => this.flush());
    }
  }

  private flush(): void {
    this.flushScheduled = false;
    if (this.queue.length === 0) return;
    const messages = this.queue.splice(0);
    for (const surface of this.surfaces) {
      if (!surface.ready) continue;
      for (const message of messages) this.post(surface, message);
      // Delivered: a view shown again later does not jump back to it.
      if (this.pendingReveal && messages.includes(this.pendingReveal.message)) this.pendingReveal = undefined;
    }
  }

  private post(surface: Surface, message: HostMessage): void {
    let posted: Thenable<boolean>;
    if (message.type === 'fonts' && this.fontPosts.push(message.fonts) > 20) this.fontPosts.shift();
    try {
      posted = surface.webview.postMessage(message);
    } catch (error) {
      // A webview disposed a moment ago throws; its dispose handler removes it from the set.
      surface.ready = false;
      this.log.debug(`Posting to the chat webview failed: ${String(error)}`);
      return;
    }
    posted.then(
      (delivered) => {
        // A hidden webview drops messages; it asks for the whole state when it comes back.
        if (!delivered) surface.ready = false;
      },
      (error: unknown) => this.log.debug(`Posting to the chat webview failed: ${String(error)}`),
    );
  }

  private resourceRoots(): vscode.Uri[] {
    return [vscode.Uri.joinPath(this.extensionUri, 'dist'), vscode.Uri.joinPath(this.extensionUri, 'media')];
  }

  private html(webview: vscode.Webview): string {
    const locale = this.locale();
    const asset = (...path: string[]): string => webview.asWebviewUri(vscode.Uri.joinPath(this.extensionUri, ...path)).toString();
    try {
      return renderWebviewHtml({
        cspSource: webview.cspSource,
        scriptUri: asset('dist', 'webview.js'),
        styleUri: asset('dist', 'webview.css'),
        fontUri: asset('dist', 'fonts', 'Vazirmatn-Variable.woff2'),
        nonce: nonce(),
        locale,
        dir: locale === 'fa' ? 'rtl' : 'ltr',
      });
    } catch (error) {
      // A page that says what happened beats a blank panel; commands and Insert keep working without it.
      this.log.error(`The chat page could not be built: ${error instanceof Error ? error.message : String(error)}`);
      const message = vscode.l10n.t('The chat could not be loaded. Run "Tejarat: Show Log" for details.');
      const escaped = message.replace(/[&<>"]/g, (character) => `&#${character.charCodeAt(0)};`);
      return `<!DOCTYPE html><html><head><meta http-equiv="Content-Security-Policy" content="default-src 'none'"></head><body><p>${escaped}</p></body></html>`;
    }
  }

  dispose(): void {
    this.panel?.dispose();
    for (const disposable of this.disposables) disposable.dispose();
    this.queue.length = 0;
  }
}

function nonce(): string {
  return Buffer.from(globalThis.crypto.getRandomValues(new Uint8Array(18))).toString('base64');
}

// One status bar item for the extension's state. Clicking it runs Check Connection.
import * as vscode from 'vscode';
import type { StreamingStatus } from './core/types';

export type StatusKind = 'idle' | 'streaming' | 'fallback' | 'offline' | 'noToken';

export interface StatusInputs {
  hasToken: boolean | undefined;
  busy: boolean;
  offline: boolean;
  streaming: StreamingStatus;
}

/** Which state wins when several hold: an answer in progress first, then what the user must fix. */
export function statusKind(inputs: StatusInputs): StatusKind {
  if (inputs.busy) return 'streaming';
  if (inputs.hasToken === false) return 'noToken';
  if (inputs.offline) return 'offline';
  if (inputs.streaming === 'fallback') return 'fallback';
  return 'idle';
}

export class StatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('tejarat.status', vscode.StatusBarAlignment.Right, 100);
  private inputs: StatusInputs = { hasToken: undefined, busy: false, offline: false, streaming: 'unknown' };
  private shown: StatusKind | undefined;
  private visible = false;

  /**
   * The extension activates when VS Code has started, in every window: the item shows there only when the window
   * has a history of conversations, and elsewhere once the chat is used.
   */
  constructor(visible = true) {
    this.item.name = vscode.l10n.t('Tejarat Chat');
    this.item.command = 'tejarat.checkConnection';
    this.render();
    if (visible) this.reveal();
  }

  reveal(): void {
    if (this.visible) return;
    this.visible = true;
    this.item.show();
  }

  get isVisible(): boolean {
    return this.visible;
  }

  update(change: Partial<StatusInputs>): void {
    this.inputs = { ...this.inputs, ...change };
    // A question, a connection check or a change of the core's settings is use of the chat; the token read at startup is not.
    if (change.busy !== undefined || change.offline !== undefined || change.streaming !== undefined) this.reveal();
    this.render();
  }

  get kind(): StatusKind {
    return statusKind(this.inputs);
  }

  get text(): string {
    return this.item.text;
  }

  private render(): void {
    const kind = statusKind(this.inputs);
    // A chunk arrives every few milliseconds; touching the item only on a change keeps that path free.
    if (kind === this.shown) return;
    this.shown = kind;
    const check = vscode.l10n.t('Click to check the connection.');
    const looks: Record<StatusKind, { icon: string; tooltip: string; background?: string }> = {
      idle: { icon: '$(comment-discussion)', tooltip: vscode.l10n.t('Tejarat Chat is ready.') },
      streaming: { icon: '$(sync~spin)', tooltip: vscode.l10n.t('Tejarat is answering…') },
      fallback: {
        icon: '$(arrow-swap)',
        tooltip: vscode.l10n.t('The core does not stream yet: answers arrive whole (fallback).'),
      },
      offline: {
        icon: '$(debug-disconnect)',
        tooltip: vscode.l10n.t('The RAG Core could not be reached.'),
        background: 'statusBarItem.warningBackground',
      },
      noToken: {
        icon: '$(key)',
        tooltip: vscode.l10n.t('No access token is set.'),
        background: 'statusBarItem.warningBackground',
      },
    };
    const look = looks[kind];
    this.item.text = `${look.icon} Tejarat`;
    this.item.tooltip = `${look.tooltip} ${check}`;
    this.item.backgroundColor = look.background ? new vscode.ThemeColor(look.background) : undefined;
    this.item.accessibilityInformation = { label: `Tejarat: ${look.tooltip}` };
  }

  dispose(): void {
    this.item.dispose();
  }
}

import type * as vscode from 'vscode';

export function activate(_context: vscode.ExtensionContext): void {
  // Filled in by the VS Code integration.
}

export function deactivate(): void {}

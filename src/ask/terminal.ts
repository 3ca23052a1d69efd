// "Ask Tejarat" on the terminal's selection.
//
// The stable API (through 1.100) has no way to read a terminal's selection. `Terminal.selection` is the
// `terminalSelection` proposal, yet VS Code 1.93+ keeps it up to date for every extension and reads it without
// the proposal check, so it is read where it exists. Where it does not (a VS Code that dropped or renamed it), the
// selection is copied through the clipboard, whose previous text is put back at once.
import * as vscode from 'vscode';

type WithSelection = vscode.Terminal & { readonly selection?: string };

/** The terminal a `terminal/context` menu passes, else the active one. */
export function targetTerminal(argument: unknown): vscode.Terminal | undefined {
  const given = vscode.window.terminals.find((terminal) => terminal === argument);
  return given ?? vscode.window.activeTerminal;
}

export async function terminalSelection(terminal: vscode.Terminal): Promise<string> {
  if ('selection' in terminal) return (terminal as WithSelection).selection ?? '';
  if (terminal !== vscode.window.activeTerminal) return '';
  const previous = await vscode.env.clipboard.readText();
  try {
    // Emptied first: with nothing selected, copySelection leaves the clipboard as it was.
    await vscode.env.clipboard.writeText('');
    await vscode.commands.executeCommand('workbench.action.terminal.copySelection');
    return await vscode.env.clipboard.readText();
  } finally {
    await vscode.env.clipboard.writeText(previous);
  }
}

// The chat panel's reading fonts from the settings. The panel's own size wins; 0 follows VS Code's chat font size
// where this VS Code has that setting, else the editor's. Code uses the editor's font family at the panel's size,
// so code and prose grow together.
import * as vscode from 'vscode';
import { FONT_SIZE_MAX, FONT_SIZE_MIN, type PanelFonts } from '../shared/messages';

/** The settings a change of which changes the panel's fonts. */
export const FONT_SETTINGS = ['tejarat.chat.fontSize', 'chat.fontSize', 'editor.fontSize', 'editor.fontFamily'] as const;

const DEFAULT_SIZE = 13;

function size(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) && value > 0
    ? Math.min(FONT_SIZE_MAX, Math.max(FONT_SIZE_MIN, value))
    : undefined;
}

export function panelFonts(): PanelFonts {
  const settings = vscode.workspace.getConfiguration();
  const family = settings.get<unknown>('editor.fontFamily');
  return {
    fontSize: size(settings.get<unknown>('tejarat.chat.fontSize'))
      ?? size(settings.get<unknown>('chat.fontSize'))
      ?? size(settings.get<unknown>('editor.fontSize'))
      ?? DEFAULT_SIZE,
    codeFontFamily: typeof family === 'string' ? family : '',
  };
}

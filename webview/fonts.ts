// The reading fonts the host sends (`fonts`): set as CSS variables on the root element, which media/webview.css
// reads for the text and for code. Set through the CSSOM, which the panel's CSP allows (no inline style).
import { readHostMessage, type PanelFonts } from '../src/shared/messages';

export function applyFonts(root: HTMLElement, fonts: PanelFonts): void {
  root.style.setProperty('--tj-font-size', `${fonts.fontSize}px`);
  root.style.setProperty('--tj-code-font-size', `${fonts.fontSize}px`);
  if (fonts.codeFontFamily) root.style.setProperty('--tj-code-font', fonts.codeFontFamily);
  else root.style.removeProperty('--tj-code-font');
}

/** Applies every `fonts` message the window receives; returns the function that stops listening. */
export function listenForFonts(target: Window, root: HTMLElement): () => void {
  const onMessage = (event: MessageEvent<unknown>) => {
    const message = readHostMessage(event.data);
    if (message?.type === 'fonts') applyFonts(root, message.fonts);
  };
  target.addEventListener('message', onMessage);
  return () => target.removeEventListener('message', onMessage);
}

// A codicon. Only the glyphs the panel uses have a class in media/webview.css (keeps the stylesheet small).
export type IconName =
  | 'account' | 'add' | 'book' | 'check' | 'chevron-right' | 'circle-slash' | 'comment-discussion' | 'copy'
  | 'debug-disconnect' | 'debug-stop' | 'error' | 'file-media' | 'insert' | 'key' | 'link-external'
  | 'loading' | 'new-file' | 'refresh' | 'send' | 'sparkle' | 'warning' | 'info' | 'search' | 'close';

export function Icon({ name, spin = false }: { name: IconName | string; spin?: boolean }) {
  return <span class={`codicon codicon-${name}${spin ? ' codicon-modifier-spin' : ''}`} aria-hidden="true" />;
}

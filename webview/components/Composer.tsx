// The question input: multi-line, Enter sends, Shift+Enter adds a line, the Send button becomes Stop while an
// answer is running. The text lives in the store (and VS Code's webview state), so it survives hiding the panel.
import { useEffect, useRef } from 'preact/hooks';
import type { Translate } from '../i18n';
import { Icon } from './Icon';

interface Props {
  draft: string;
  busy: boolean;
  focusRequest: number;
  dir: 'ltr' | 'rtl';
  t: Translate;
  setDraft(text: string): void;
  send(): void;
  stop(): void;
}

export function Composer({ draft, busy, focusRequest, dir, t, setDraft, send, stop }: Props) {
  const input = useRef<HTMLTextAreaElement>(null);

  useEffect(() => {
    if (focusRequest > 0) input.current?.focus();
  }, [focusRequest]);

  // The input grows with its text by CSS (field-sizing), up to max-block-size: measuring it here after every key
  // forced the page's layout three times per keystroke.

  const onKeyDown = (event: KeyboardEvent) => {
    // While an input method composes (Persian, CJK), Enter confirms the composition and must not send.
    if (event.key !== 'Enter' || event.shiftKey || event.isComposing) return;
    event.preventDefault();
    if (!busy) send();
  };

  return (
    <form class="composer" onSubmit={(event) => { event.preventDefault(); if (!busy) send(); }}>
      <textarea
        ref={input}
        class="composer-input"
        rows={1}
        dir={dir}
        value={draft}
        aria-label={t('inputLabel')}
        placeholder={t('inputPlaceholder')}
        onInput={(event) => setDraft(event.currentTarget.value)}
        onKeyDown={onKeyDown}
      />
      {busy ? (
        <button type="button" class="primary-button stop-button" title={t('stop')} aria-label={t('stop')} onClick={stop}>
          <Icon name="debug-stop" />
        </button>
      ) : (
        <button type="submit" class="primary-button send-button" title={t('send')} aria-label={t('send')} disabled={draft.trim() === ''}>
          <Icon name="send" />
        </button>
      )}
    </form>
  );
}

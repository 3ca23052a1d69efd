// The chat panel: toolbar, conversation, live region, input.
import { useEffect, useLayoutEffect, useMemo, useRef, useState } from 'preact/hooks';
import { translator, type Translate } from '../i18n';
import type { Direction } from '../../src/shared/direction';
import { MarkdownEnvContext, type MarkdownEnv } from '../markdown/render';
import { isActive, type Announcement, type ChatModel, type ChatStore } from '../store';
import { Composer } from './Composer';
import { EmptyState } from './EmptyState';
import { Icon } from './Icon';
import { firstShownAtOnce, TurnGroup, turnsPerGroup, TurnVisibility } from './LazyTurn';
import type { TurnActions } from './TurnView';
import { SearchBox } from './SearchBox';
import { useAnswerKeys } from '../answerKeys';

function announcementText(announcement: Announcement | undefined, t: Translate): string {
  if (!announcement) return '';
  switch (announcement.text) {
    case 'ready':
      return announcement.sources > 0 ? t('answerReadyWithSources', announcement.sources) : t('answerReady');
    case 'stopped':
      return t('answerStopped');
    case 'cut-off':
      return t('answerCutOff');
    case 'error':
      return t('answerFailed', announcement.error ?? '');
  }
}

/**
 * Follows the end of the conversation while the reader is there; leaves them alone once they scroll up.
 *
 * The scroll happens in a ResizeObserver callback, which Chromium runs after the frame's layout: reading
 * `scrollHeight` there is free. Doing it in a layout effect right after the DOM update (as before) forced a
 * synchronous layout of the whole growing answer inside the animation frame callback, and a second layout followed
 * in the frame's own lifecycle. The content's height also changes only when a line wraps, not on every chunk.
 */
function useStickToBottom(hasContent: boolean) {
  const scroller = useRef<HTMLElement>(null);
  const content = useRef<HTMLDivElement>(null);
  const stick = useRef(true);
  const onScroll = () => {
    const element = scroller.current;
    if (element) stick.current = element.scrollHeight - element.scrollTop - element.clientHeight < 48;
  };
  useLayoutEffect(() => {
    const element = scroller.current;
    const inner = content.current;
    if (!element || !inner) return undefined;
    const follow = () => {
      if (stick.current) element.scrollTop = element.scrollHeight;
    };
    const observer = new ResizeObserver(follow);
    observer.observe(inner);
    // The viewport shrinking (a taller input, a banner) also moves the end out of view.
    observer.observe(element);
    return () => observer.disconnect();
  }, [hasContent]);
  return { scroller, content, onScroll };
}

export function App({ store }: { store: ChatStore }) {
  const [model, setModel] = useState<ChatModel>(store.model);
  useEffect(() => store.subscribe(setModel), [store]);

  const t = useMemo(() => translator(model.locale), [model.locale]);
  const fallback: Direction = model.locale === 'fa' ? 'rtl' : 'ltr';
  const env = useMemo<MarkdownEnv>(() => ({
    fallback,
    t,
    openLink: (url) => store.openLink(url),
    copyCode: (code) => store.copy(code),
    insertCode: (code) => store.insert(code, 'cursor'),
    previewSource: (turnId, index) => store.previewSource(turnId, index),
  }), [fallback, t, store]);
  const actions = useMemo<TurnActions>(() => ({
    retry: (turnId) => store.retry(turnId),
    editQuestion: (turnId, text) => store.editQuestion(turnId, text),
    laterTurns: (turnId) => store.laterTurns(turnId),
    regenerate: (turnId) => store.regenerate(turnId),
    selectVersion: (turnId, index) => store.selectVersion(turnId, index),
    copy: (text) => store.copy(text),
    insert: (text, target) => store.insert(text, target),
    openLink: (url) => store.openLink(url),
    openAnswer: (turnId) => store.openAnswer(turnId),
  }), [store]);

  const busy = model.turns.some(isActive);
  useEffect(() => {
    const onKeyDown = (event: KeyboardEvent) => {
      // Esc while an input method composes only cancels the composition.
      if (event.key === 'Escape' && !event.isComposing && store.busy) {
        event.preventDefault();
        store.stop();
      }
    };
    window.addEventListener('keydown', onKeyDown);
    return () => window.removeEventListener('keydown', onKeyDown);
  }, [store]);

  useEffect(() => {
    document.documentElement.lang = model.locale;
    document.documentElement.dir = fallback;
  }, [model.locale, fallback]);

  const { scroller, content, onScroll } = useStickToBottom(model.turns.length > 0);
  useAnswerKeys(scroller, t);
  const visibility = useMemo(() => ({ groups: new TurnVisibility(), slots: new TurnVisibility() }), []);
  useLayoutEffect(() => {
    if (scroller.current) {
      visibility.groups.attach(scroller.current);
      visibility.slots.attach(scroller.current);
    }
    return () => {
      visibility.groups.detach();
      visibility.slots.detach();
    };
  }, [visibility, scroller]);
  // The panel opens at the end: the newest turns filling two screens are built at once, the rest when near the view.
  const shownAtOnce = firstShownAtOnce(model.turns, 2 * window.innerHeight);
  // Stable, so that typing or a streaming answer does not render the composer's handlers anew.
  const composerActions = useMemo(() => ({
    setDraft: (text: string) => store.setDraft(text),
    send: () => store.send(),
    stop: () => store.stop(),
  }), [store]);

  return (
    <MarkdownEnvContext.Provider value={env}>
      <div class="panel" aria-label={t('panelLabel')}>
        <header class="toolbar">
          <span class="toolbar-title">{t('assistant')}</span>
          <SearchBox t={t} fallback={fallback} post={(message) => store.postSearch(message)} />
          <button type="button" class="icon-button" title={t('newConversation')} aria-label={t('newConversation')}
            disabled={busy} onClick={() => store.newConversation()}>
            <Icon name="add" />
          </button>
        </header>
        <main class={busy ? 'conversation streaming' : 'conversation'} ref={scroller} onScroll={onScroll} aria-label={t('conversationLabel')}>
          {model.turns.length === 0 ? (
            <EmptyState t={t} hasToken={model.hasToken} setToken={() => store.setToken()} />
          ) : (
            <div class="turns" ref={content}>
              {Array.from({ length: Math.ceil(model.turns.length / turnsPerGroup) }, (_, group) => (
                <TurnGroup key={group} first={group * turnsPerGroup}
                  turns={model.turns.slice(group * turnsPerGroup, (group + 1) * turnsPerGroup)} busy={busy}
                  shownAtOnce={shownAtOnce} t={t} fallback={fallback} actions={actions} groups={visibility.groups} slots={visibility.slots} />
              ))}
            </div>
          )}
        </main>
        {!model.hasToken && model.turns.length > 0 && (
          <div class="token-banner" role="note">
            <Icon name="key" />
            <span>{t('noTokenTitle')}</span>
            <button type="button" class="secondary-button" onClick={() => store.setToken()}>{t('setToken')}</button>
          </div>
        )}
        {model.undo && (
          <div class="undo-banner" role="note">
            <Icon name="history" />
            <span>{t('editReplaced', model.undo.replaced)}</span>
            <button type="button" class="secondary-button" onClick={() => store.undoEdit()}>
              <Icon name="discard" />
              <span>{t('undoEdit')}</span>
            </button>
          </div>
        )}
        <div class="visually-hidden" role="status" aria-live="polite" aria-atomic="true">
          {announcementText(model.announcement, t)}
        </div>
        <Composer draft={model.draft} busy={busy} focusRequest={model.focusRequest} dir={fallback} t={t}
          setDraft={composerActions.setDraft} send={composerActions.send} stop={composerActions.stop} />
      </div>
    </MarkdownEnvContext.Provider>
  );
}

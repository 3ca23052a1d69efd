// One question and its answer: the streamed markdown, a status line for stopped, cut-off and failed answers
// (their partial text stays), sources, the details line and the answer's actions.
import { Component } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import type { Translate } from '../i18n';
import { blockDirection, type Direction } from '../../src/shared/direction';
import { MarkdownView } from '../markdown/render';
import { isActive, type TurnModel } from '../store';
import type { InsertTarget } from '../../src/shared/messages';
import { Icon } from './Icon';
import { SentContextView } from './SentContext';
import { Sources } from './Sources';

export interface TurnActions {
  retry(turnId: string): void;
  /** Asks `text` in place of the turn's question; false when nothing was sent. */
  editQuestion(turnId: string, text: string): boolean;
  /** How many turns follow the turn: an edit of its question replaces them too. */
  laterTurns(turnId: string): number;
  regenerate(turnId: string): void;
  selectVersion(turnId: string, index: number): void;
  copy(text: string): void;
  insert(text: string, target: InsertTarget): void;
  openLink(url: string): void;
  openAnswer(turnId: string): void;
}

export interface TurnViewProps {
  turn: TurnModel;
  t: Translate;
  fallback: Direction;
  actions: TurnActions;
  /** Retry (of a stopped, cut-off or failed answer) is offered only when nothing else is running. */
  canRetry: boolean;
}

function Details({ turn, t }: { turn: TurnModel; t: Translate }) {
  const metadata = turn.metadata;
  const parts: string[] = [];
  if (metadata?.model) parts.push(t('model', metadata.model));
  if (metadata?.tokens !== undefined) parts.push(t('tokens', metadata.tokens));
  if (metadata?.processingTimeMs !== undefined) parts.push(t('seconds', Math.round(metadata.processingTimeMs / 100) / 10));
  if (metadata?.cached) parts.push(t('cached'));
  if (parts.length === 0 && turn.mode !== 'fallback') return null;
  return (
    <div class="details">
      {parts.map((part) => <span key={part} class="detail">{part}</span>)}
      {turn.mode === 'fallback' && <span class="detail fallback-mode" title={t('fallbackModeTitle')}>{t('fallbackMode')}</span>}
    </div>
  );
}

function ActionButton({ icon, label, onClick, doneLabel }: { icon: string; label: string; onClick(): void; doneLabel?: string }) {
  const [done, setDone] = useState(false);
  const click = () => {
    onClick();
    if (!doneLabel) return;
    setDone(true);
    setTimeout(() => setDone(false), 1500);
  };
  return (
    <button type="button" class="action-button" onClick={click}>
      <Icon name={done ? 'check' : icon} />
      <span>{done && doneLabel ? doneLabel : label}</span>
    </button>
  );
}

/**
 * "Waiting for RAG Core… 14 s" from the question until the first answer text: a core may take a minute and a half
 * before it says anything. One timer, only while this line is shown, ticking on whole seconds since the question.
 */
function WaitingLine({ t, since }: { t: Translate; since: number }) {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const schedule = (current: number) => {
      timer = setTimeout(() => {
        const next = Date.now();
        setNow(next);
        schedule(next);
      }, 1000 - (Math.max(0, current - since) % 1000));
    };
    schedule(Date.now());
    return () => clearTimeout(timer);
  }, [since]);
  const seconds = Math.floor(Math.max(0, now - since) / 1000);
  return (
    <p class="thinking waiting">
      <Icon name="loading" spin />
      <span>{seconds >= 1 ? t('waitingSeconds', seconds) : t('waiting')}</span>
    </p>
  );
}

function StatusLine({ turn, t, canRetry, retry }: { turn: TurnModel; t: Translate; canRetry: boolean; retry(): void }) {
  const message = turn.status === 'stopped' ? t('stopped')
    : turn.status === 'cut-off' ? (turn.error?.message ?? t('cutOff'))
    : turn.status === 'error' ? (turn.error?.message ?? t('failed'))
    : undefined;
  if (!message) return null;
  const icon = turn.status === 'stopped' ? 'circle-slash' : turn.status === 'cut-off' ? 'debug-disconnect' : 'error';
  return (
    <div class={`turn-status status-${turn.status}`} role="note">
      <Icon name={icon} />
      <span class="turn-status-text">{message}</span>
      {canRetry && (
        <button type="button" class="secondary-button" onClick={retry}>
          <Icon name="refresh" />
          <span>{t('retry')}</span>
        </button>
      )}
    </div>
  );
}

/**
 * The question, or the field that edits it in place: Enter (or Send) resends, Shift+Enter adds a line, Esc cancels.
 * When later turns exist, sending first asks to replace them, in the panel, where the user looks.
 */
function Question({ turn, t, fallback, actions }: { turn: TurnModel; t: Translate; fallback: Direction; actions: TurnActions }) {
  const [editing, setEditing] = useState<string | undefined>(undefined);
  const [confirming, setConfirming] = useState(0);
  const field = useRef<HTMLTextAreaElement>(null);
  const editButton = useRef<HTMLButtonElement>(null);
  const replaceButton = useRef<HTMLButtonElement>(null);
  const open = editing !== undefined;
  useEffect(() => {
    if (!open) return;
    if (confirming > 0) replaceButton.current?.focus();
    else field.current?.focus();
  }, [open, confirming]);
  const cancel = () => {
    setEditing(undefined);
    setConfirming(0);
    // Focus goes back where it came from instead of to the page's start.
    setTimeout(() => editButton.current?.focus(), 0);
  };
  const send = (confirmed: boolean) => {
    const text = (editing ?? '').trim();
    if (text === '') return;
    const later = actions.laterTurns(turn.id);
    if (later > 0 && !confirmed) {
      setConfirming(later);
      return;
    }
    if (actions.editQuestion(turn.id, text)) {
      setEditing(undefined);
      setConfirming(0);
    }
  };
  const onKeyDown = (event: KeyboardEvent) => {
    if (event.isComposing) return;
    if (event.key === 'Escape') {
      // Esc cancels the edit, and must not also stop a running answer (the panel's own Esc).
      event.preventDefault();
      event.stopPropagation();
      cancel();
    } else if (event.key === 'Enter' && !event.shiftKey) {
      event.preventDefault();
      send(false);
    }
  };
  if (editing === undefined) {
    return (
      <>
        <div class="question-head">
          <div class="speaker"><Icon name="account" /><span>{t('you')}</span></div>
          {!isActive(turn) && (
            <button type="button" ref={editButton} class="icon-button edit-question-button" title={t('editQuestion')} aria-label={t('editQuestion')}
              onClick={() => setEditing(turn.question)}>
              <Icon name="edit" />
            </button>
          )}
        </div>
        <p class="question-text" dir={blockDirection(turn.question, fallback)}>{turn.question}</p>
      </>
    );
  }
  return (
    <>
      <div class="speaker"><Icon name="account" /><span>{t('you')}</span></div>
      <div class="question-editor" onKeyDown={(event) => {
        if (event.key === 'Escape' && !event.isComposing) { event.preventDefault(); event.stopPropagation(); cancel(); }
      }}>
        <textarea ref={field} class="question-edit-input" rows={2} dir={blockDirection(editing, fallback)} value={editing}
          aria-label={t('editQuestionLabel')} readOnly={confirming > 0}
          onInput={(event) => setEditing(event.currentTarget.value)} onKeyDown={onKeyDown} />
        {confirming > 0 ? (
          <div class="edit-confirm" role="alertdialog" aria-label={t('editConfirm', confirming)}>
            <span class="edit-confirm-text">{t('editConfirm', confirming)}</span>
            <button type="button" class="primary-button edit-confirm-replace" ref={replaceButton} onClick={() => send(true)}>
              {t('editConfirmReplace')}
            </button>
            <button type="button" class="secondary-button" onClick={cancel}>{t('editCancel')}</button>
          </div>
        ) : (
          <div class="question-edit-buttons">
            <button type="button" class="primary-button edit-send" disabled={editing.trim() === ''} onClick={() => send(false)}>{t('editSend')}</button>
            <button type="button" class="secondary-button" onClick={cancel}>{t('editCancel')}</button>
          </div>
        )}
      </div>
    </>
  );
}

/** "‹ 1 / 2 ›": which of the turn's answers is shown, and the way to the others. */
function VersionSwitch({ turn, t, actions }: { turn: TurnModel; t: Translate; actions: TurnActions }) {
  const total = (turn.otherAnswers?.length ?? 0) + 1;
  if (total < 2) return null;
  const shown = Math.min(turn.answerIndex ?? 0, total - 1);
  return (
    <div class="version-switch" role="group" aria-label={t('answerVersions')}>
      <button type="button" class="icon-button version-previous" title={t('previousAnswer')} aria-label={t('previousAnswer')}
        disabled={shown === 0} onClick={() => actions.selectVersion(turn.id, shown - 1)}>
        <Icon name="chevron-left" />
      </button>
      <span class="version-number">{t('versionOf', shown + 1, total)}</span>
      <button type="button" class="icon-button version-next" title={t('nextAnswer')} aria-label={t('nextAnswer')}
        disabled={shown === total - 1} onClick={() => actions.selectVersion(turn.id, shown + 1)}>
        <Icon name="chevron-right" />
      </button>
    </div>
  );
}

export class TurnView extends Component<TurnViewProps> {
  override shouldComponentUpdate(next: TurnViewProps): boolean {
    const props = this.props;
    return next.turn !== props.turn || next.t !== props.t || next.canRetry !== props.canRetry;
  }

  override render({ turn, t, fallback, actions, canRetry }: TurnViewProps) {
    const active = isActive(turn);
    const snapshot = turn.markdown.snapshot();
    const hasText = turn.answer.length > 0;
    const incomplete = turn.status === 'stopped' || turn.status === 'cut-off' || turn.status === 'error';
    return (
      <article class={`turn turn-${turn.status}`} data-turn-id={turn.id} aria-busy={active}>
        <div class="question">
          <Question key={turn.id} turn={turn} t={t} fallback={fallback} actions={actions} />
          <SentContextView context={turn.context} t={t} fallback={fallback} />
        </div>
        <div class={`answer${incomplete && hasText ? ' answer-incomplete' : ''}`} tabIndex={0}
          role="group" aria-label={t('answerLabel')}>
          <div class="speaker"><Icon name="sparkle" /><span>{t('assistant')}</span></div>
          {active && !hasText && <WaitingLine t={t} since={turn.startedAt} />}
          {(hasText || turn.status === 'streaming') && <MarkdownView snapshot={snapshot} streaming={active} sources={turn.sources} turnId={turn.id} />}
          {turn.truncatedForStorage && (
            <p class="turn-status status-truncated" role="note"><Icon name="info" /><span class="turn-status-text">{t('shortenedForStorage')}</span></p>
          )}
          <StatusLine turn={turn} t={t} canRetry={canRetry} retry={() => actions.retry(turn.id)} />
          {!active && <Sources sources={turn.sources} t={t} fallback={fallback} openLink={actions.openLink} snapshot={snapshot} answer={turn.answer} />}
          {!active && <Details turn={turn} t={t} />}
          {!active && <VersionSwitch turn={turn} t={t} actions={actions} />}
          {!active && hasText && (
            <div class="answer-actions">
              <ActionButton icon="copy" label={t('copy')} doneLabel={t('copied')} onClick={() => actions.copy(turn.answer)} />
              <ActionButton icon="insert" label={t('insertAtCursor')} onClick={() => actions.insert(turn.answer, 'cursor')} />
              <ActionButton icon="new-file" label={t('insertAsDocument')} onClick={() => actions.insert(turn.answer, 'newDocument')} />
              <ActionButton icon="refresh" label={t('regenerate')} onClick={() => actions.regenerate(turn.id)} />
              <ActionButton icon="book" label={t('openAsMarkdown')} onClick={() => actions.openAnswer(turn.id)} />
            </div>
          )}
        </div>
      </article>
    );
  }
}

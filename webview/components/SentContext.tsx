// What was sent with a question besides its words (a problem with the code around it, terminal output): one
// compact line under the question that opens to the exact text the core received.
import type { ComponentChildren } from 'preact';
import type { SentContext } from '../../src/shared/messages';
import { blockDirection, type Direction } from '../../src/shared/direction';
import type { StringKey, Translate } from '../i18n';
import { Icon } from './Icon';

/** The host builds the context; the panel checks again what it is about to show. */
/** A translated template with its `{n}` places filled by elements, so each language keeps its own word order. */
function fill(t: Translate, key: StringKey, parts: ComponentChildren[]): ComponentChildren[] {
  return t(key).split(/(\{\d\})/).map((piece) => {
    const place = /^\{(\d)\}$/.exec(piece);
    return place ? parts[Number(place[1])] : piece;
  });
}

export function SentContextView({ context, t, fallback }: { context: SentContext | undefined; t: Translate; fallback: Direction }) {
  if (!context) return null;
  // The problem's words and the file name keep their own direction inside the panel's sentence.
  const summary = <bdi class="sent-context-summary" dir={blockDirection(context.summary, fallback)}>{context.summary}</bdi>;
  const location = <bdi class="sent-context-location" dir="ltr">{context.location ?? context.summary}</bdi>;
  const lines = context.lines === 1 ? t('contextOneLine') : t('contextLines', context.lines);
  const label = context.kind === 'terminal'
    ? fill(t, 'contextTerminal', [summary, lines])
    : context.kind === 'selection'
      ? fill(t, 'contextSelection', [location, lines])
      : context.location
        ? fill(t, 'contextProblemAt', [summary, location])
        : fill(t, 'contextProblem', [summary]);
  return (
    <details class="sent-context">
      <summary title={t('contextSentTitle')}>
        <Icon name="chevron-right" />
        <Icon name={context.kind === 'terminal' ? 'terminal' : context.kind === 'selection' ? 'selection' : 'warning'} />
        <span class="sent-context-label">{label}</span>
        {context.truncated && <span class="sent-context-note">{t('contextShortened')}</span>}
      </summary>
      {/* Code and the core's envelope read left to right; Persian inside still runs right to left. */}
      <pre class="sent-context-text" dir="ltr">{context.text}</pre>
    </details>
  );
}

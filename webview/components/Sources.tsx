// An answer's sources, collapsed by default behind a count. Titles and snippets are text; a link opens only
// through the host and only if it is http(s) (the store dropped every other address). The list reads in the
// answer's direction (numbers on the right under a Persian answer); each title and snippet in its own. A source
// the answer cites links back to each place that cites it.
import { useMemo } from 'preact/hooks';
import type { SourceView } from '../../src/shared/messages';
import type { Translate } from '../i18n';
import { blockDirection, type Direction } from '../../src/shared/direction';
import { displayUrl } from '../markdown/urls';
import { countBlock } from '../markdown/citations';
import { decodeEntities } from '../markdown/entities';
import type { MarkdownSnapshot } from '../markdown/incremental';
import { Icon } from './Icon';
import { sourceTitle } from './CitationChip';

interface Props {
  sources: readonly SourceView[];
  t: Translate;
  fallback: Direction;
  openLink(url: string): void;
  /** The answer's markdown and text: which sources it cites, and its direction. */
  snapshot?: MarkdownSnapshot;
  answer?: string;
}

/** Enough of an answer to tell its direction: its words, not its length, decide. */
const DIRECTION_SAMPLE_CHARS = 4000;

/** How often the answer cites each source (index = source index), counted as the chips are drawn. */
function citationCounts(snapshot: MarkdownSnapshot | undefined, sourceCount: number): number[] {
  const counts: number[] = [];
  if (!snapshot || sourceCount === 0) return counts;
  for (const group of snapshot.groups) for (const block of group) countBlock(block.token, sourceCount, counts, decodeEntities);
  for (const block of snapshot.tail) countBlock(block.token, sourceCount, counts, decodeEntities);
  return counts;
}

/** Scrolls to this source's `occurrence`-th chip in the same answer, focuses it and makes it flash once. */
function goToCitation(from: HTMLElement, sourceNumber: number, occurrence: number): void {
  const turn = from.closest('.turn') ?? from.closest('.answer');
  const chips = turn?.querySelectorAll<HTMLElement>(`.citation-chip[data-source="${sourceNumber}"]`);
  const chip = chips?.[occurrence] ?? chips?.[chips.length - 1];
  if (!chip) return;
  chip.scrollIntoView({ block: 'center' });
  chip.focus({ preventScroll: true });
  chip.classList.remove('citation-flash');
  // Restart the animation when the same chip is asked for twice in a row.
  void chip.offsetWidth;
  chip.classList.add('citation-flash');
  chip.addEventListener('animationend', () => chip.classList.remove('citation-flash'), { once: true });
}

function Source({ source, number, cited, t, fallback, openLink }: { source: SourceView; number: number; cited: number } & Omit<Props, 'sources'>) {
  const title = sourceTitle(source);
  const facts = [
    source.page !== undefined ? t('page', source.page) : undefined,
    source.score !== undefined ? t('score', Math.round(source.score * 100) / 100) : undefined,
  ].filter((fact): fact is string => fact !== undefined);
  const url = source.url;
  return (
    <li class="source">
      <div class="source-title" dir={blockDirection(title, fallback)}>
        {url ? (
          <a href={url} title={url} onClick={(event) => { event.preventDefault(); openLink(url); }}>
            {title}
            <Icon name="link-external" />
          </a>
        ) : (
          <span>{title}</span>
        )}
      </div>
      {(url || facts.length > 0 || cited > 0) && (
        <div class="source-facts">
          {url && <span class="source-url" dir="ltr">{displayUrl(url)}</span>}
          {facts.map((fact) => <span key={fact} class="source-fact">{fact}</span>)}
          {cited > 0 && (
            <span class="source-cited">
              <span>{t('citedTimes', cited)}</span>
              {Array.from({ length: cited }, (_, occurrence) => (
                <a key={occurrence} href="#" class="source-backlink" aria-label={t('citationBackLink', occurrence + 1)}
                  onClick={(event) => {
                    event.preventDefault();
                    goToCitation(event.currentTarget, number, occurrence);
                  }}>
                  {/* ↑ a, b, c… in English; the occurrence number in the panel's digits in Persian. */}
                  {t('citationBackLinkText', occurrence + 1)}
                </a>
              ))}
            </span>
          )}
        </div>
      )}
      {source.snippet && <p class="source-snippet" dir={blockDirection(source.snippet, fallback)}>{source.snippet}</p>}
    </li>
  );
}

export function Sources(props: Props) {
  const { sources, snapshot, answer, fallback } = props;
  const counts = useMemo(() => citationCounts(snapshot, sources.length), [snapshot, sources]);
  const dir = answer ? blockDirection(answer.slice(0, DIRECTION_SAMPLE_CHARS), fallback) : fallback;
  if (sources.length === 0) return null;
  return (
    <details class="sources" dir={dir}>
      <summary>
        <Icon name="chevron-right" />
        <Icon name="book" />
        <span>{props.t('sources', sources.length)}</span>
      </summary>
      <ol class="source-list">
        {sources.map((source, index) => (
          <Source key={index} source={source} number={index + 1} cited={counts[index] ?? 0} {...props} />
        ))}
      </ol>
    </details>
  );
}

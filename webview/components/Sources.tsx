// An answer's sources, collapsed by default behind a count. Titles and snippets are text; a link opens only
// through the host and only if it is http(s) (the store dropped every other address).
import type { SourceView } from '../../src/shared/messages';
import type { Translate } from '../i18n';
import { blockDirection, type Direction } from '../../src/shared/direction';
import { displayUrl } from '../markdown/urls';
import { Icon } from './Icon';

interface Props {
  sources: readonly SourceView[];
  t: Translate;
  fallback: Direction;
  openLink(url: string): void;
}

function Source({ source, t, fallback, openLink }: { source: SourceView } & Omit<Props, 'sources'>) {
  const title = source.title?.trim() || (source.url ? displayUrl(source.url) : '—');
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
      {(url || facts.length > 0) && (
        <div class="source-facts">
          {url && <span class="source-url" dir="ltr">{displayUrl(url)}</span>}
          {facts.map((fact) => <span key={fact} class="source-fact">{fact}</span>)}
        </div>
      )}
      {source.snippet && <p class="source-snippet" dir={blockDirection(source.snippet, fallback)}>{source.snippet}</p>}
    </li>
  );
}

export function Sources(props: Props) {
  if (props.sources.length === 0) return null;
  return (
    <details class="sources">
      <summary>
        <Icon name="chevron-right" />
        <Icon name="book" />
        <span>{props.t('sources', props.sources.length)}</span>
      </summary>
      <ol class="source-list">
        {props.sources.map((source, index) => <Source key={index} source={source} {...props} />)}
      </ol>
    </details>
  );
}

// A citation in an answer's text: a small focusable chip per cited source. Hover or keyboard focus shows the
// source's title, snippet and score; Esc hides that; a click opens the source (its http(s) address through the
// host, or, without one, a read-only preview of its snippet in an editor tab).
import { useLayoutEffect, useRef, useState } from 'preact/hooks';
import type { SourceView } from '../../src/shared/messages';
import { blockDirection } from '../../src/shared/direction';
import type { MarkdownEnv } from '../markdown/render';
import { formatCitationNumber, type CitationRef } from '../markdown/citations';
import { displayUrl } from '../markdown/urls';

/** A snippet in a tooltip is a taste of the source, not the source. */
const TIP_SNIPPET_CHARS = 280;

/** Room kept between a tooltip and the panel's edges. */
const EDGE_PX = 4;

let nextTipId = 0;

/**
 * Keeps an open tooltip inside the panel: a chip at the end of a line (the left edge under a Persian answer)
 * would push it out, and one near the bottom opens it upwards.
 */
function keepInView(tip: HTMLElement): void {
  const rect = tip.getBoundingClientRect();
  const width = document.documentElement.clientWidth;
  const height = document.documentElement.clientHeight;
  let shift = 0;
  if (rect.left < EDGE_PX) shift = EDGE_PX - rect.left;
  else if (rect.right > width - EDGE_PX) shift = width - EDGE_PX - rect.right;
  if (shift !== 0) tip.style.transform = `translateX(${Math.round(shift)}px)`;
  if (rect.bottom > height - EDGE_PX && rect.top - rect.height > EDGE_PX) tip.classList.add('citation-tip-above');
}

function shorten(text: string): string {
  const points = [...text.trim()];
  return points.length <= TIP_SNIPPET_CHARS ? points.join('') : `${points.slice(0, TIP_SNIPPET_CHARS).join('')}…`;
}

export function sourceTitle(source: SourceView): string {
  return source.title?.trim() || (source.url ? displayUrl(source.url) : '—');
}

interface ChipProps {
  refs: readonly CitationRef[];
  sources: readonly SourceView[];
  turnId: string;
  env: MarkdownEnv;
}

function Chip({ citation, source, turnId, env }: { citation: CitationRef; source: SourceView; turnId: string; env: MarkdownEnv }) {
  const [open, setOpen] = useState(false);
  const [tipId] = useState(() => `citation-tip-${(nextTipId += 1)}`);
  const tipRef = useRef<HTMLSpanElement>(null);
  useLayoutEffect(() => {
    if (open && tipRef.current) keepInView(tipRef.current);
  }, [open]);
  const index = citation.number - 1;
  const title = sourceTitle(source);
  const url = source.url;
  const show = () => setOpen(true);
  const hide = () => setOpen(false);
  const activate = (event: MouseEvent) => {
    event.preventDefault();
    if (url) env.openLink(url);
    else env.previewSource?.(turnId, index);
  };
  const facts = [
    source.score !== undefined ? env.t('score', Math.round(source.score * 100) / 100) : undefined,
    source.page !== undefined ? env.t('page', source.page) : undefined,
  ].filter((fact): fact is string => fact !== undefined);
  return (
    <span class="citation" onMouseEnter={show} onMouseLeave={hide}>
      <button
        type="button"
        class="citation-chip"
        data-source={citation.number}
        aria-label={env.t('citationLabel', formatCitationNumber(citation), title)}
        aria-describedby={open ? tipId : undefined}
        onFocus={show}
        onBlur={hide}
        onKeyDown={(event) => {
          if (event.key === 'Escape' && open) {
            // Esc closes the tooltip only; the panel's own Esc (stop the answer) waits for the next one.
            event.stopPropagation();
            hide();
          }
        }}
        onClick={activate}
      >
        {formatCitationNumber(citation)}
      </button>
      {open && (
        <span role="tooltip" id={tipId} class="citation-tip" ref={tipRef}>
          <span class="citation-tip-title" dir={blockDirection(title, env.fallback)}>{title}</span>
          {url && <span class="citation-tip-url" dir="ltr">{displayUrl(url)}</span>}
          {source.snippet && (
            <span class="citation-tip-snippet" dir={blockDirection(source.snippet, env.fallback)}>{shorten(source.snippet)}</span>
          )}
          {facts.length > 0 && <span class="citation-tip-facts">{facts.join(' · ')}</span>}
        </span>
      )}
    </span>
  );
}

/** One marker (`[1, 2]`): a chip for each source it names, the brackets dropped. */
export function CitationChips({ refs, sources, turnId, env }: ChipProps) {
  return (
    <span class="citations">
      {refs.map((citation, position) => {
        const source = sources[citation.number - 1];
        return source ? <Chip key={position} citation={citation} source={source} turnId={turnId} env={env} /> : null;
      })}
    </span>
  );
}

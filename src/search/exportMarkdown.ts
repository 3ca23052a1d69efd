// A conversation as a Markdown document: each question, its answer as the core wrote it (already Markdown), its
// sources with their links, and the details (model, tokens, time, cached). Pure: the words come from `labels`, so
// the host hands in its localized ones.
import type { Conversation } from '../chat/conversationStore';
import { openFence } from '../chat/storage/caps';
import type { SourceView, Turn } from '../shared/messages';

export interface ExportLabels {
  untitled: string;
  question: (n: number) => string;
  answer: string;
  sources: string;
  details: string;
  model: string;
  tokens: string;
  time: (seconds: string) => string;
  cached: string;
  yes: string;
  no: string;
  /** A note for an answer that did not finish (stopped, cut off, failed, shortened for storage). */
  unfinished: (turn: Turn) => string | undefined;
  /** A date as the reader's locale writes it. */
  date: (time: number) => string;
  /** Digits as the reader's locale writes them. */
  number: (value: number) => string;
}

export const ENGLISH_LABELS: ExportLabels = {
  untitled: '(untitled)',
  question: (n) => `Question ${n}`,
  answer: 'Answer',
  sources: 'Sources',
  details: 'Details',
  model: 'Model',
  tokens: 'Tokens',
  time: (seconds) => `${seconds} s`,
  cached: 'Cached',
  yes: 'yes',
  no: 'no',
  unfinished: (turn) =>
    turn.status === 'stopped' ? 'Stopped before the answer was complete.'
      : turn.status === 'cut-off' ? 'The connection broke before the answer was complete.'
        : turn.status === 'error' ? `Error: ${turn.error?.message ?? 'the answer failed.'}`
          : turn.truncatedForStorage ? 'Shortened: the history keeps only the beginning of this answer.' : undefined,
  date: (time) => new Date(time).toISOString().replace('T', ' ').replace(/\.\d+Z$/, ' UTC'),
  number: (value) => String(value),
};

/** Text that Markdown shows as it is: no emphasis, link or HTML from a title or snippet. */
export function escapeInline(text: string): string {
  return text.replace(/\s+/g, ' ').trim().replace(/([\\`*_[\]<>#|!~])/g, '\\$1');
}

/** A link target that cannot end the link early. */
function linkTarget(url: string): string {
  return `<${url.replace(/[<>\s]/g, (char) => encodeURIComponent(char))}>`;
}

/** The question as a quote, so its own Markdown (a pasted selection with a code fence) stays inside it. */
function quote(text: string): string {
  return text.split('\n').map((line) => (line === '' ? '>' : `> ${line}`)).join('\n');
}

function source(item: SourceView, position: number, labels: ExportLabels): string {
  const title = escapeInline(item.title ?? item.url ?? labels.untitled);
  const head = item.url ? `[${title}](${linkTarget(item.url)})` : title;
  const extra: string[] = [];
  if (item.page !== undefined) extra.push(`p. ${escapeInline(String(item.page))}`);
  if (item.score !== undefined) extra.push(labels.number(Math.round(item.score * 100) / 100));
  const snippet = item.snippet ? `\n   ${escapeInline(item.snippet)}` : '';
  return `${labels.number(position + 1)}. ${head}${extra.length ? ` (${extra.join(', ')})` : ''}${snippet}`;
}

function details(turn: Turn, labels: ExportLabels): string | undefined {
  const meta = turn.metadata;
  if (!meta) return undefined;
  const parts: string[] = [];
  if (meta.model !== undefined) parts.push(`${labels.model}: ${escapeInline(meta.model)}`);
  if (meta.tokens !== undefined) parts.push(`${labels.tokens}: ${labels.number(meta.tokens)}`);
  if (meta.processingTimeMs !== undefined) parts.push(labels.time(labels.number(Math.round(meta.processingTimeMs / 100) / 10)));
  if (meta.cached !== undefined) parts.push(`${labels.cached}: ${meta.cached ? labels.yes : labels.no}`);
  return parts.length ? `*${labels.details}:* ${parts.join(' · ')}` : undefined;
}

export function conversationMarkdown(conversation: Conversation, labels: ExportLabels = ENGLISH_LABELS): string {
  const out: string[] = [`# ${escapeInline(conversation.title || labels.untitled)}`, '', `*${labels.date(conversation.createdAt)}*`];
  conversation.turns.forEach((turn, index) => {
    const answer = turn.answer.trimEnd();
    // An answer cut off inside a code block would swallow the rest of the document.
    const fence = openFence(answer);
    out.push('', `## ${labels.question(index + 1)}`, '', quote(turn.question), '', `### ${labels.answer}`, '', (answer || '—') + (fence ? `\n${fence}` : ''));
    const note = labels.unfinished(turn);
    if (note) out.push('', `> *${escapeInline(note)}*`);
    if (turn.sources.length > 0) {
      out.push('', `### ${labels.sources}`, '', ...turn.sources.map((item, position) => source(item, position, labels)));
    }
    const line = details(turn, labels);
    if (line) out.push('', line);
  });
  return out.join('\n') + '\n';
}

/** A file name from the title: no path separators or characters Windows refuses. */
export function exportFileName(title: string): string {
  // eslint-disable-next-line no-control-regex -- control characters are what a file name must not hold
  const name = title.replace(/[\\/:*?"<>|\u0000-\u001f]+/g, ' ').replace(/\s+/g, ' ').trim().slice(0, 80);
  return `${name || 'conversation'}.md`;
}

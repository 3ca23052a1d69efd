// Markdown tokens (from marked) to Preact nodes. Nothing here produces HTML: text becomes text nodes, raw HTML in
// an answer is shown as text, links keep only http and https (the shared URL policy) and open through the host,
// images are never loaded (they become links), code is highlighted from highlight.js's scope tree.
import { Component, createContext, type ComponentChildren, type JSX, type RefObject } from 'preact';
import { useContext, useEffect, useLayoutEffect, useMemo, useRef, useState } from 'preact/hooks';
import type { Token, Tokens } from 'marked';
import { blockDirection, type Direction } from '../../src/shared/direction';
import type { Translate } from '../i18n';
import { Icon } from '../components/Icon';
import { CitationChips } from '../components/CitationChip';
import type { SourceView } from '../../src/shared/messages';
import { CitationSources, mayCite, splitCitations } from './citations';
import { decodeEntities } from './entities';
import { highlightedCode, highlightWhenIdle } from './highlight';
import { groupSize, type Block, type MarkdownSnapshot } from './incremental';
import { safeUrl } from './urls';

/** What rendered markdown needs from the panel. One object per locale, so memoized blocks stay memoized. */
export interface MarkdownEnv {
  fallback: Direction;
  t: Translate;
  openLink(url: string): void;
  copyCode(code: string): void;
  insertCode(code: string): void;
  /** Shows a source without an address (its snippet) in a read-only editor tab. */
  previewSource?(turnId: string, index: number): void;
  /** The answer's sources, for its citation chips (set by MarkdownView). */
  citations?: CitationSources;
}

export const MarkdownEnvContext = createContext<MarkdownEnv | undefined>(undefined);

const Caret = () => <span class="caret" aria-hidden="true" />;

/** Has this fenced block seen its closing fence? Only then is it highlighted (never on every chunk). */
export function isFenceClosed(token: Tokens.Code): boolean {
  if (token.codeBlockStyle === 'indented') return true;
  const open = /^ {0,3}(`{3,}|~{3,})/.exec(token.raw);
  if (!open?.[1]) return true;
  const body = token.raw.replace(/\n+$/, '');
  const lastBreak = body.lastIndexOf('\n');
  if (lastBreak < 0) return false;
  const fence = open[1];
  const closing = new RegExp(`^ {0,3}${fence[0] === '`' ? '`' : '~'}{${fence.length},}[ \\t]*$`);
  return closing.test(body.slice(lastBreak + 1));
}

function onLinkClick(env: MarkdownEnv, url: string) {
  return (event: MouseEvent) => {
    event.preventDefault();
    env.openLink(url);
  };
}

/** The address of a `mailto:` link, without its query (subject, body), or undefined. */
function mailAddress(href: string): string | undefined {
  const match = /^mailto:([^?#]+)/i.exec(decodeEntities(href).trim());
  if (!match?.[1]) return undefined;
  try {
    return decodeURIComponent(match[1]);
  } catch {
    return match[1];
  }
}

function renderInline(tokens: readonly Token[] | undefined, env: MarkdownEnv, caret = false): ComponentChildren[] {
  const nodes: ComponentChildren[] = (tokens ?? []).map((token, index) => renderInlineToken(token, env, index));
  if (caret) nodes.push(<Caret key="caret" />);
  return nodes;
}

/** Plain text, its citation markers as chips when the answer has the sources they name. */
function renderText(text: string, env: MarkdownEnv, key: number): ComponentChildren {
  const citations = env.citations;
  if (!citations || citations.sources.length === 0 || !mayCite(text)) return text;
  const pieces = splitCitations(text, citations.sources.length);
  if (pieces.length === 1 && typeof pieces[0] === 'string') return text;
  return (
    <span key={key}>
      {pieces.map((piece, index) => (typeof piece === 'string' ? piece
        : <CitationChips key={index} refs={piece.refs} sources={citations.sources} turnId={citations.turnId} env={env} />))}
    </span>
  );
}

function renderInlineToken(token: Token, env: MarkdownEnv, key: number): ComponentChildren {
  switch (token.type) {
    case 'text': {
      const text = token as Tokens.Text;
      return text.tokens ? <span key={key}>{renderInline(text.tokens, env)}</span> : renderText(decodeEntities(text.text), env, key);
    }
    case 'escape':
      return decodeEntities((token as Tokens.Escape).text);
    case 'strong':
      return <strong key={key}>{renderInline((token as Tokens.Strong).tokens, env)}</strong>;
    case 'em':
      return <em key={key}>{renderInline((token as Tokens.Em).tokens, env)}</em>;
    case 'del':
      return <del key={key}>{renderInline((token as Tokens.Del).tokens, env)}</del>;
    case 'codespan':
      return <code key={key} class="inline-code" dir="ltr">{(token as Tokens.Codespan).text}</code>;
    case 'br':
      return <br key={key} />;
    case 'link': {
      const link = token as Tokens.Link;
      const url = safeUrl(link.href);
      // A chip is a button: never one inside a link's text.
      const children = renderInline(link.tokens, env.citations ? { ...env, citations: undefined } : env);
      if (!url) {
        // An e-mail address is not a live link (see the URL policy) but stays readable when the text hides it.
        const address = mailAddress(link.href);
        const shown = address && !decodeEntities(link.text).includes(address)
          ? [' (', <span key="address" class="link-address" dir="ltr">{address}</span>, ')'] : null;
        return <span key={key} class="link-removed">{children}{shown}</span>;
      }
      return (
        <a key={key} href={url} title={url} onClick={onLinkClick(env, url)}>
          {children}
        </a>
      );
    }
    case 'image': {
      // Remote images could track the reader and are not allowed by the panel's CSP: show a link instead.
      const image = token as Tokens.Image;
      const url = safeUrl(image.href);
      const label = env.t('image', decodeEntities(image.text || image.href));
      if (!url) return <span key={key} class="image-link">{label}</span>;
      return (
        <a key={key} class="image-link" href={url} title={url} onClick={onLinkClick(env, url)}>
          <Icon name="file-media" />
          {label}
        </a>
      );
    }
    case 'html':
      return <span key={key} class="raw-html">{(token as Tokens.HTML).raw}</span>;
    case 'checkbox':
      return null; // drawn by the list item, which knows whether it is checked
    default:
      return 'raw' in token && typeof token.raw === 'string' ? token.raw : null;
  }
}

function CopyButton({ text, label, icon }: { text: string; label: string; icon: string }) {
  const env = useContext(MarkdownEnvContext);
  const [copied, setCopied] = useState(false);
  if (!env) return null;
  const onClick = () => {
    env.copyCode(text);
    setCopied(true);
    setTimeout(() => setCopied(false), 1500);
  };
  return (
    <button type="button" class="icon-button" title={label} aria-label={label} onClick={onClick}>
      <Icon name={copied ? 'check' : icon} />
    </button>
  );
}

/**
 * The highlighted children of a finished code block, or undefined while it is not finished or not highlighted yet
 * (then it shows as plain text for a moment: highlighting waits for an idle period, not the next frame).
 */
function useHighlightedCode(code: string, language: string, finished: boolean, element: RefObject<Element>): ComponentChildren | undefined {
  const [, setHighlighted] = useState(0);
  const children = finished ? highlightedCode(code, language) : undefined;
  const waiting = finished && children === undefined;
  useEffect(() => (waiting ? highlightWhenIdle(code, language, () => setHighlighted((count) => count + 1), element.current ?? undefined) : undefined), [waiting, code, language]);
  return children;
}

function CodeBlock({ token, closed, caret }: { token: Tokens.Code; closed: boolean; caret: boolean }) {
  const env = useContext(MarkdownEnvContext);
  const language = token.lang?.trim().split(/\s+/)[0] ?? '';
  const finished = closed || isFenceClosed(token);
  const pre = useRef<HTMLPreElement>(null);
  const highlightedChildren = useHighlightedCode(token.text, language, finished, pre);
  if (!env) return null;
  const highlighted = highlightedChildren !== undefined;
  const body = highlightedChildren ?? token.text;
  return (
    <div class="code-block" dir="ltr">
      <div class="code-header">
        <span class="code-language">{language}</span>
        <CopyButton text={token.text} label={env.t('copyCode')} icon="copy" />
        <button type="button" class="icon-button" title={env.t('insertCode')} aria-label={env.t('insertCode')}
          onClick={() => env.insertCode(token.text)}>
          <Icon name="insert" />
        </button>
      </div>
      <pre ref={pre} tabIndex={0} aria-label={env.t('codeLabel', language || 'text')}>
        {/* Busy for the moment it waits for its colours: the same text is about to be drawn again. */}
        <code class={highlighted && language ? `hljs language-${language}` : undefined} aria-busy={finished && !highlighted ? true : undefined}>
          {body}
          {caret && <Caret />}
        </code>
      </pre>
    </div>
  );
}

function renderBlocks(tokens: readonly Token[], env: MarkdownEnv, closed: boolean, caret: boolean): ComponentChildren[] {
  const visible = tokens.filter((token) => token.type !== 'space' && token.type !== 'def');
  return visible.map((token, index) => renderBlock(token, env, closed, caret && index === visible.length - 1, index));
}

function renderListItem(item: Tokens.ListItem, env: MarkdownEnv, closed: boolean, caret: boolean, key: number) {
  const checkbox = item.task ? (
    <input type="checkbox" class="task-checkbox" checked={item.checked === true} disabled />
  ) : null;
  return (
    <li key={key} class={item.task ? 'task' : undefined}>
      {checkbox}
      {renderBlocks(item.tokens.filter((token) => token.type !== 'checkbox'), env, closed, caret)}
    </li>
  );
}

function renderTable(table: Tokens.Table, env: MarkdownEnv, key: number): JSX.Element {
  const align = (index: number) => {
    const value = table.align[index];
    return value ? `align-${value}` : undefined;
  };
  return (
    <div key={key} class="table-wrap" tabIndex={0}>
      <table dir={blockDirection(table.raw, env.fallback)}>
        <thead>
          <tr>{table.header.map((cell, index) => <th key={index} class={align(index)}>{renderInline(cell.tokens, env)}</th>)}</tr>
        </thead>
        <tbody>
          {table.rows.map((row, rowIndex) => (
            <tr key={rowIndex}>
              {row.map((cell, index) => <td key={index} class={align(index)}>{renderInline(cell.tokens, env)}</td>)}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** One block token. `closed`: no more text will reach it, so even an unclosed fence may be highlighted; `caret`: the answer is still growing here. */
export function renderBlock(token: Token, env: MarkdownEnv, closed: boolean, caret: boolean, key: number): ComponentChildren {
  const dir = () => blockDirection(token.raw, env.fallback);
  switch (token.type) {
    case 'space':
    case 'def':
      return null;
    case 'paragraph':
      return <p key={key} dir={dir()}>{renderInline((token as Tokens.Paragraph).tokens, env, caret)}</p>;
    case 'text': {
      // A tight list item's text: no paragraph of its own.
      const text = token as Tokens.Text;
      return <span key={key}>{text.tokens ? renderInline(text.tokens, env, caret) : renderText(decodeEntities(text.text), env, 0)}</span>;
    }
    case 'heading': {
      const heading = token as Tokens.Heading;
      const Tag = `h${Math.min(Math.max(heading.depth, 1), 6)}` as 'h1';
      return <Tag key={key} dir={dir()}>{renderInline(heading.tokens, env, caret)}</Tag>;
    }
    case 'code':
      return <CodeBlock key={key} token={token as Tokens.Code} closed={closed} caret={caret} />;
    case 'hr':
      return <hr key={key} />;
    case 'blockquote':
      return <blockquote key={key} dir={dir()}>{renderBlocks((token as Tokens.Blockquote).tokens, env, closed, caret)}</blockquote>;
    case 'list': {
      const list = token as Tokens.List;
      const items = list.items.map((item, index) =>
        renderListItem(item, env, closed, caret && index === list.items.length - 1, index));
      if (list.ordered) {
        const start = typeof list.start === 'number' ? list.start : undefined;
        return <ol key={key} dir={dir()} start={start}>{items}</ol>;
      }
      return <ul key={key} dir={dir()} class={list.items.some((item) => item.task) ? 'task-list' : undefined}>{items}</ul>;
    }
    case 'table':
      return renderTable(token as Tokens.Table, env, key);
    case 'html':
      // Raw HTML from an answer is text, never markup.
      return <pre key={key} class="raw-html-block" dir="ltr">{(token as Tokens.HTML).raw.replace(/\n+$/, '')}{caret && <Caret />}</pre>;
    default:
      return <p key={key}>{token.raw}</p>;
  }
}

interface BlockProps {
  block: Block;
  closed: boolean;
  caret: boolean;
}

const citingTokens = new WeakMap<Token, boolean>();

/** Could this block hold a citation marker? Asked once per token. */
function blockMayCite(token: Token): boolean {
  let cites = citingTokens.get(token);
  if (cites === undefined) {
    cites = token.type !== 'code' && mayCite(token.raw);
    citingTokens.set(token, cites);
  }
  return cites;
}

/**
 * A top-level block, rendered again only when its token, its fence state or its caret changes, or, for a block
 * that may hold a citation marker, when the answer's sources change (sources often arrive after the text).
 */
class BlockView extends Component<BlockProps> {
  static override contextType = MarkdownEnvContext;
  private watching: { citations: CitationSources; stop(): void } | undefined;

  override shouldComponentUpdate(next: BlockProps): boolean {
    return next.block.token !== this.props.block.token || next.closed !== this.props.closed || next.caret !== this.props.caret;
  }

  override componentDidMount(): void {
    this.watchSources();
  }

  override componentDidUpdate(): void {
    this.watchSources();
  }

  override componentWillUnmount(): void {
    this.watching?.stop();
    this.watching = undefined;
  }

  private watchSources(): void {
    const citations = (this.context as MarkdownEnv | undefined)?.citations;
    const wanted = citations && blockMayCite(this.props.block.token) ? citations : undefined;
    if (this.watching?.citations === wanted) return;
    this.watching?.stop();
    this.watching = wanted ? { citations: wanted, stop: wanted.subscribe(() => this.forceUpdate()) } : undefined;
  }

  override render({ block, closed, caret }: BlockProps) {
    const env = this.context as MarkdownEnv | undefined;
    return env ? renderBlock(block.token, env, closed, caret, block.key) : null;
  }
}

interface GroupProps {
  /** Finished blocks of this group. */
  blocks: readonly Block[];
  /** Blocks still growing that will belong to this group once finished. */
  tail: readonly Block[];
  finished: boolean;
  /** The answer's growing end is this group's last block. */
  caret: boolean;
}

/**
 * Up to `groupSize` top-level blocks in one element. A full group never changes, so it is rendered once. A block
 * still growing is drawn in the group it will belong to once finished, so when it finishes it stays in the same
 * element: its DOM is kept instead of being built again (and its text shaped again) in another parent.
 */
class GroupView extends Component<GroupProps> {
  override shouldComponentUpdate(next: GroupProps): boolean {
    const { blocks, tail, finished, caret } = this.props;
    return next.blocks !== blocks || next.tail !== tail || next.caret !== caret || (tail.length > 0 && next.finished !== finished);
  }

  override render({ blocks, tail, finished, caret }: GroupProps) {
    // One element per group keeps the answer's own child list short (layout walks it on every frame), and lets
    // the browser skip the layout and paint of groups scrolled out of view (content-visibility in the CSS).
    return (
      <div class="md-group">
        {/* One list, not two: Preact would see two fragments and rebuild a block moving from one to the other. */}
        {[
          ...blocks.map((block) => <BlockView key={block.key} block={block} closed caret={false} />),
          ...tail.map((block, index) => (
            <BlockView key={block.key} block={block} closed={finished} caret={caret && index === tail.length - 1} />
          )),
        ]}
      </div>
    );
  }
}

/** A group's place in the answer: `index` is its key for good. */
interface GroupSlot {
  index: number;
  blocks: readonly Block[];
  tail: readonly Block[];
}

interface SectionProps {
  slots: readonly GroupSlot[];
  finished: boolean;
  /** Index of the group that ends with the growing end of the answer, or -1. */
  caretGroup: number;
}

/** Groups per section: Preact then diffs a few sections per frame, not every group of a long answer. */
const sectionSize = 16;

/**
 * Up to `sectionSize` groups in one element. Preact skips a section whose groups did not change, and the browser
 * lays out the answer's few sections instead of its hundreds of groups (it walked them all on every frame).
 */
class SectionView extends Component<SectionProps> {
  override shouldComponentUpdate(next: SectionProps): boolean {
    const { slots, finished, caretGroup } = this.props;
    if (next.slots.length !== slots.length || next.caretGroup !== caretGroup) return true;
    return next.slots.some((slot, index) => slot.blocks !== slots[index]?.blocks || slot.tail !== slots[index]?.tail
      || (slot.tail.length > 0 && next.finished !== finished));
  }

  override render({ slots, finished, caretGroup }: SectionProps) {
    return (
      <div class="md-section">
        {slots.map((slot) => (
          <GroupView key={slot.index} blocks={slot.blocks} tail={slot.tail} finished={finished} caret={slot.index === caretGroup} />
        ))}
      </div>
    );
  }
}

const noBlocks: readonly Block[] = [];

/**
 * The groups of an answer, each growing block placed in the group it will join when finished. Groups fill in
 * order (all are full but the last), so a block's group follows from its position in the answer.
 */
function groupSlots({ groups, tail }: MarkdownSnapshot): GroupSlot[] {
  const slots: GroupSlot[] = groups.map((blocks, index) => ({ index, blocks, tail: noBlocks }));
  const finishedBlocks = groups.length === 0 ? 0 : (groups.length - 1) * groupSize + (groups.at(-1)?.length ?? 0);
  tail.forEach((block, position) => {
    const index = Math.floor((finishedBlocks + position) / groupSize);
    const slot = (slots[index] ??= { index, blocks: noBlocks, tail: noBlocks });
    slot.tail = [...slot.tail, block];
  });
  return slots;
}

const noSources: readonly SourceView[] = [];

interface MarkdownViewProps {
  snapshot: MarkdownSnapshot;
  streaming: boolean;
  /** The answer's sources, which its citation markers name (1-based). */
  sources?: readonly SourceView[];
  turnId?: string;
}

/** An answer's markdown from an incremental snapshot; `streaming` draws the caret at the growing end. */
export function MarkdownView({ snapshot, streaming, sources = noSources, turnId = '' }: MarkdownViewProps) {
  const env = useContext(MarkdownEnvContext);
  const [citations] = useState(() => new CitationSources(sources, turnId));
  // New sources are taken now, so the blocks drawn in this pass see them; the blocks that may cite and are not
  // drawn again (finished ones) are told after.
  const sourcesChanged = citations.set(sources);
  useLayoutEffect(() => {
    if (sourcesChanged) citations.notify();
  }, [citations, sources, sourcesChanged]);
  const citedEnv = useMemo(() => (env ? { ...env, citations } : undefined), [env, citations]);
  const slots = groupSlots(snapshot);
  const caretGroup = streaming && snapshot.tail.length > 0 ? (slots.at(-1)?.index ?? -1) : -1;
  const sections: JSX.Element[] = [];
  for (let start = 0; start < slots.length; start += sectionSize) {
    sections.push(
      <SectionView key={start / sectionSize} slots={slots.slice(start, start + sectionSize)} finished={snapshot.finished} caretGroup={caretGroup} />,
    );
  }
  return (
    <MarkdownEnvContext.Provider value={citedEnv}>
      <div class="markdown">
        {sections}
        {streaming && snapshot.tail.length === 0 && <Caret />}
      </div>
    </MarkdownEnvContext.Provider>
  );
}

/** The same markdown rendered from scratch: the baseline of the benchmark and the reference in tests. */
export function FullMarkdownView({ tokens }: { tokens: readonly Token[] }) {
  const env = useContext(MarkdownEnvContext);
  if (!env) return null;
  return <div class="markdown">{renderBlocks(tokens, env, true, false)}</div>;
}

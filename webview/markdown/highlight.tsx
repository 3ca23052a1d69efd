// Syntax highlighting of finished code blocks with highlight.js, turned into Preact nodes.
// highlight.js builds a tree of scopes before it writes HTML; we read that tree instead of its HTML, so no
// string from an answer ever reaches an HTML parser. Only a dozen common languages are bundled (size budget);
// any other language is shown plain, without guessing.
import hljs from 'highlight.js/lib/core';
import bash from 'highlight.js/lib/languages/bash';
import csharp from 'highlight.js/lib/languages/csharp';
import css from 'highlight.js/lib/languages/css';
import diff from 'highlight.js/lib/languages/diff';
import go from 'highlight.js/lib/languages/go';
import java from 'highlight.js/lib/languages/java';
import javascript from 'highlight.js/lib/languages/javascript';
import json from 'highlight.js/lib/languages/json';
import python from 'highlight.js/lib/languages/python';
import sql from 'highlight.js/lib/languages/sql';
import typescript from 'highlight.js/lib/languages/typescript';
import xml from 'highlight.js/lib/languages/xml';
import yaml from 'highlight.js/lib/languages/yaml';
import type { ComponentChildren } from 'preact';
import { whenIdle } from '../idle';

const languages = { bash, csharp, css, diff, go, java, javascript, json, python, sql, typescript, xml, yaml };
for (const [name, language] of Object.entries(languages)) hljs.registerLanguage(name, language);
hljs.configure({ ignoreUnescapedHTML: true, throwUnescapedHTML: false });

/** highlight.js's private scope tree (TokenTree): strings and scoped nodes. */
interface ScopeNode {
  scope?: string;
  language?: string;
  children: (ScopeNode | string)[];
}

function isScopeNode(value: unknown): value is ScopeNode {
  return typeof value === 'object' && value !== null && Array.isArray((value as ScopeNode).children);
}

/** `title.function` → `hljs-title function_`, as highlight.js names its classes. */
function scopeClass(scope: string): string {
  const [first, ...rest] = scope.split('.');
  return [`hljs-${first ?? ''}`, ...rest.map((part, index) => `${part}${'_'.repeat(index + 1)}`)].join(' ');
}

function toNodes(node: ScopeNode | string, key: number): ComponentChildren {
  if (typeof node === 'string') return node;
  const children = node.children.map(toNodes);
  if (!node.scope) return <span key={key}>{children}</span>;
  return <span key={key} class={scopeClass(node.scope)}>{children}</span>;
}

// Trees, not nodes, are cached: a Preact node must not be mounted in two places at once.
const cache = new Map<string, readonly (ScopeNode | string)[]>();
const cacheLimit = 200;

/** The language highlight.js knows under this fence info string (`ts`, `TypeScript`, `sh` …), if bundled. */
export function knownLanguage(info: string | undefined): string | undefined {
  const name = info?.trim().split(/\s+/)[0]?.toLowerCase();
  if (!name) return undefined;
  return hljs.getLanguage(name) ? name : undefined;
}

const cacheKey = (code: string, language: string) => `${language}\u0000${code}`;

function highlightNow(code: string, language: string): void {
  let tree: readonly (ScopeNode | string)[] = [code];
  try {
    const emitter: unknown = hljs.highlight(code, { language, ignoreIllegals: true })._emitter;
    const root = (emitter as { rootNode?: unknown } | undefined)?.rootNode;
    if (isScopeNode(root)) tree = root.children;
  } catch {
    // A grammar bug must never cost the user the code itself: keep it plain.
  }
  if (cache.size >= cacheLimit) cache.delete(cache.keys().next().value as string);
  cache.set(cacheKey(code, language), tree);
}

/**
 * The children to show for finished `code`: highlighted when highlight.js has already run on it, the plain text
 * when the language is not bundled, and undefined when it still has to run (see highlightWhenIdle).
 */
export function highlightedCode(code: string, language: string | undefined): ComponentChildren | undefined {
  const known = knownLanguage(language);
  if (!known) return code;
  return cache.get(cacheKey(code, known))?.map(toNodes);
}

/**
 * Highlights `code` in an idle period, then calls `done` (which renders the block again, now from the cache).
 * A fence that closes while the answer streams would otherwise pay highlight.js (about 3 ms for a 15-line block,
 * traced) inside the animation frame that shows the next chunks. With the block's `element`, not before the block
 * comes into view: code scrolled far away may never be looked at.
 * Returns a function that cancels it, for a block that goes away first.
 */
export function highlightWhenIdle(code: string, language: string, done: () => void, element?: Element): () => void {
  return whenIdle(() => {
    const known = knownLanguage(language);
    if (known && !cache.has(cacheKey(code, known))) highlightNow(code, known);
    done();
  }, element);
}

/**
 * One task per bundled grammar, for the idle warm-up (see warmUp.ts). highlight.js compiles a grammar the first
 * time it is used, which takes tens of milliseconds (TypeScript the most): paid at startup, not in the frame where
 * the first code block of an answer closes.
 */
export function highlighterWarmUps(): (() => void)[] {
  return Object.keys(languages).map((language) => () => {
    try {
      hljs.highlight('x', { language, ignoreIllegals: true });
    } catch {
      // A grammar that fails here fails later too, and is then shown plain.
    }
  });
}

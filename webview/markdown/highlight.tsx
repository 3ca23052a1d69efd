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

/**
 * Highlighted children for `code`, or the plain text when the language is unknown. Results are cached by
 * language and text: a finished fence seen again on a later frame costs a map lookup.
 */
export function highlightCode(code: string, language: string | undefined): ComponentChildren {
  const known = knownLanguage(language);
  if (!known) return code;
  const cacheKey = `${known}\u0000${code}`;
  let tree = cache.get(cacheKey);
  if (tree === undefined) {
    tree = [code];
    try {
      const emitter: unknown = hljs.highlight(code, { language: known, ignoreIllegals: true })._emitter;
      const root = (emitter as { rootNode?: unknown } | undefined)?.rootNode;
      if (isScopeNode(root)) tree = root.children;
    } catch {
      // A grammar bug must never cost the user the code itself: keep it plain.
    }
    if (cache.size >= cacheLimit) cache.delete(cache.keys().next().value as string);
    cache.set(cacheKey, tree);
  }
  return tree.map(toNodes);
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

// Page side of the webview benchmark's render-cost comparison (bundled by test/bench/webview.bench.ts).
// The same markdown renderer two ways, chunk by chunk: incrementally (finished blocks kept, only the tail lexed
// and rendered again) and naively (the whole answer lexed and rendered again on every chunk, as other chat
// panels do). Both include Preact's diff and the browser's style and layout (forced by reading offsetHeight).
import { render } from 'preact';
import { act } from 'preact/test-utils';
import { marked } from 'marked';
import { translator } from '../../../webview/i18n';
import { IncrementalMarkdown } from '../../../webview/markdown/incremental';
import { runIdleTasksNow } from '../../../webview/idle';
import { highlighterWarmUps } from '../../../webview/markdown/highlight';
import { FullMarkdownView, MarkdownEnvContext, MarkdownView, type MarkdownEnv } from '../../../webview/markdown/render';

// Both renderers start with compiled grammars, as the panel does after its idle warm-up.
for (const warmUp of highlighterWarmUps()) warmUp();

const env: MarkdownEnv = {
  fallback: 'ltr',
  t: translator('en'),
  openLink: () => undefined,
  copyCode: () => undefined,
  insertCode: () => undefined,
};

function container(): HTMLElement {
  const element = document.createElement('div');
  element.className = 'conversation';
  document.getElementById('root')?.append(element);
  return element;
}

export interface Sample {
  index: number;
  ms: number;
}

/** Milliseconds per chunk for the incremental renderer, every chunk. */
function incremental(chunks: string[]): { samples: number[]; text: string } {
  const target = container();
  const markdown = new IncrementalMarkdown();
  const samples: number[] = [];
  for (const piece of chunks) {
    const start = performance.now();
    markdown.append(piece);
    // act() runs the effects and re-renders now, not in a later task that this synchronous loop would never reach.
    act(() => render(<MarkdownEnvContext.Provider value={env}><MarkdownView snapshot={markdown.snapshot()} streaming /></MarkdownEnvContext.Provider>, target));
    // The panel highlights a closed fence in the next idle period; its cost belongs to this update.
    act(runIdleTasksNow);
    void target.offsetHeight;
    samples.push(performance.now() - start);
  }
  markdown.finish();
  act(() => render(<MarkdownEnvContext.Provider value={env}><MarkdownView snapshot={markdown.snapshot()} streaming={false} /></MarkdownEnvContext.Provider>, target));
  act(runIdleTasksNow);
  const text = target.textContent ?? '';
  render(null, target);
  target.remove();
  return { samples, text };
}

/** Milliseconds per chunk for a full re-render, at every `every`-th chunk (a full run would take minutes). */
function naive(chunks: string[], every: number): { samples: Sample[]; text: string } {
  const target = container();
  const samples: Sample[] = [];
  let sofar = '';
  chunks.forEach((piece, index) => {
    sofar += piece;
    if ((index + 1) % every !== 0 && index !== chunks.length - 1) return;
    const start = performance.now();
    act(() => render(<MarkdownEnvContext.Provider value={env}><FullMarkdownView tokens={marked.lexer(sofar)} /></MarkdownEnvContext.Provider>, target));
    act(runIdleTasksNow);
    void target.offsetHeight;
    samples.push({ index, ms: performance.now() - start });
  });
  const text = target.textContent ?? '';
  render(null, target);
  target.remove();
  return { samples, text };
}

(globalThis as unknown as { __bench: unknown }).__bench = { incremental, naive };

// Work the panel can put off, run in the browser's idle periods so that it never lengthens an animation frame.
// One task per idle callback: a task's length is not known in advance (compiling a grammar takes tens of
// milliseconds), and two in one period could make a long task. The webview is always Chromium (Electron, or the
// browser code-server runs in), so requestIdleCallback is there.

type Task = () => void;

const queue: Task[] = [];
let scheduled = false;

function schedule(): void {
  if (scheduled || queue.length === 0) return;
  scheduled = true;
  // The timeout keeps work moving in a panel whose frames never leave an idle period (or a hidden one).
  requestIdleCallback(() => {
    scheduled = false;
    queue.shift()?.();
    schedule();
  }, { timeout: 1000 });
}

// Work for an element out of view waits until it comes into view: in a long conversation most code blocks are
// never looked at, and highlighting them all after opening kept the panel busy for seconds.
const waiting = new Map<Element, Task>();
let observer: IntersectionObserver | undefined;

function visibilityObserver(): IntersectionObserver {
  observer ??= new IntersectionObserver((entries) => {
    for (const entry of entries) {
      if (!entry.isIntersecting) continue;
      const task = waiting.get(entry.target);
      waiting.delete(entry.target);
      observer?.unobserve(entry.target);
      if (task) queue.push(task);
    }
    schedule();
  });
  return observer;
}

/**
 * Runs `task` in a coming idle period, after the tasks queued before it; with an `element`, only once that element
 * has come into view. Returns a function that cancels it.
 */
export function whenIdle(task: Task, element?: Element): () => void {
  if (element) {
    // One task per element: a newer one (the same block rendered again) replaces the older.
    waiting.set(element, task);
    visibilityObserver().observe(element);
  } else {
    queue.push(task);
    schedule();
  }
  return () => {
    if (element && waiting.get(element) === task) {
      waiting.delete(element);
      observer?.unobserve(element);
    }
    const index = queue.indexOf(task);
    if (index >= 0) queue.splice(index, 1);
  };
}

/**
 * Runs every deferred task now, those waiting for their element to come into view too: the render-cost benchmark
 * counts deferred work inside the update that caused it.
 */
export function runIdleTasksNow(): void {
  for (const [element, task] of waiting) {
    observer?.unobserve(element);
    queue.push(task);
  }
  waiting.clear();
  for (let task = queue.shift(); task; task = queue.shift()) task();
}

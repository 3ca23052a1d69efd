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

/** Runs `task` in a coming idle period, after the tasks queued before it; returns a function that cancels it. */
export function whenIdle(task: Task): () => void {
  queue.push(task);
  schedule();
  return () => {
    const index = queue.indexOf(task);
    if (index >= 0) queue.splice(index, 1);
  };
}

/** Runs every waiting task now: the render-cost benchmark counts deferred work inside the update that caused it. */
export function runIdleTasksNow(): void {
  for (let task = queue.shift(); task; task = queue.shift()) task();
}

// Page side of the webview benchmark's streaming run, injected before the real bundle (dist/webview.js): plays the
// host (a recording acquireVsCodeApi), streams chunks as message events at a steady pace, and measures for every
// chunk the time from its arrival to the next paint, plus long tasks and the longest gap between frames.
interface StreamResult {
  latencies: number[];
  longTasks: number[];
  longestFrameGap: number;
  durationMs: number;
}

const posted: unknown[] = [];
(globalThis as unknown as { acquireVsCodeApi: () => unknown }).acquireVsCodeApi = () => ({
  postMessage: (message: unknown) => posted.push(message),
  getState: () => undefined,
  setState: () => undefined,
});

const longTasks: { start: number; duration: number }[] = [];
try {
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) longTasks.push({ start: entry.startTime, duration: entry.duration });
  }).observe({ type: 'longtask', buffered: true });
} catch {
  // No long task timing in this browser: the frame gaps below still tell.
}

let loaded: string[] = [];

/** Hands the chunks to the page ahead of time, so copying them is not part of the measured run. */
function load(chunks: string[]): number {
  loaded = chunks;
  return loaded.length;
}

/** Length of the rendered answer, read after the run (reading half a megabyte of text is a task of its own). */
function renderedChars(turnId: string): number {
  return document.querySelector(`article[data-turn-id="${turnId}"] .markdown`)?.textContent?.length ?? 0;
}

function stream(turnId: string, perTick: number, tickMs: number): Promise<StreamResult> {
  const chunks = loaded;
  return new Promise((resolve) => {
    const latencies: number[] = [];
    let pending: number[] = [];
    let armed = false;
    const channel = new MessageChannel();
    // A task posted from an animation frame callback runs after that frame is painted.
    channel.port1.onmessage = () => {
      const painted = performance.now();
      for (const arrived of pending) latencies.push(painted - arrived);
      pending = [];
      armed = false;
    };
    // Registered after the panel's own listener, so the panel's frame callback is queued first.
    window.addEventListener('message', (event: MessageEvent<{ type?: string; turnId?: string }>) => {
      if (event.data?.type !== 'append' || event.data.turnId !== turnId) return;
      pending.push(performance.now());
      if (armed) return;
      armed = true;
      requestAnimationFrame(() => channel.port2.postMessage(0));
    });

    let longestFrameGap = 0;
    let lastFrame = performance.now();
    let running = true;
    const frame = (now: number) => {
      longestFrameGap = Math.max(longestFrameGap, now - lastFrame);
      lastFrame = now;
      if (running) requestAnimationFrame(frame);
    };
    requestAnimationFrame(frame);

    const started = performance.now();
    let next = 0;
    const tick = () => {
      for (let count = 0; count < perTick && next < chunks.length; count += 1, next += 1) {
        window.postMessage({ type: 'append', turnId, text: chunks[next] }, '*');
      }
      if (next < chunks.length) {
        setTimeout(tick, tickMs);
        return;
      }
      // Let the last chunks paint, then report.
      setTimeout(() => {
        running = false;
        // The observer also saw the page load and the hand-over of the chunks: keep the run's own long tasks.
        const ownLongTasks = longTasks.filter((task) => task.start >= started).map((task) => task.duration);
        resolve({ latencies, longTasks: ownLongTasks, longestFrameGap, durationMs: performance.now() - started });
      }, 300);
    };
    tick();
  });
}

(globalThis as unknown as { __driver: unknown }).__driver = { load, stream, renderedChars, posted };

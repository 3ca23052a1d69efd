// Page side of the webview benchmark's streaming run, injected before the real bundle (dist/webview.js): plays the
// host (a recording acquireVsCodeApi), streams chunks as message events at a steady pace, and measures for every
// chunk the time from its arrival to the next paint, plus long tasks and the longest gap between frames.
interface StreamResult {
  latencies: number[];
  longTasks: number[];
  longestFrameGap: number;
  renderedChars: number;
  durationMs: number;
}

const posted: unknown[] = [];
(globalThis as unknown as { acquireVsCodeApi: () => unknown }).acquireVsCodeApi = () => ({
  postMessage: (message: unknown) => posted.push(message),
  getState: () => undefined,
  setState: () => undefined,
});

const longTasks: number[] = [];
try {
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) longTasks.push(entry.duration);
  }).observe({ type: 'longtask', buffered: true });
} catch {
  // No long task timing in this browser: the frame gaps below still tell.
}

function stream(turnId: string, chunks: string[], perTick: number, tickMs: number): Promise<StreamResult> {
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
        const markdown = document.querySelector(`article[data-turn-id="${turnId}"] .markdown`);
        resolve({
          latencies,
          longTasks: [...longTasks],
          longestFrameGap,
          renderedChars: markdown?.textContent?.length ?? 0,
          durationMs: performance.now() - started,
        });
      }, 300);
    };
    tick();
  });
}

(globalThis as unknown as { __driver: unknown }).__driver = { stream, posted };

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

let held: unknown;

/** Hands a message to the page ahead of time (a conversation of megabytes), so copying it in is not measured. */
function hold(message: unknown): void {
  held = message;
}

interface PaintResult {
  /** From posting the message to the end of the frame that shows `selector`. */
  paintMs: number;
  /** Long tasks (over 50 ms) from posting until a second after that frame. */
  longTasks: number[];
}

/**
 * Posts `messages` (the held one when empty) as the host does, and times them to the paint of the first frame in
 * which `selector` matches. The panel applies messages in an animation frame callback registered when the first
 * arrives; this listener is registered after the panel's, so its frame callback runs after the panel's.
 */
function timeToPaint(messages: unknown[], selector: string, settleMs = 1000): Promise<PaintResult> {
  return new Promise((resolve) => {
    const channel = new MessageChannel();
    let started = 0;
    channel.port1.onmessage = () => {
      const painted = performance.now();
      setTimeout(() => {
        const own = longTasks.filter((task) => task.start + task.duration > started && task.start < painted + settleMs);
        resolve({ paintMs: painted - started, longTasks: own.map((task) => task.duration) });
      }, settleMs);
    };
    const check = () => {
      if (document.querySelector(selector)) channel.port2.postMessage(0);
      else requestAnimationFrame(check);
    };
    let armed = false;
    const listener = () => {
      if (armed) return;
      armed = true;
      window.removeEventListener('message', listener);
      requestAnimationFrame(check);
    };
    window.addEventListener('message', listener);
    started = performance.now();
    for (const message of messages.length > 0 ? messages : [held]) window.postMessage(message, '*');
  });
}

interface KeyLatencies {
  stop(): number[];
}
let keyWatch: KeyLatencies | undefined;

/** Starts timing every key press from its event time to the paint of the frame after it. */
function watchKeys(): void {
  const latencies: number[] = [];
  const channel = new MessageChannel();
  let pending: number[] = [];
  let armed = false;
  channel.port1.onmessage = () => {
    const painted = performance.now();
    for (const time of pending) latencies.push(painted - time);
    pending = [];
    armed = false;
  };
  const onKey = (event: KeyboardEvent) => {
    // The event's time is when the browser received the key: waiting in the queue behind other work counts.
    pending.push(event.timeStamp);
    if (armed) return;
    armed = true;
    requestAnimationFrame(() => channel.port2.postMessage(0));
  };
  window.addEventListener('keydown', onKey);
  keyWatch = {
    stop: () => {
      window.removeEventListener('keydown', onKey);
      return latencies;
    },
  };
}

function stopKeys(): number[] {
  const latencies = keyWatch?.stop() ?? [];
  keyWatch = undefined;
  return latencies;
}

/** What the open conversation holds: elements, code blocks built and highlighted. */
function census(): { domNodes: number; codeBlocks: number; highlighted: number } {
  return {
    domNodes: document.getElementsByTagName('*').length,
    codeBlocks: document.querySelectorAll('.code-block code').length,
    highlighted: document.querySelectorAll('.code-block code.hljs').length,
  };
}

(globalThis as unknown as { __driver: unknown }).__driver = { load, stream, renderedChars, posted, hold, timeToPaint, watchKeys, stopKeys, census };

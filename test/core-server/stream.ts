// Plays one answer over SSE and applies the stream scenarios: the pace or token rate, heartbeats, a trickle, a
// buffering proxy, and the ways a stream can go wrong after N chunks (drop, error event, stall, malformed JSON).
// Everything stops when the client goes away.
import type { ServerResponse } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { answerMetadata, type PreparedAnswer } from './answers';
import type { Scenario } from './scenarios';
import { SseWriter, type OutgoingEvent } from './sse';

export const SSE_HEADERS = {
  'Content-Type': 'text/event-stream; charset=utf-8',
  'Cache-Control': 'no-cache',
  'X-Accel-Buffering': 'no',
} as const;
/** Sent as `retry:` under the `ids` scenario, so a reconnecting client does not wait seconds in tests. */
const RETRY_MS = 50;

export interface StreamPlan {
  answer: PreparedAnswer;
  events: OutgoingEvent[];
  scenario: Scenario;
  /** Wait before the chunk with this index (counted over the whole answer, resumed part included). */
  chunkDelayMs(chunk: string, index: number): number;
  /** `trickle`, scaled: one write per this many ms, a `: ping` comment and a chunk alternately. */
  trickleMs?: number;
  /** `heartbeat`, scaled. */
  heartbeatMs?: number;
  /** Resume: only events with an id above this are sent. */
  afterId?: number;
  /** `drop-after` applies (under `ids`, only to the first request of a key). */
  mayDrop: boolean;
}

/** Resolves after `ms`, or early (false) when the response closes. */
export async function wait(ms: number, signal: AbortSignal): Promise<boolean> {
  if (signal.aborted) return false;
  if (ms <= 0) return true;
  try {
    await sleep(ms, undefined, { signal });
    return true;
  } catch {
    return false;
  }
}

export function closeSignal(res: ServerResponse): AbortSignal {
  const controller = new AbortController();
  res.once('close', () => controller.abort());
  return controller.signal;
}

function openStream(res: ServerResponse, scenario: Scenario): SseWriter {
  res.writeHead(200, SSE_HEADERS);
  res.flushHeaders();
  return new SseWriter(res, {
    lineEnding: scenario.lineEnding,
    bom: scenario.bom,
    comments: scenario.comments,
    multilineData: scenario.multilineData,
    splitWrites: scenario.splitWrites,
    typeInJson: !scenario.eventField,
    ...(scenario.ids ? { retryMs: RETRY_MS } : {}),
  });
}

/** `heartbeats=MS`: headers, then only `: ping` comments until the client leaves. */
export async function playHeartbeatsOnly(res: ServerResponse, scenario: Scenario, intervalMs: number): Promise<void> {
  const writer = openStream(res, scenario);
  const signal = closeSignal(res);
  while (await wait(intervalMs, signal)) await writer.comment('ping');
}

export async function playStream(res: ServerResponse, plan: StreamPlan): Promise<void> {
  const { scenario } = plan;
  const writer = openStream(res, scenario);
  const signal = closeSignal(res);
  if (scenario.buffered) writer.hold();
  if (plan.heartbeatMs !== undefined) {
    const heartbeat = setInterval(() => void writer.comment('ping'), Math.max(1, plan.heartbeatMs));
    res.once('close', () => clearInterval(heartbeat));
  }

  let chunksSent = 0;
  let nextId = (plan.events.at(-1)?.id ?? 0) + 1;
  for (const event of plan.events) {
    if (plan.afterId !== undefined && (event.id ?? 0) <= plan.afterId) {
      if (event.type === 'chunk') chunksSent += 1;
      continue;
    }
    if (event.type !== 'start') {
      const stop = await interruptAfterChunks(res, writer, scenario, plan.mayDrop, chunksSent, () => nextId++);
      if (stop) return;
    }
    if (event.type === 'chunk' && !(await waitForChunk(writer, plan, event, chunksSent, signal))) return;
    const data = event.type === 'end' ? { metadata: answerMetadata(plan.answer) } : event.data;
    await writer.event({ type: event.type, data, ...(scenario.ids ? { id: event.id } : {}) });
    if (writer.closed) return;
    if (event.type === 'chunk') chunksSent += 1;
  }
  await writer.release();
  res.end();
}

/** The time a chunk takes: a trickle's ping and silence, else the pace or its tokens. False: the client left. */
async function waitForChunk(
  writer: SseWriter,
  plan: StreamPlan,
  event: OutgoingEvent,
  index: number,
  signal: AbortSignal,
): Promise<boolean> {
  if (plan.trickleMs !== undefined) {
    const interval = Math.max(1, plan.trickleMs);
    if (!(await wait(interval, signal))) return false;
    await writer.comment('ping');
    return wait(interval, signal);
  }
  return wait(plan.chunkDelayMs(typeof event.data.content === 'string' ? event.data.content : '', index), signal);
}

/**
 * Applies `drop-after`, `error-after`, `stall-after` and `malformed-after` once `chunksSent` reaches N.
 * Returns true when the stream must not go on.
 */
async function interruptAfterChunks(
  res: ServerResponse,
  writer: SseWriter,
  scenario: Scenario,
  mayDrop: boolean,
  chunksSent: number,
  takeId: () => number,
): Promise<boolean> {
  const reached = (n: number | undefined): boolean => n !== undefined && chunksSent >= n;
  const id = (): { id?: number } => (scenario.ids ? { id: takeId() } : {});
  if (mayDrop && reached(scenario.dropAfter)) {
    // Everything written so far has reached the socket; now cut it without a proper end of the chunked body.
    res.socket?.destroy();
    return true;
  }
  if (reached(scenario.errorAfter)) {
    await writer.event({ type: 'error', data: { error: 'processing error' }, ...id() });
    await writer.release();
    res.end();
    return true;
  }
  if (reached(scenario.malformedAfter)) {
    await writer.rawEvent('chunk', '{not json', id().id);
    return true; // and keep the socket open, like a core that broke mid-answer
  }
  // `stall-after`: say nothing more; the socket stays open until the client (or close()) ends it.
  return reached(scenario.stallAfter);
}

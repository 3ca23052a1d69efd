// One attempt's event stream: the network reads of a `text/event-stream` body in, the caller's events out.
// The client runs it on every read of the body, and the throughput benchmark runs this same code on a
// recording, so what is measured is what ships.
import type { AnswerAssembler } from './answer.js';
import { CoreError, formatBytes, protocolError } from './errors.js';
import { MalformedDataError } from './normalize.js';
import { createSseReader, type SseMessage, type SseReader } from './sse.js';
import type { AskEvent } from './types.js';

/** What a broken stream needs to resume; it outlives the attempt that read it. */
export interface ResumePoint {
  /** The last SSE `id:` seen: a dropped stream resumes from it. */
  lastEventId?: string;
  /** The server's `retry:` field, in milliseconds. */
  serverRetryMs?: number;
}

export class EventStreamReader {
  /** The answer ended (`end` or an `error` event): nothing after it is read. */
  finished = false;
  /** The stream broke the protocol (bad JSON, an event or the answer over its limit); events before it still count. */
  failure: CoreError | undefined;
  /** At least one event arrived: from then on the idle timeout applies, not the first-event one. */
  sawEvent = false;
  readonly #sse: SseReader;
  /** Where `#accept` puts events during one `read`. */
  #out: AskEvent[] = [];

  /**
   * @param recogniseChunkFrames false reads every event through eventsource-parser: the reference the tests
   *   compare the chunk-frame fast path (chunk-frames.ts) against.
   */
  constructor(
    private readonly answer: AnswerAssembler,
    private readonly resume: ResumePoint,
    maxEventBytes: number,
    recogniseChunkFrames = true,
  ) {
    this.#sse = createSseReader(
      {
        onMessage: (message) => this.#accept(message),
        onChunkText: recogniseChunkFrames ? (text) => this.#acceptChunkRun(text) : undefined,
        onRetry: (ms) => {
          resume.serverRetryMs = ms;
        },
        onOversized: () => {
          this.failure = protocolError(`one event is larger than the ${formatBytes(maxEventBytes)} limit`);
        },
      },
      maxEventBytes,
    );
  }

  /** Reads one network read; the events it completes are appended to `out`. */
  read(bytes: Uint8Array, out: AskEvent[]): void {
    this.#out = out;
    this.#sse.push(bytes);
    this.answer.flush(out);
  }

  /** The body ended: reads what the decoder and the parser still hold. */
  end(out: AskEvent[]): void {
    this.#out = out;
    this.#sse.end();
    this.answer.flush(out);
  }

  /** Declined (false), the run is parsed event by event, and #accept gives the same outcome. */
  #acceptChunkRun(text: string): boolean {
    if (this.finished || this.failure || !this.answer.appendChunkRun(text)) return false;
    this.sawEvent = true;
    return true;
  }

  #accept(message: SseMessage): void {
    if (this.finished || this.failure) return;
    if (message.id !== undefined) this.resume.lastEventId = message.id;
    this.sawEvent = true;
    try {
      this.finished = this.answer.acceptMessage(message, this.#out);
    } catch (caught) {
      this.failure = caught instanceof MalformedDataError ? protocolError('an event is not valid JSON') : toCoreError(caught);
    }
  }
}

function toCoreError(caught: unknown): CoreError {
  return caught instanceof CoreError ? caught : protocolError(caught instanceof Error ? caught.message : String(caught));
}

// One attempt's event stream: the network reads of a `text/event-stream` body in, the caller's events out.
// The client runs it on every read of the body, and the throughput benchmark runs this same code on a
// recording, so what is measured is what ships.
import type { AnswerAssembler } from './answer.js';
import { CoreError, coreError, formatBytes } from './errors.js';
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
  /** Events seen so far by this reader: from the first one on, the idle limit applies, not the answer one. */
  events = 0;
  readonly #sse: SseReader;
  /** Where `#accept` puts events during one `read`. */
  #out: AskEvent[] = [];

  constructor(
    private readonly answer: AnswerAssembler,
    private readonly resume: ResumePoint,
    maxEventBytes: number,
  ) {
    this.#sse = createSseReader(
      {
        onMessage: (message) => this.#accept(message),
        onRetry: (ms) => {
          resume.serverRetryMs = ms;
        },
        onOversized: () => {
          this.failure = coreError('protocol', 'event-too-large', { limit: formatBytes(maxEventBytes) });
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

  #accept(message: SseMessage): void {
    if (this.finished || this.failure) return;
    if (message.id !== undefined) this.resume.lastEventId = message.id;
    this.events += 1;
    try {
      this.finished = this.answer.acceptMessage(message, this.#out);
    } catch (caught) {
      this.failure = caught instanceof MalformedDataError ? coreError('protocol', 'bad-event-json') : toCoreError(caught);
    }
  }
}

function toCoreError(caught: unknown): CoreError {
  return caught instanceof CoreError ? caught : coreError('protocol', 'bad-event-json');
}

// Writes Server-Sent Events the way a scenario asks: any line ending, a BOM, comment lines, `data:` spread over
// several lines, `id:`/`retry:` fields, the type only in the `event:` field, and the bytes in 1–3 byte pieces.
// Writes are queued, so a heartbeat timer never lands inside an event that is being written piece by piece.
import type { ServerResponse } from 'node:http';
import { setImmediate as nextTurn } from 'node:timers/promises';
import type { LineEnding } from './scenarios';

export interface SseFormat {
  lineEnding: LineEnding;
  bom: boolean;
  comments: boolean;
  multilineData: boolean;
  splitWrites: boolean;
  /** false: the JSON carries no `type`; only the `event:` field names it. */
  typeInJson: boolean;
  /** Sent as `retry:` in the first event block. */
  retryMs?: number;
}

export interface OutgoingEvent {
  type: string;
  data: Record<string, unknown>;
  /** Written as `id:` when set. */
  id?: number;
}

/** Piece sizes cycle through 1, 2, 3 bytes: deterministic, and they cut every multi-byte character somewhere. */
const SPLIT_PIECE_SIZES = [1, 2, 3] as const;

export class SseWriter {
  private queue: Promise<void> = Promise.resolve();
  private wroteAnything = false;
  private wroteEvent = false;
  private isClosed = false;
  private held: Buffer[] | undefined;

  constructor(
    private readonly res: ServerResponse,
    private readonly format: SseFormat,
  ) {
    res.once('close', () => (this.isClosed = true));
  }

  /** The client went away or the response ended: further writes are dropped. */
  get closed(): boolean {
    return this.isClosed;
  }

  event(event: OutgoingEvent): Promise<void> {
    const payload = this.format.typeInJson ? { type: event.type, ...event.data } : event.data;
    const json = this.format.multilineData ? JSON.stringify(payload, null, 2) : JSON.stringify(payload);
    return this.block(event.type, json.split('\n'), event.id);
  }

  /** An event whose `data:` is exactly `rawData` (used to send malformed JSON). */
  rawEvent(type: string, rawData: string, id?: number): Promise<void> {
    return this.block(type, [rawData], id);
  }

  /** From now on keeps every write back until `release()`, like a proxy that buffers the response. */
  hold(): void {
    this.held ??= [];
  }

  /** Sends what `hold()` kept, as one write, and stops holding. */
  release(): Promise<void> {
    this.enqueue(undefined);
    return this.queue;
  }

  comment(text: string): Promise<void> {
    return this.enqueue(`: ${text}${this.format.lineEnding}${this.format.lineEnding}`);
  }

  private block(type: string, dataLines: string[], id: number | undefined): Promise<void> {
    const lines: string[] = [];
    if (this.format.comments) lines.push(': comment inside an event block');
    if (!this.wroteEvent && this.format.retryMs !== undefined) lines.push(`retry: ${this.format.retryMs}`);
    this.wroteEvent = true;
    if (id !== undefined) lines.push(`id: ${id}`);
    lines.push(`event: ${type}`);
    for (const line of dataLines) lines.push(`data: ${line}`);
    const eol = this.format.lineEnding;
    const separator = this.format.comments ? `: comment between events${eol}${eol}` : '';
    return this.enqueue(`${lines.join(eol)}${eol}${eol}${separator}`);
  }

  /** `undefined` releases what was held, in order with the writes before it. */
  private enqueue(text: string | undefined): Promise<void> {
    this.queue = this.queue.then(() => (text === undefined ? this.flushHeld() : this.send(text)));
    return this.queue;
  }

  private async flushHeld(): Promise<void> {
    const held = this.held;
    this.held = undefined;
    if (held && held.length > 0 && !this.isClosed) await writeBytes(this.res, Buffer.concat(held));
  }

  private async send(text: string): Promise<void> {
    if (this.isClosed) return;
    const bom = this.format.bom && !this.wroteAnything ? '\uFEFF' : '';
    this.wroteAnything = true;
    const bytes = Buffer.from(bom + text, 'utf8');
    if (this.held) {
      this.held.push(bytes);
      return;
    }
    if (!this.format.splitWrites) return writeBytes(this.res, bytes);
    for (let offset = 0, piece = 0; offset < bytes.length && !this.isClosed; piece += 1) {
      const size = SPLIT_PIECE_SIZES[piece % SPLIT_PIECE_SIZES.length] ?? 1;
      await writeBytes(this.res, bytes.subarray(offset, offset + size));
      offset += size;
      // Let the event loop run so each piece leaves as its own write rather than one coalesced buffer.
      await nextTurn();
    }
  }
}

/** Resolves once Node has handed `bytes` to the socket (which also applies backpressure), or the response closed. */
export function writeBytes(res: ServerResponse, bytes: Buffer | string): Promise<void> {
  return new Promise((resolve) => {
    if (res.destroyed || res.writableEnded) return resolve();
    const done = (): void => {
      res.off('close', done);
      resolve();
    };
    res.once('close', done);
    res.write(bytes, done);
  });
}

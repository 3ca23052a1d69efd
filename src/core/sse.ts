// Bytes in, SSE messages out. eventsource-parser does the SSE grammar (line endings, BOM, comments,
// multi-line data, id, retry); this module adds what it leaves to the caller: streaming UTF-8 decoding,
// so a character split between two network reads stays whole, the end of the body, a bounded buffer, and
// (when asked) runs of the core's chunk frames read past the parser (chunk-frames.ts says why).
import { createParser, type EventSourceMessage } from 'eventsource-parser';
import { chunkRunEnd, chunkRunText, nextEventBoundary } from './chunk-frames.js';

export type SseMessage = EventSourceMessage;

export interface SseHandlers {
  onMessage(message: SseMessage): void;
  /**
   * The answer text of a run of chunk events written in the core's exact frame, read without the parser.
   * Return false to have the run parsed as ordinary messages instead. Without this handler every byte goes
   * through the parser.
   */
  onChunkText?(text: string): boolean;
  /** Comments (`: ping`) are keep-alives: they prove the connection lives without carrying an event. */
  onComment?(comment: string): void;
  onRetry?(retryMs: number): void;
  /** An event larger than `maxEventChars` arrived; the reader stops parsing. */
  onOversized(): void;
}

export interface SseReader {
  push(bytes: Uint8Array): void;
  /** The body ended: flush the decoder and a line ending the parser may still hold back. */
  end(): void;
}

export function createSseReader(handlers: SseHandlers, maxEventChars: number): SseReader {
  const decoder = new TextDecoder('utf-8');
  let endsWithCarriageReturn = false;
  let stopped = false;
  // While chunk frames are recognised the parser is only ever fed whole events, text up to an empty line (LF LF),
  // so between two feeds it holds nothing and a run of frames can be read past it. `held` is the incomplete event
  // at the end of the text so far.
  let recognising = handlers.onChunkText !== undefined;
  let held = '';
  // Kept aside: asking `held` would flatten it, a copy of all of it on every read.
  let heldEndsWithLineFeed = false;
  const parser = createParser({
    onEvent: handlers.onMessage,
    onComment: handlers.onComment,
    onRetry: handlers.onRetry,
    maxBufferSize: maxEventChars,
    onError(error) {
      if (error.type === 'max-buffer-size-exceeded') {
        stopped = true;
        handlers.onOversized();
      }
      // Unknown fields and bad `retry:` values are ignored, as the SSE standard says.
    },
  });

  function feedParser(text: string): void {
    if (stopped || text === '') return;
    endsWithCarriageReturn = text.charCodeAt(text.length - 1) === 13;
    parser.feed(text);
  }

  function feed(decoded: string): void {
    if (stopped) return;
    if (recognising && decoded.includes('\r')) {
      // CR line endings: the frames use LF only, and the boundary search looks for LF LF. The parser takes it all.
      recognising = false;
      decoded = held + decoded;
      held = '';
    }
    if (!recognising) return feedParser(decoded);
    const text = held + decoded;
    let from = 0;
    // Only an empty line ends an event. Without one in the new text, the text is held unsearched: a long event
    // arriving in many small reads then costs time in proportion to its length, not to its length per read.
    const endsAnEvent = decoded.includes('\n\n') || (heldEndsWithLineFeed && decoded.charCodeAt(0) === 10);
    if (decoded !== '') heldEndsWithLineFeed = decoded.charCodeAt(decoded.length - 1) === 10;
    while (endsAnEvent && from < text.length && !stopped) {
      // A run of frames, or else the events up to the next possible frame or the end of the last complete event.
      const runEnd = chunkRunEnd(text, from);
      const end = runEnd === -1 ? nextEventBoundary(text, from) : runEnd;
      if (end === -1) break;
      // A declined run goes to the parser whole, so declining costs no more than having no fast path.
      if (runEnd === -1 || !handlers.onChunkText?.(chunkRunText(text.slice(from, runEnd)))) feedParser(text.slice(from, end));
      from = end;
    }
    held = from === 0 ? text : text.slice(from);
    if (held.length > maxEventChars) {
      // An event over the limit is the parser's to judge, as it would have been without recognition.
      recognising = false;
      feedParser(held);
      held = '';
    }
  }

  return {
    push(bytes) {
      feed(decoder.decode(bytes, { stream: true }));
    },
    end() {
      feed(decoder.decode());
      // An incomplete event: the parser holds it and, as the standard says, never dispatches it.
      feedParser(held);
      held = '';
      // A CR may be the first half of CRLF, so the parser waits for the next character before it ends
      // the line. At the end of the body there is none: say so. A body ending in LF needs nothing, and a
      // half-received event must not be dispatched (the standard discards it).
      if (endsWithCarriageReturn) feedParser('\n');
    },
  };
}

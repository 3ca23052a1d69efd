// Bytes in, SSE messages out. eventsource-parser does the SSE grammar (line endings, BOM, comments,
// multi-line data, id, retry); this module adds what it leaves to the caller: streaming UTF-8 decoding,
// so a character split between two network reads stays whole, the end of the body, and a bounded buffer.
import { createParser, type EventSourceMessage } from 'eventsource-parser';

export type SseMessage = EventSourceMessage;

export interface SseHandlers {
  onMessage(message: SseMessage): void;
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

  function feed(text: string): void {
    if (stopped || text === '') return;
    endsWithCarriageReturn = text.charCodeAt(text.length - 1) === 13;
    parser.feed(text);
  }

  return {
    push(bytes) {
      feed(decoder.decode(bytes, { stream: true }));
    },
    end() {
      feed(decoder.decode());
      // A CR may be the first half of CRLF, so the parser waits for the next character before it ends
      // the line. At the end of the body there is none: say so. A body ending in LF needs nothing, and a
      // half-received event must not be dispatched (the standard discards it).
      if (endsWithCarriageReturn) feed('\n');
    },
  };
}

// One answer as the caller sees it, assembled from the core's events: exactly one `start`, chunks within the
// size limit, sources, and an `end` or an `error`. A resumed or retried stream feeds the same assembler, so a
// repeated `start` is swallowed and the text length carries over.
import { CoreError, coreError, errorMessage, formatBytes, oneLine, redact } from './errors.js';
import { plainChunkContent, readStreamEvent, type CoreEvent } from './normalize.js';
import type { SseMessage } from './sse.js';
import type { AskEvent, CoreErrorInfo } from './types.js';

export class AnswerAssembler {
  /** Answer text received so far, in UTF-16 code units (what it costs in memory). */
  textLength = 0;
  startSent = false;
  /** Chunks read since the last flush, given out as one `chunk`: one event per network read, not per SSE event. */
  #unflushed = '';

  constructor(
    private readonly maxAnswerChars: number,
    private readonly token: string | undefined,
  ) {}

  /**
   * Reads one SSE message into `out`; returns true when the answer is complete.
   * @throws CoreError (protocol) when the answer grows over the limit, MalformedDataError for bad JSON.
   */
  acceptMessage(message: SseMessage, out: AskEvent[]): boolean {
    const content = this.startSent ? plainChunkContent(message.data) : undefined;
    if (content === undefined) return this.accept(readStreamEvent(message.data, message.event), out);
    this.#append(content);
    return false;
  }

  /** Gives out the text collected since the last flush; call it after every network read and before an error. */
  flush(out: AskEvent[]): void {
    if (this.#unflushed === '') return;
    out.push({ type: 'chunk', content: this.#unflushed });
    this.#unflushed = '';
  }

  /**
   * Adds one stream event's output to `out`; returns true when the answer is complete.
   * @throws CoreError (protocol) when the answer grows over the limit.
   */
  accept(event: CoreEvent | undefined, out: AskEvent[]): boolean {
    if (event === undefined) return false;
    if (event.type === 'chunk' && this.startSent) {
      this.#append(event.content);
      return false;
    }
    this.flush(out);
    if (event.type === 'start') {
      if (!this.startSent) out.push({ type: 'start', mode: 'stream', conversationId: event.conversationId, messageId: event.messageId });
      this.startSent = true;
      return false;
    }
    if (!this.startSent) {
      out.push({ type: 'start', mode: 'stream' });
      this.startSent = true;
    }
    switch (event.type) {
      case 'chunk':
        this.#append(event.content);
        return false;
      case 'sources':
        out.push({ type: 'sources', sources: event.sources });
        return false;
      case 'end':
        // An answer with no text is no answer, however politely it ends.
        out.push(this.textLength === 0 ? this.error(coreError('server', 'empty-answer')) : { type: 'end', mode: 'stream', metadata: event.metadata });
        return true;
      case 'error': {
        const coreSays = oneLine(event.message, 200);
        out.push(this.error(coreError('server', 'core-error', undefined, coreSays ? { coreSays } : {})));
        return true;
      }
    }
  }

  #append(content: string): void {
    this.textLength += content.length;
    if (this.textLength > this.maxAnswerChars) throw answerTooLarge(this.maxAnswerChars);
    this.#unflushed += content;
  }

  /** The error event that ends this answer; it says whether text had arrived (a cut-off answer). */
  error(error: CoreError): AskEvent {
    const partial = this.textLength > 0;
    const { message: _english, ...fields } = error.info;
    const coreSays = fields.coreSays === undefined ? undefined : redact(fields.coreSays, this.token);
    const info: CoreErrorInfo = {
      ...fields,
      ...(coreSays === undefined ? {} : { coreSays }),
      partial,
      message: redact(errorMessage(fields.code, fields.params, coreSays, partial), this.token),
    };
    return { type: 'error', error: info };
  }
}

export function answerTooLarge(maxChars: number): CoreError {
  return coreError('protocol', 'answer-too-large', { limit: formatBytes(maxChars) });
}

// The byte-level reader, as pure functions: any way the network cuts a valid SSE stream — inside a line,
// inside a CRLF, inside a multi-byte UTF-8 character — gives the same events, whatever the line endings,
// BOM, comments or multi-line data. fast-check searches for the cut that breaks it.
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { AnswerAssembler } from '../../src/core/answer';
import { EventStreamReader } from '../../src/core/event-stream';
import { readStreamEvent } from '../../src/core/normalize';
import type { AskEvent } from '../../src/core/types';
import { createSseReader, type SseMessage } from '../../src/core/sse';

interface Spec {
  event?: string;
  id?: string;
  data: string;
}

const text = fc.string({ unit: 'grapheme', maxLength: 30 });
const lineFree = (value: string): string => value.replace(/[\r\n]/g, ' ');

const streams = fc.record({
  events: fc.array(
    fc.record({
      event: fc.option(fc.constantFrom('chunk', 'start', 'end', 'message'), { nil: undefined }),
      id: fc.option(fc.integer({ min: 1, max: 9999 }).map(String), { nil: undefined }),
      // Multi-line data: the reader joins the lines with \n.
      dataLines: fc.array(text.map(lineFree), { minLength: 1, maxLength: 3 }),
      comment: fc.option(text.map(lineFree), { nil: undefined }),
    }),
    { minLength: 1, maxLength: 12 },
  ),
  newline: fc.constantFrom('\n', '\r\n', '\r'),
  bom: fc.boolean(),
});

type Stream = typeof streams extends fc.Arbitrary<infer T> ? T : never;

function encode(stream: Stream): { bytes: Uint8Array; expected: Spec[] } {
  const nl = stream.newline;
  let body = stream.bom ? '\ufeff' : '';
  const expected: Spec[] = [];
  for (const event of stream.events) {
    if (event.comment !== undefined) body += `:${event.comment}${nl}`;
    if (event.event) body += `event: ${event.event}${nl}`;
    if (event.id) body += `id: ${event.id}${nl}`;
    for (const line of event.dataLines) body += `data: ${line}${nl}`;
    body += nl;
    expected.push({ event: event.event, id: event.id, data: event.dataLines.join('\n') });
  }
  return { bytes: new TextEncoder().encode(body), expected };
}

function read(pieces: Uint8Array[]): Spec[] {
  const events: Spec[] = [];
  const reader = createSseReader(
    {
      onMessage: (message: SseMessage) => {
        events.push({ event: message.event, id: message.id, data: message.data });
      },
      onOversized: () => assert.fail('no event here is oversized'),
    },
    1 << 20,
  );
  for (const piece of pieces) reader.push(piece);
  reader.end();
  return events;
}

function split(bytes: Uint8Array, cuts: number[]): Uint8Array[] {
  const points = [...new Set(cuts.map((cut) => cut % (bytes.length + 1)))].sort((a, b) => a - b);
  const pieces: Uint8Array[] = [];
  let previous = 0;
  for (const point of [...points, bytes.length]) {
    pieces.push(bytes.subarray(previous, point));
    previous = point;
  }
  return pieces;
}

describe('SSE reader (property-based)', function () {
  it('gives the events that were written, for any split of the bytes, any line ending, with or without BOM', function () {
    fc.assert(
      fc.property(streams, fc.array(fc.nat(), { maxLength: 40 }), (stream, cuts) => {
        const { bytes, expected } = encode(stream);
        assert.deepEqual(read(split(bytes, cuts)), expected);
      }),
      { numRuns: 400 },
    );
  });

  it('gives the same events when every byte arrives alone (every multi-byte character split)', function () {
    fc.assert(
      fc.property(streams, (stream) => {
        const { bytes, expected } = encode(stream);
        const oneByOne = Array.from(bytes, (_, index) => bytes.subarray(index, index + 1));
        assert.deepEqual(read(oneByOne), expected);
      }),
      { numRuns: 100 },
    );
  });

  it('ends a CR-only stream without waiting for a line feed that never comes', function () {
    const bytes = new TextEncoder().encode('data: {"type":"end"}\r\r');
    assert.deepEqual(read([bytes]), [{ event: undefined, id: undefined, data: '{"type":"end"}' }]);
  });

  it('discards a half-received event at the end of the body, as the SSE standard says', function () {
    const bytes = new TextEncoder().encode('data: one\n\ndata: two\n');
    assert.deepEqual(read([bytes]).map((event) => event.data), ['one']);
  });

  it('reports an event over the size limit once and stops reading', function () {
    let oversized = 0;
    const reader = createSseReader({ onMessage: () => assert.fail('no event'), onOversized: () => oversized++ }, 1000);
    reader.push(new TextEncoder().encode(`data: ${'x'.repeat(600)}`));
    reader.push(new TextEncoder().encode('y'.repeat(600)));
    reader.push(new TextEncoder().encode('\n\n'));
    reader.end();
    assert.equal(oversized, 1);
  });
});

describe('stream event normalization', function () {
  it('reads a chunk the same through its shortcut as through JSON.parse, for any content', function () {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 60 }), (content) => {
        assert.deepEqual(readStreamEvent(JSON.stringify({ type: 'chunk', content }), undefined), { type: 'chunk', content });
      }),
      { numRuns: 2000 },
    );
  });

  it('never accepts what JSON.parse would reject as a chunk', function () {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 40 }), (inner) => {
        const data = `{"type":"chunk","content":"${inner}"}`;
        let parsed: unknown;
        try {
          parsed = JSON.parse(data);
        } catch {
          assert.throws(() => readStreamEvent(data, undefined), /malformed/);
          return;
        }
        assert.deepEqual(readStreamEvent(data, undefined), parsed);
      }),
      { numRuns: 2000 },
    );
  });

  it('takes the type from the JSON, else from the SSE event field; ignores unknown types and extra fields', function () {
    assert.deepEqual(readStreamEvent('{"content":"hi"}', 'chunk'), { type: 'chunk', content: 'hi' });
    assert.deepEqual(readStreamEvent('{"type":"chunk","content":"hi","index":3}', 'message'), { type: 'chunk', content: 'hi' });
    assert.equal(readStreamEvent('{"type":"progress","pct":50}', 'progress'), undefined);
    assert.equal(readStreamEvent('{"content":"hi"}', undefined), undefined);
    assert.deepEqual(readStreamEvent('{"type":"error","error":{"message":"boom"}}', undefined), { type: 'error', message: 'boom' });
    assert.deepEqual(readStreamEvent('{"type":"end","metadata":{"tokens":150,"processing_time_ms":2500,"model_used":"gpt-4","cached":true}}', undefined), {
      type: 'end',
      metadata: { tokens: 150, processingTimeMs: 2500, model: 'gpt-4', cached: true },
    });
    assert.throws(() => readStreamEvent('{not json', 'chunk'), /malformed/);
    assert.throws(() => readStreamEvent('[1,2]', 'chunk'), /malformed/);
  });
});

describe('event stream reader (bytes to answer events)', function () {
  const encode = (text: string): Uint8Array => new TextEncoder().encode(text);
  /** The answer as a person sees it: chunk texts joined, other events by type. */
  const seen = (events: AskEvent[]): string[] => {
    const out: string[] = [];
    for (const event of events) {
      const last = out.length - 1;
      if (event.type === 'chunk' && out[last]?.startsWith('text:')) out[last] += event.content;
      else out.push(event.type === 'chunk' ? `text:${event.content}` : event.type === 'error' ? `error:${event.error.code}` : event.type);
    }
    return out;
  };
  function readAll(pieces: Uint8Array[]): string[] {
    const reader = new EventStreamReader(new AnswerAssembler(1 << 20, undefined), {}, 1 << 20);
    const out: AskEvent[] = [];
    for (const piece of pieces) reader.read(piece, out);
    reader.end(out);
    return seen(out);
  }

  it('gives the same answer for any cut of the byte stream (Persian and emoji split anywhere)', function () {
    const content = fc.string({ unit: 'grapheme', maxLength: 8 }).map((text) => `${text}سلام 👋`);
    fc.assert(
      fc.property(fc.array(content, { minLength: 1, maxLength: 8 }), fc.constantFrom('\n', '\r\n'), fc.array(fc.nat(), { maxLength: 30 }), (texts, nl, cuts) => {
        let body = `data: {"type":"start"}${nl}${nl}`;
        for (const text of texts) body += `event: chunk${nl}data: ${JSON.stringify({ type: 'chunk', content: text })}${nl}${nl}: ping${nl}${nl}`;
        body += `data: {"type":"end","metadata":{}}${nl}${nl}`;
        const bytes = encode(body);
        assert.deepEqual(readAll(split(bytes, cuts)), ['start', `text:${texts.join('')}`, 'end']);
      }),
      { numRuns: 300 },
    );
  });

  it('reads a long event that arrives in thousands of tiny reads in linear time', function () {
    // A reader that searched all the held text again on every read took minutes on this; the timeout only
    // catches that hang.
    this.timeout(20_000);
    const reader = new EventStreamReader(new AnswerAssembler(1 << 20, undefined), {}, 4 << 20);
    const out: AskEvent[] = [];
    // An event of a type the client ignores, 2 MB of valid JSON over 2,000 lines, its end in 10,000 one-byte reads.
    reader.read(encode('event: start\ndata: {"type":"start"}\n\ndata: {"type":"progress","pad":[\n'), out);
    for (let line = 0; line < 2000; line++) reader.read(encode(`data: ${'0,'.repeat(500)}\n`), out);
    reader.read(encode('data: '), out);
    for (let byte = 0; byte < 10_000; byte++) reader.read(encode(' '), out);
    reader.read(encode('0]}\n\ndata: {"type":"chunk","content":"after"}\n\ndata: {"type":"end"}\n\n'), out);
    assert.deepEqual(seen(out), ['start', 'text:after', 'end']);
  });

  it('ends an answer with no text as an empty answer, and an error event with the core\u2019s words', function () {
    assert.deepEqual(readAll([encode('data: {"type":"start"}\n\ndata: {"type":"end"}\n\n')]), ['start', 'error:empty-answer']);
    const reader = new EventStreamReader(new AnswerAssembler(1 << 20, undefined), {}, 1 << 20);
    const out: AskEvent[] = [];
    reader.read(encode('data: {"type":"chunk","content":"a"}\n\ndata: {"type":"error","error":"GPU\\non fire"}\n\n'), out);
    const last = out.at(-1);
    assert.equal(last?.type === 'error' && last.error.coreSays, 'GPU on fire');
    assert.equal(last?.type === 'error' && last.error.message, 'The answer was cut off. The core reported an error: "GPU on fire"');
  });
});

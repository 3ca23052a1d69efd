// The byte-level reader, as pure functions: any way the network cuts a valid SSE stream — inside a line,
// inside a CRLF, inside a multi-byte UTF-8 character — gives the same events, whatever the line endings,
// BOM, comments or multi-line data. fast-check searches for the cut that breaks it.
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { readStreamEvent } from '../../src/core/normalize';
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
  it('reads a chunk the same through its fast path as through JSON.parse, for any content', function () {
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

// The chunk-frame fast path (src/core/chunk-frames.ts) reads runs of the core's chunk events past
// eventsource-parser. It is only right if nothing can tell the two apart: for any text, cut anywhere, the
// event-stream reader gives the same events, read by read, with the fast path as without it — the same text,
// the same failure at the same event, the same resume point. fast-check searches for a stream that differs.
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { AnswerAssembler } from '../../src/core/answer';
import { chunkRunEnd, chunkRunText } from '../../src/core/chunk-frames';
import { EventStreamReader, type ResumePoint } from '../../src/core/event-stream';
import type { AskEvent } from '../../src/core/types';

const content = fc.string({ unit: 'binary', maxLength: 12 });
/** Inside a chunk's JSON string: anything, so also raw quotes, lone backslashes, bad escapes, control characters. */
const rawInner = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 10 }),
  fc.constantFrom('\\', '\\u12', '\\x', '"', '\t', '\\ud83d', 'a\\"b', '\\\\'),
);
const newline = fc.constantFrom('\n', '\n', '\n', '\r\n', '\r');

/** One piece of a stream: mostly the core's chunk frames, valid or not, among everything else SSE allows. */
const piece = fc.oneof(
  { weight: 6, arbitrary: fc.tuple(fc.boolean(), content).map(([event, text]) => `${event ? 'event: chunk\n' : ''}data: ${JSON.stringify({ type: 'chunk', content: text })}\n\n`) },
  { weight: 2, arbitrary: rawInner.map((inner) => `event: chunk\ndata: {"type":"chunk","content":"${inner}"}\n\n`) },
  {
    weight: 2,
    arbitrary: fc
      .tuple(fc.constantFrom('start', 'sources', 'end', 'error', 'chunk', 'progress'), content, newline, fc.option(fc.nat(99), { nil: undefined }))
      .map(([type, text, nl, id]) => {
        const data = type === 'sources' ? { type, sources: [{ title: text, url: 'https://example.com/a' }] } : { type, content: text, error: text, conversation_id: 'c1' };
        return `${id === undefined ? '' : `id: ${id}${nl}`}event: ${type}${nl}data: ${JSON.stringify(data)}${nl}${nl}`;
      }),
  },
  { weight: 1, arbitrary: fc.constantFrom(': ping\n\n', 'retry: 1500\n\n', '\n', '\r', '\r\n', 'data: {"type":"chunk","content":"x"}\r\n\r\n', 'data: {not json}\n\n', 'id: 7\n') },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 20 }) },
);

const streams = fc.record({
  pieces: fc.array(piece, { maxLength: 30 }),
  cuts: fc.array(fc.nat(), { maxLength: 12 }),
  maxEventBytes: fc.constantFrom(1 << 20, 60),
  maxAnswerChars: fc.constantFrom(1 << 20, 25),
});

interface Outcome {
  reads: AskEvent[][];
  finished: boolean;
  failure: string | undefined;
  resume: ResumePoint;
  textLength: number;
}

function read(bytes: Uint8Array, cuts: number[], limits: { maxEventBytes: number; maxAnswerChars: number }, recognise: boolean): Outcome {
  const answer = new AnswerAssembler(limits.maxAnswerChars, undefined);
  const resume: ResumePoint = {};
  const reader = new EventStreamReader(answer, resume, limits.maxEventBytes, recognise);
  const points = [...new Set(cuts.map((cut) => cut % (bytes.length + 1))), bytes.length].sort((a, b) => a - b);
  const reads: AskEvent[][] = [];
  let previous = 0;
  for (const point of points) {
    const out: AskEvent[] = [];
    reader.read(bytes.subarray(previous, point), out);
    reads.push(out);
    previous = point;
  }
  const out: AskEvent[] = [];
  reader.end(out);
  reads.push(out);
  return { reads, finished: reader.finished, failure: reader.failure?.message, resume, textLength: answer.textLength };
}

describe('chunk frames read past the SSE parser', function () {
  it('give the same events, read by read, as eventsource-parser for any stream cut anywhere', function () {
    fc.assert(
      fc.property(streams, ({ pieces, cuts, maxEventBytes, maxAnswerChars }) => {
        const bytes = new TextEncoder().encode(pieces.join(''));
        const limits = { maxEventBytes, maxAnswerChars };
        assert.deepEqual(read(bytes, cuts, limits, true), read(bytes, cuts, limits, false));
      }),
      { numRuns: 3000 },
    );
  });

  it('read a run of valid frames as the contents joined, escapes and all', function () {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.boolean(), content), { minLength: 1, maxLength: 20 }), (frames) => {
        const run = frames.map(([event, text]) => `${event ? 'event: chunk\n' : ''}data: ${JSON.stringify({ type: 'chunk', content: text })}\n\n`).join('');
        const text = `event: start\ndata: {}\n\n${run}event: end\n`;
        const from = text.indexOf('\n\n') + 2;
        assert.equal(chunkRunEnd(text, from), from + run.length);
        assert.equal(chunkRunText(run), frames.map(([, text]) => text).join(''));
      }),
      { numRuns: 1000 },
    );
  });

  it('never take a frame whose JSON is not valid, or not exactly the core’s chunk', function () {
    fc.assert(
      fc.property(rawInner, (inner) => {
        // The exact shape holds when what sits between the quotes is one JSON string's inside, nothing more.
        let oneString = true;
        try {
          JSON.parse(`"${inner}"`);
        } catch {
          oneString = false;
        }
        const frame = `data: {"type":"chunk","content":"${inner}"}\n\n`;
        assert.equal(chunkRunEnd(frame, 0) === frame.length, oneString);
      }),
      { numRuns: 2000 },
    );
    for (const frame of ['data: {"type":"chunk","content":"a","index":1}\n\n', 'data:{"type":"chunk","content":"a"}\n\n', 'event: chunk\r\ndata: {"type":"chunk","content":"a"}\r\n\r\n', 'data: {"type":"chunk","content":"a"}\n']) {
      assert.equal(chunkRunEnd(frame, 0), -1, frame);
    }
  });

  it('reads a long event that arrives in thousands of tiny reads without searching all of it on every read', function () {
    // Searching the held text again per read made this take minutes (the extension host would hang on a core that
    // trickles a big event); read once, it takes a fraction of a second. The timeout only catches that hang.
    this.timeout(20_000);
    const reader = new EventStreamReader(new AnswerAssembler(1 << 20, undefined), {}, 4 << 20);
    const encode = (text: string): Uint8Array => new TextEncoder().encode(text);
    const out: AskEvent[] = [];
    // An event of a type the client ignores, 2 MB of valid JSON over 2,000 lines, its end in 10,000 one-byte reads.
    reader.read(encode('event: start\ndata: {"type":"start"}\n\ndata: {"type":"progress","pad":[\n'), out);
    for (let line = 0; line < 2000; line++) reader.read(encode(`data: ${'0,'.repeat(500)}\n`), out);
    reader.read(encode('data: '), out);
    for (let byte = 0; byte < 10_000; byte++) reader.read(encode(' '), out);
    reader.read(encode('0]}\n\ndata: {"type":"chunk","content":"after"}\n\ndata: {"type":"end"}\n\n'), out);
    assert.deepEqual(out.map((event) => (event.type === 'chunk' ? event.content : event.type)), ['start', 'after', 'end']);
  });

  it('does not hold back events that end with an empty line of CRs after frames it read', function () {
    const events = (text: string): AskEvent[] => {
      const reader = new EventStreamReader(new AnswerAssembler(1 << 20, undefined), {}, 1 << 20);
      const out: AskEvent[] = [];
      reader.read(new TextEncoder().encode(text), out);
      return out;
    };
    const out = events('data: {"type":"start"}\n\ndata: {"type":"chunk","content":"a"}\n\ndata: {"type":"chunk","content":"b"}\r\rdata: {"type":"end"}\r\r: later');
    assert.deepEqual(out.map((event) => (event.type === 'chunk' ? event.content : event.type)), ['start', 'ab', 'end']);
  });
});

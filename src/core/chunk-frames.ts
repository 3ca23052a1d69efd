// The core's chunk events, recognised a run at a time in the decoded stream text, in the exact frame the core
// writes them: `event: chunk` (optional), `data: {"type":"chunk","content":"…"}`, an empty line, LF line endings.
//
// Why not leave every event to eventsource-parser: an answer is tens of thousands of 6-character chunks, and
// any per-event check on the strings the parser hands out (a regular expression call alone is ~30 ns) costs more
// than a quarter of the parser's own time, which is the budget issue #2 sets. One regular expression over a run
// of frames checks the same JSON for far less. Everything else — other events, `id:` and `retry:` lines,
// comments, CR line endings, any frame not in this exact shape — still goes through eventsource-parser; the
// property tests in test/core/chunk-frames.test.ts show the two give the same events for any text cut anywhere.
import { JSON_STRING_BODY } from './normalize.js';

const FRAME_START = String.raw`(?:event: chunk\n)?data: \{"type":"chunk","content":"`;
const FRAME = `${FRAME_START}${JSON_STRING_BODY}"\\}\\n\\n`;
const RUN = new RegExp(`(?:${FRAME})+`, 'y');
/** A frame start right after an empty line, i.e. where the parser has dispatched everything before it. */
const NEXT_FRAME = new RegExp(`\\n\\n${FRAME_START}`, 'g');
/**
 * What lies between two frames' contents. It begins with `"}`, which content cannot hold (it has no raw quote),
 * so the search runs on that literal: measured, 2 ms less per 5 MB than matching each frame's start and end.
 */
const BETWEEN_CONTENTS = new RegExp(`"\\}\\n\\n${FRAME_START}`, 'g');
const HEAD_WITH_EVENT = 'event: chunk\ndata: {"type":"chunk","content":"'.length;
const HEAD = 'data: {"type":"chunk","content":"'.length;
const TAIL = '"}\n\n'.length;

/**
 * Where the run of chunk frames that starts at `from` ends, or -1 when no chunk frame starts there.
 * `from` must be the start of an event (after an empty line, or at the start of the stream).
 */
export function chunkRunEnd(text: string, from: number): number {
  RUN.lastIndex = from;
  return RUN.test(text) ? RUN.lastIndex : -1;
}

/** The answer text of a run of frames that chunkRunEnd matched: the contents joined, unescaped. */
export function chunkRunText(run: string): string {
  const head = run.startsWith('event:') ? HEAD_WITH_EVENT : HEAD;
  const literal = run.slice(head, -TAIL).replace(BETWEEN_CONTENTS, '');
  // Each frame's content was checked as a whole JSON string body, so their concatenation is one, and it
  // unescapes to the concatenation of the contents (no escape sequence spans two frames).
  return literal.includes('\\') ? (JSON.parse(`"${literal}"`) as string) : literal;
}

/**
 * The start of the first event after `from` that may be a chunk frame; else the end of the last complete event
 * (just after its empty line); -1 when there is none after `from`. `from` must be the start of an event, and the
 * text must have no CR.
 */
export function nextEventBoundary(text: string, from: number): number {
  NEXT_FRAME.lastIndex = from;
  const frame = NEXT_FRAME.exec(text);
  if (frame) return frame.index + 2;
  const afterLastEmptyLine = text.lastIndexOf('\n\n') + 2; // 1 when there is none
  return afterLastEmptyLine > Math.max(from, 1) ? afterLastEmptyLine : -1;
}

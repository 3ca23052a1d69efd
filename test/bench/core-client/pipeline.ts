// One side of the throughput comparison, run in its own process so the sides never share a JIT or a heap:
// `node pipeline.js parser|client FILE` reads a recorded SSE stream, cuts it into
// 64 KiB network reads, warms up, and prints the CPU milliseconds one pass over the whole stream costs (median
// of 15).
import { readFileSync } from 'node:fs';
import { createParser } from 'eventsource-parser';
import { AnswerAssembler } from '../../../src/core/answer';
import { EventStreamReader } from '../../../src/core/event-stream';
import type { AskEvent } from '../../../src/core/types';

/** eventsource-parser on its own, decoding the bytes the way its README asks callers to. */
function parserAlone(pieces: Uint8Array[]): void {
  const decoder = new TextDecoder();
  const parser = createParser({ onEvent: () => undefined });
  for (const piece of pieces) parser.feed(decoder.decode(piece, { stream: true }));
}

/** What the client runs on every network read of an event stream (the same class): decode, parse, normalize. */
function clientPipeline(pieces: Uint8Array[]): void {
  const pending: AskEvent[] = [];
  const stream = new EventStreamReader(new AnswerAssembler(64 << 20, undefined), {}, 1 << 20);
  for (const piece of pieces) {
    stream.read(piece, pending);
    pending.length = 0; // the client hands these to its caller after every read
  }
  stream.end(pending);
  // A failure early in the recording would skip the rest and look fast: only a whole answer counts.
  if (!stream.finished || stream.failure) throw new Error(`the recording did not read as one answer: ${stream.failure?.message ?? 'no end'}`);
}

const [mode, file] = process.argv.slice(2);
const bytes = readFileSync(file ?? '');
const pieces: Uint8Array[] = [];
for (let offset = 0; offset < bytes.length; offset += 65_536) pieces.push(bytes.subarray(offset, offset + 65_536));
const runs: Record<string, (pieces: Uint8Array[]) => void> = {
  parser: parserAlone,
  client: clientPipeline,
};
const run = runs[mode ?? ''];
if (!run) throw new Error(`unknown mode ${mode}: ${Object.keys(runs).join(', ')}`);
for (let warm = 0; warm < 5; warm++) run(pieces);
const samples: number[] = [];
for (let sample = 0; sample < 15; sample++) {
  // CPU time, not wall time: another process's load on the machine does not add to it.
  const before = process.cpuUsage();
  for (let pass = 0; pass < 3; pass++) run(pieces);
  const spent = process.cpuUsage(before);
  samples.push((spent.user + spent.system) / 1000 / 3);
}
samples.sort((a, b) => a - b);
console.log(JSON.stringify({ mode, msPerPass: samples[Math.floor(samples.length / 2)] }));

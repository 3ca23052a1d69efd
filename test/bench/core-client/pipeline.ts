// One side of the throughput comparison, run in its own process so the two sides never share a JIT or a
// heap: `node pipeline.js parser|client FILE` reads a recorded SSE stream, cuts it into 64 KiB network
// reads, warms up, and prints the CPU milliseconds one pass over the whole stream costs (median of 15).
import { readFileSync } from 'node:fs';
import { createParser } from 'eventsource-parser';
import { AnswerAssembler } from '../../../src/core/answer';
import { createSseReader } from '../../../src/core/sse';
import type { AskEvent } from '../../../src/core/types';

/** eventsource-parser on its own, decoding the bytes the way its README asks callers to. */
function parserAlone(pieces: Uint8Array[]): void {
  const decoder = new TextDecoder();
  const parser = createParser({ onEvent: () => undefined });
  for (const piece of pieces) parser.feed(decoder.decode(piece, { stream: true }));
}

/** What the client runs per network read (the same functions): decode, parse, read the JSON, assemble AskEvents. */
function clientPipeline(pieces: Uint8Array[]): void {
  const pending: AskEvent[] = [];
  const answer = new AnswerAssembler(64 << 20, undefined);
  const reader = createSseReader({ onMessage: (message) => void answer.acceptMessage(message, pending), onOversized: () => undefined }, 1 << 20);
  for (const piece of pieces) {
    reader.push(piece);
    answer.flush(pending);
    pending.length = 0; // the client hands these to its caller after every read
  }
  reader.end();
}

const [mode, file] = process.argv.slice(2);
const bytes = readFileSync(file ?? '');
const pieces: Uint8Array[] = [];
for (let offset = 0; offset < bytes.length; offset += 65_536) pieces.push(bytes.subarray(offset, offset + 65_536));
const run = mode === 'client' ? clientPipeline : parserAlone;
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

// `npm run bench -- storage`: what saving after an answer costs with 50 conversations of 100 turns in the history,
// against the same save with no history, side by side in one run. The store runs in plain Node against real temporary
// folders (the code the extension ships; only the memento is a stand-in, which serializes what it is given, as VS
// Code's does before writing it to its state database). The two stores take turns, save by save, so a change in the
// machine's load falls on both. Each save: one answer appended to a conversation of 100 turns (its oldest turn out,
// so its size stays), then `store.save()` (its file written and synced to disk, the index updated); "history" is 49
// more conversations of 100 turns, 50 in all (the store's count cap). Prints a BENCH-RESULT line.
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { type Conversation, ConversationStore, type KeyValueStore } from '../../src/chat/conversationStore';
import type { Turn } from '../../src/shared/messages';

const HISTORY_CONVERSATIONS = 50;
const HISTORY_TURNS = 100;
const SAVES = 200;
const WARMUP = 20;

class SerializingMemento implements KeyValueStore {
  private readonly values = new Map<string, string>();
  get<T>(key: string): T | undefined {
    const text = this.values.get(key);
    return text === undefined ? undefined : (JSON.parse(text) as T);
  }
  update(key: string, value: unknown): Promise<void> {
    if (value === undefined) this.values.delete(key);
    else this.values.set(key, JSON.stringify(value));
    return Promise.resolve();
  }
}

/** An answer of about 8 KB of markdown: prose, a list, a code block and Persian. */
function answer(seed: number): string {
  const prose = `Answer ${seed}: the chat keeps **every** conversation of this workspace in its own file, and \`tejarat.coreUrl\` names the core. `;
  const persian = 'پاسخ‌ها با منابعشان می‌آیند و هر بلوک جهت خودش را دارد. ';
  const code = '```ts\n' + 'const answer = await client.ask({ query, language: "fa" });\n'.repeat(20) + '```\n';
  return `${prose.repeat(20)}\n\n- one\n- two\n- three\n\n${code}\n${persian.repeat(30)}`;
}

function turn(index: number): Turn {
  return {
    id: globalThis.crypto.randomUUID(),
    question: `Question number ${index}: how does the history work?`,
    answer: answer(index),
    status: 'done',
    sources: [{ title: 'Storage guide', url: 'https://docs.example/storage', snippet: 'Each conversation is one file.', score: 0.9 }],
    metadata: { model: 'gpt-4', tokens: 1500, processingTimeMs: 2300, cached: false },
    mode: 'stream',
  };
}

const silent = { info: () => undefined, warn: () => undefined, error: () => undefined };

async function storeWith(folder: string, conversations: number, turns: number): Promise<{ store: ConversationStore; target: Conversation }> {
  const memento = new SerializingMemento();
  const seeding = new ConversationStore({ memento, folder, log: silent });
  await seeding.ready();
  for (let c = 0; c < conversations; c++) {
    const conversation = seeding.create();
    conversation.title = `history ${c}`;
    conversation.updatedAt = 1_000 + c;
    for (let t = 0; t < turns; t++) conversation.turns.push(turn(t));
    await seeding.save(conversation, false);
  }
  // A fresh store, as in a new window: the history is on disk and in the index, not in memory.
  const store = new ConversationStore({ memento, folder, log: silent });
  await store.ready();
  const target = store.create();
  target.title = 'the conversation being answered';
  for (let t = 0; t < HISTORY_TURNS; t++) target.turns.push(turn(t));
  await store.save(target);
  return { store, target };
}

async function timeSave(store: ConversationStore, target: Conversation, index: number): Promise<number> {
  // The same conversation size every time: one answer in, the oldest out.
  target.turns.shift();
  target.turns.push(turn(index));
  target.updatedAt = Date.now();
  const started = performance.now();
  await store.save(target);
  return performance.now() - started;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
}

function percentile(values: number[], fraction: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil(fraction * sorted.length) - 1)] ?? Number.NaN;
}

const round = (value: number, digits = 3): number => Number(value.toFixed(digits));

async function main(): Promise<void> {
  const scratch = mkdtempSync(join(tmpdir(), 'tejarat-storage-bench-'));
  try {
    const seedStarted = performance.now();
    const empty = await storeWith(join(scratch, 'empty'), 0, 0);
    const full = await storeWith(join(scratch, 'full'), HISTORY_CONVERSATIONS - 1, HISTORY_TURNS);
    const files = readdirSync(join(scratch, 'full')).filter((name) => name.endsWith('.json')).length;
    const historyBytes = full.store.list().reduce((sum, entry) => sum + entry.bytes, 0);
    if (files !== HISTORY_CONVERSATIONS) throw new Error(`the history holds ${files} files, not ${HISTORY_CONVERSATIONS}: a cap removed some`);
    console.log(`seeded ${files} conversation files (${(historyBytes / 1e6).toFixed(1)} MB) in ${((performance.now() - seedStarted) / 1000).toFixed(1)} s`);

    const none: number[] = [];
    const fifty: number[] = [];
    const pairs: number[] = [];
    for (let index = 0; index < WARMUP + SAVES; index++) {
      // Alternate which goes first, so neither always runs right after the other's disk sync.
      const order = index % 2 === 0 ? [empty, full] : [full, empty];
      const pair = new Map<typeof empty, number>();
      for (const side of order) pair.set(side, await timeSave(side.store, side.target, index));
      if (index < WARMUP) continue;
      none.push(pair.get(empty) ?? Number.NaN);
      fifty.push(pair.get(full) ?? Number.NaN);
      pairs.push((pair.get(full) ?? Number.NaN) / (pair.get(empty) ?? Number.NaN));
    }
    // Each pair ran back to back, so the machine's load (shared, and swinging) weighs on both of its saves alike: the
    // median of the pairs' ratios is the figure; the ratio of the two medians is printed beside it.
    const ratio = median(pairs);
    console.log(
      `BENCH-RESULT ${JSON.stringify({
        name: `saving after an answer in a ${HISTORY_TURNS}-turn conversation: ${HISTORY_CONVERSATIONS} x ${HISTORY_TURNS} turns of history vs that conversation alone (file + fsync + index; median of the ratios of ${SAVES} back-to-back pairs)`,
        withHistoryMs: round(median(fifty)),
        withoutHistoryMs: round(median(none)),
        ratio: round(ratio, 2),
        ratioOfMedians: round(median(fifty) / median(none), 2),
        p90WithHistoryMs: round(percentile(fifty, 0.9)),
        p90WithoutHistoryMs: round(percentile(none, 0.9)),
        savedConversationBytes: full.store.list().find((entry) => entry.id === full.target.id)?.bytes,
        historyBytes,
        budgetRatio: 1.2,
        loadAverage1m: round(loadavg()[0] ?? 0, 1),
      })}`,
    );
    if (!(ratio <= 1.2)) process.exitCode = 1;
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

void main();

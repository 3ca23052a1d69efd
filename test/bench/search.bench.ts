// `npm run bench -- search`: search over 50 conversations × 100 turns (about 50 MB of UTF-8 on disk, Persian and
// English), the store and the index the extension ships running in plain Node against a real temporary folder.
// Measures, for 50 queries (half Persian, half English, typed as people type them: Arabic yeh/kaf, Persian digits,
// missing ZWNJ), the time from the last keystroke to the results, each query typed letter by letter (every keystroke
// starts a search that the next one replaces, as the QuickPick and the panel do). Meanwhile an event-loop delay
// monitor and the index's own slice timer give the longest time the loop was held. Also reports the time to build the
// index in the background. A slice is timed in wall time and in the process's CPU time: on a machine whose cores are
// busy, wall time also counts the process waiting for a core (the line gives the load average). Prints a
// BENCH-RESULT line; exits 1 when p95 ≥ 100 ms or a slice takes ≥ 50 ms of CPU.
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { ConversationStore, type KeyValueStore } from '../../src/chat/conversationStore';
import type { Turn } from '../../src/shared/messages';
import { Cancelled, SearchIndex } from '../../src/search/index';

const CONVERSATIONS = 50;
const TURNS = 100;

class Memento implements KeyValueStore {
  private readonly values = new Map<string, string>();
  get<T>(key: string): T | undefined {
    const text = this.values.get(key);
    return text === undefined ? undefined : (JSON.parse(text) as T);
  }
  update(key: string, value: unknown): Promise<void> {
    this.values.set(key, JSON.stringify(value));
    return Promise.resolve();
  }
}

let seed = 12345;
function random(): number {
  seed = (seed * 1103515245 + 12345) % 2147483648;
  return seed / 2147483648;
}
function pick<T>(items: readonly T[]): T {
  return items[Math.floor(random() * items.length)] as T;
}

const persianWords = (
  'سامانه پرداخت تراکنش حساب مشتری گزارش بانک شعبه کارت اعتبار وام سپرده تسهیلات قرارداد پیکربندی سرور پایگاه داده ' +
  'می‌خواهم می‌توانید درخواست‌ها کتابخانه‌ها برنامه‌نویسی تنظیمات امنیت دسترسی کلید توکن نسخه به‌روزرسانی خطا پاسخ منبع ' +
  'سند راهنما آیین‌نامه مدیریت ریسک انطباق حسابرسی استقرار کانتینر شبکه پروکسی گواهی رمزنگاری و در به از که این را با برای است'
).split(' ');
const englishWords = (
  'the a of to and in is for that with as on by this be are from it or at which payment transaction account customer ' +
  'report branch card credit loan deposit contract configuration server database request library settings security ' +
  'access key token version update error response source document guide policy risk compliance audit deployment ' +
  'container network proxy certificate encryption retry timeout stream fallback kubernetes postgres redis'
).split(' ');

function sentence(words: readonly string[], length: number): string {
  const parts: string[] = [];
  for (let k = 0; k < length; k++) parts.push(pick(words));
  if (random() < 0.3) parts.push(String(Math.floor(random() * 10_000)));
  return parts.join(' ');
}

/** About 10 KB of answer: paragraphs in both languages, a list, a code block. */
function answer(): string {
  const blocks: string[] = [];
  let size = 0;
  while (size < 9_000) {
    const roll = random();
    let block: string;
    if (roll < 0.45) block = Array.from({ length: 4 }, () => sentence(persianWords, 14) + '.').join(' ');
    else if (roll < 0.8) block = Array.from({ length: 4 }, () => sentence(englishWords, 16) + '.').join(' ');
    else if (roll < 0.9) block = Array.from({ length: 5 }, () => `- ${sentence(random() < 0.5 ? persianWords : englishWords, 8)}`).join('\n');
    else block = '```ts\n' + Array.from({ length: 8 }, () => `const ${pick(englishWords)}_${Math.floor(random() * 100)} = await client.${pick(englishWords)}({ retry: ${Math.floor(random() * 5)} });`).join('\n') + '\n```';
    blocks.push(block);
    size += Buffer.byteLength(block) + 2;
  }
  return blocks.join('\n\n');
}

function turn(): Turn {
  const persian = random() < 0.5;
  return {
    id: globalThis.crypto.randomUUID(),
    question: `${sentence(persian ? persianWords : englishWords, 10)}؟`,
    answer: answer(),
    status: 'done',
    sources: [{ title: 'راهنمای سامانه', url: 'https://docs.example/guide', snippet: sentence(persianWords, 12), score: 0.8 }],
    metadata: { model: 'gpt-4', tokens: 1500, processingTimeMs: 2300, cached: false },
  };
}

// Queries as typed: Arabic yeh/kaf, no ZWNJ, Persian digits, mixed case; some rare, some in almost every turn, some
// found nowhere (a full scan).
const queries = [
  'تراكنش', 'گزارش بانك', 'ميخواهم', 'کتابخانهها', 'برنامهنویسی', 'تنظيمات امنیت', 'کلید توکن', 'نسخه ۱۲۳', 'به روزرسانی',
  'آيين نامه', 'پروکسی گواهی', 'رمزنگاری', 'پایگاه داده', 'سپرده وام', 'حسابرسی انطباق', 'کانتینر شبکه', 'مشتری کارت',
  'شعبه ۴۲', 'خطای ناشناخته', 'درخواستها', 'استقرار', 'سند راهنما', 'مدیریت ریسک', 'قرارداد اعتبار', 'هیچ‌جا‌نیست',
  'Payment', 'transaction report', 'KUBERNETES', 'postgres redis', 'certificate', 'proxy timeout', 'retry: 3', 'client.stream',
  'deposit', 'loan contract', 'compliance audit', 'encryption key', 'fallback', 'the', 'access token', 'version 1234',
  'database server', 'nowhere-to-be-found', 'customer card', 'branch', 'security settings', 'guide', 'deployment container',
  'network policy', 'const',
];

async function main(): Promise<void> {
  const scratch = mkdtempSync(join(tmpdir(), 'tejarat-search-bench-'));
  try {
    const memento = new Memento();
    const folder = join(scratch, 'conversations');
    const seeding = new ConversationStore({ memento, folder, log: { info: () => undefined, warn: () => undefined, error: console.error } });
    await seeding.ready();
    let bytes = 0;
    for (let c = 0; c < CONVERSATIONS; c++) {
      const conversation = seeding.create();
      conversation.title = `conversation ${c}`;
      conversation.updatedAt = 1_000 + c;
      for (let t = 0; t < TURNS; t++) conversation.turns.push(turn());
      await seeding.save(conversation, false);
    }
    await seeding.flush();
    const store = new ConversationStore({ memento, folder, log: { info: () => undefined, warn: console.warn, error: console.error } });
    await store.ready();
    for (const summary of store.list()) bytes += summary.bytes;
    console.log(`history: ${store.list().length} conversations, ${(bytes / 1e6).toFixed(1)} MB on disk`);

    const cpuClock = (): number => {
      const usage = process.cpuUsage();
      return (usage.user + usage.system) / 1000;
    };
    const index = new SearchIndex(store, { cpuClock });
    const delay = monitorEventLoopDelay({ resolution: 5 });
    delay.enable();
    const buildStart = performance.now();
    await index.warm();
    const buildMs = performance.now() - buildStart;
    const buildMaxDelay = delay.max / 1e6;
    const buildSlice = index.longestSliceMs;
    const buildSliceCpu = index.longestSliceCpuMs;
    console.log(`index built in the background in ${buildMs.toFixed(0)} ms; longest slice ${buildSlice.toFixed(1)} ms wall, ${buildSliceCpu.toFixed(1)} ms CPU; event-loop delay max ${buildMaxDelay.toFixed(1)} ms`);
    delay.reset();
    index.longestSliceMs = 0;
    index.longestSliceCpuMs = 0;

    // Warm-up: the JIT, as a user's first searches would.
    for (const query of queries.slice(0, 5)) await index.search(query);
    index.longestSliceMs = 0;
    index.longestSliceCpuMs = 0;
    delay.reset();

    const times: number[] = [];
    let hitsTotal = 0;
    for (const query of queries) {
      // Typed letter by letter, a keystroke every 30 ms; the last one's results are what the user waits for.
      const pending: Array<Promise<unknown>> = [];
      for (let length = 1; length < query.length; length++) {
        pending.push(index.search(query.slice(0, length)).catch((error: unknown) => {
          if (!(error instanceof Cancelled)) throw error;
        }));
        await new Promise((resolve) => setTimeout(resolve, 30));
      }
      const started = performance.now();
      const result = await index.search(query);
      times.push(performance.now() - started);
      hitsTotal += result.hits.length;
      await Promise.all(pending);
    }
    delay.disable();
    const sorted = [...times].sort((a, b) => a - b);
    const at = (q: number): number => sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)] ?? NaN;
    const p50 = at(0.5);
    const p95 = at(0.95);
    const max = sorted[sorted.length - 1] ?? NaN;
    const maxDelay = delay.max / 1e6;
    const slice = index.longestSliceMs;
    const sliceCpu = index.longestSliceCpuMs;
    for (const [k, query] of queries.entries()) console.log(`  ${(times[k] ?? 0).toFixed(1).padStart(6)} ms  ${query}`);
    console.log(`search: p50 ${p50.toFixed(1)} ms, p95 ${p95.toFixed(1)} ms, max ${max.toFixed(1)} ms over ${queries.length} queries (${hitsTotal} hits shown); longest synchronous slice ${slice.toFixed(1)} ms wall, ${sliceCpu.toFixed(1)} ms CPU; event-loop delay max ${maxDelay.toFixed(1)} ms`);
    console.log(`BENCH-RESULT search ${CONVERSATIONS}x${TURNS} (${(bytes / 1e6).toFixed(1)} MB, load ${loadavg()[0]?.toFixed(1)}): p95 ${p95.toFixed(1)} ms, p50 ${p50.toFixed(1)} ms, max ${max.toFixed(1)} ms; longest slice ${Math.max(slice, buildSlice).toFixed(1)} ms wall / ${Math.max(sliceCpu, buildSliceCpu).toFixed(1)} ms CPU; loop delay max ${Math.max(maxDelay, buildMaxDelay).toFixed(1)} ms; index build ${buildMs.toFixed(0)} ms in the background`);
    // The slice limit is checked in CPU time: wall time on a loaded machine also counts waiting for a core.
    if (!(p95 < 100) || Math.max(sliceCpu, buildSliceCpu) >= 50) process.exitCode = 1;
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});

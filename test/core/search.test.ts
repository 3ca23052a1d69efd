// Search over stored conversations: the folding table, Persian found however it was typed, snippets with marks, and
// the index kept in step with the store (a new answer found, a deleted conversation gone).
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Conversation, ConversationStore, type KeyValueStore } from '../../src/chat/conversationStore';
import { SearchIndex, snippetOf } from '../../src/search/index';
import { normalize, normalizeWithMap, queryTerms } from '../../src/shared/normalize';
import type { Turn } from '../../src/shared/messages';

class Memory implements KeyValueStore {
  readonly values = new Map<string, unknown>();
  get<T>(key: string): T | undefined {
    return this.values.get(key) as T | undefined;
  }
  update(key: string, value: unknown): Promise<void> {
    this.values.set(key, JSON.parse(JSON.stringify(value)));
    return Promise.resolve();
  }
}

const silent = { info: () => undefined, warn: () => undefined, error: () => undefined };

function turn(question: string, answer: string): Turn {
  return { id: globalThis.crypto.randomUUID(), question, answer, status: 'done', sources: [] };
}

describe('search: normalization table', () => {
  const table: Array<[string, string, string]> = [
    ['Arabic yeh is Persian yeh', '\u064A', '\u06CC'],
    ['alef maksura is Persian yeh', '\u0649', '\u06CC'],
    ['Persian yeh stays', '\u06CC', '\u06CC'],
    ['Arabic kaf is Persian kaf', '\u0643', '\u06A9'],
    ['Persian kaf stays', '\u06A9', '\u06A9'],
    ['Persian digits are Latin', '۰۱۲۳۴۵۶۷۸۹', '0123456789'],
    ['Arabic-Indic digits are Latin', '٠١٢٣٤٥٦٧٨٩', '0123456789'],
    ['ZWNJ is dropped', 'می\u200Cخواهم', 'میخواهم'],
    ['fathatan to sukun are dropped', 'ك\u064B\u064C\u064D\u064E\u064F\u0650\u0651\u0652', 'ک'],
    ['the rest of U+064B–U+065F too', 'ب\u0653\u0654\u0655\u0656\u0657\u0658\u0659\u065A\u065B\u065C\u065D\u065E\u065F', 'ب'],
    ['superscript alef is dropped', 'هذا\u0670', 'هذا'],
    ['tatweel is dropped', 'کـــتاب', 'کتاب'],
    ['LRM, RLM and ZWJ are dropped', 'a\u200Eb\u200Fc\u200Dd', 'abcd'],
    ['Latin is lower case', 'ConversationStore HTTP', 'conversationstore http'],
    ['Greek final sigma folds like sigma', 'ΟΔΟΣ', 'οδοσ'],
    ['spaces and punctuation stay', 'a, b. (c)', 'a, b. (c)'],
  ];
  for (const [name, input, expected] of table) {
    it(name, () => {
      assert.equal(normalize(input), expected);
      assert.equal(normalizeWithMap(input).text, expected, 'the mapped fold agrees with the fast one');
    });
  }

  it('the map points each folded character at its original', () => {
    const original = 'کـتاب‌ها ۱۲';
    const { text, map } = normalizeWithMap(original);
    assert.equal(text, 'کتابها 12');
    assert.deepEqual([...map], [0, 2, 3, 4, 6, 7, 8, 9, 10, 11]);
  });

  it('both folds agree on mixed text, character by character', () => {
    const alphabet = ['a', 'Z', 'İ', 'Σ', ' ', 'ي', 'ی', 'ك', 'ک', '۵', '٥', '5', '\u200C', '\u064E', '\u0670', 'ـ', 'ب', '😀', '\n'];
    let seed = 7;
    for (let round = 0; round < 300; round++) {
      let text = '';
      for (let k = 0; k < 30; k++) {
        seed = (seed * 1103515245 + 12345) % 2147483648;
        text += alphabet[seed % alphabet.length];
      }
      assert.equal(normalizeWithMap(text).text, normalize(text), JSON.stringify(text));
    }
  });

  it('a query is its folded words, each once', () => {
    assert.deepEqual(queryTerms('  كتاب  Book ۲ book\u00A0'), ['کتاب', 'book', '2']);
    assert.deepEqual(queryTerms(' \t '), []);
  });
});

describe('search: snippets', () => {
  it('a window around the match, with the match marked in the original spelling', () => {
    const original = `${'word '.repeat(40)}the كتاب‌خانه\nof ۱۴۰۲ ${'tail '.repeat(40)}`;
    const { snippet, marks } = snippetOf(original, normalize(original), queryTerms('کتابخانه 1402'), 20);
    assert.match(snippet, /^…/);
    assert.match(snippet, /…$/);
    assert.ok(!snippet.includes('\n'), 'whitespace collapsed');
    const marked = marks.map(([from, to]) => snippet.slice(from, to));
    assert.deepEqual(marked, ['كتاب‌خانه', '۱۴۰۲']);
  });

  it('a short text whole, without ellipses', () => {
    const { snippet, marks } = snippetOf('How do I Set the token?', normalize('How do I Set the token?'), ['set']);
    assert.equal(snippet, 'How do I Set the token?');
    assert.deepEqual(marks, [[9, 12]]);
  });
});

describe('search: over the stored conversations', () => {
  let scratch: string;
  before(() => {
    scratch = mkdtempSync(join(tmpdir(), 'tejarat-search-'));
  });
  after(() => rmSync(scratch, { recursive: true, force: true }));

  async function storeWith(conversations: Array<{ title: string; turns: Turn[]; updatedAt: number }>): Promise<{ store: ConversationStore; saved: Conversation[] }> {
    const memento = new Memory();
    const folder = mkdtempSync(join(scratch, 'history-'));
    const seeding = new ConversationStore({ memento, folder, log: silent });
    await seeding.ready();
    const saved: Conversation[] = [];
    for (const entry of conversations) {
      const conversation = seeding.create();
      conversation.title = entry.title;
      conversation.turns.push(...entry.turns);
      conversation.updatedAt = entry.updatedAt;
      await seeding.save(conversation);
      saved.push(conversation);
    }
    await seeding.flush();
    // A new window: the history is on disk, not in memory.
    const store = new ConversationStore({ memento, folder, log: silent });
    await store.ready();
    return { store, saved };
  }

  const persianAnswer = 'برای تنظیم كليد دسترسي، فرمان «تنظيم توكن» را اجرا کنید؛ نسخهٔ ۱.۲ این کار را ساده‌تر می‌کند. كِتابخانهٔ اصلی هم هست.';

  it('finds Persian with any mix of ی/ي, ک/ك, digits, ZWNJ and diacritics', async () => {
    const { store, saved } = await storeWith([
      { title: 'old', updatedAt: 1_000, turns: [turn('How to set the token?', persianAnswer)] },
      { title: 'new', updatedAt: 2_000, turns: [turn('Something else', 'Nothing to see here.')] },
    ]);
    const index = new SearchIndex(store);
    const queries = ['کلید دسترسی', 'كليد دسترسي', 'نسخه 1.2', 'نسخهٔ ١.٢', 'ساده\u200Cتر', 'سادهتر', 'ساده تر', 'کتابخانه', 'كتابخانه', 'تَنظیم', 'تنظـیم توکن'];
    for (const query of queries) {
      const result = await index.search(query);
      assert.equal(result.hits.length, 1, `"${query}" finds the turn`);
      const hit = result.hits[0];
      assert.equal(hit?.conversationId, saved[0]?.id);
      assert.equal(hit?.turnId, saved[0]?.turns[0]?.id);
      assert.equal(hit?.field, 'answer');
      assert.ok((hit?.marks.length ?? 0) > 0, `"${query}" marks its match`);
    }
    assert.equal((await index.search('کلیدهای گمشده')).hits.length, 0, 'every word must be there');
  });

  it('finds questions and answers in English, case-insensitive, newest conversation first, with the turn', async () => {
    const { store, saved } = await storeWith([
      { title: 'proxy', updatedAt: 1_000, turns: [turn('first', 'a'), turn('Why does the PROXY fail?', 'Because of the CA.')] },
      { title: 'later', updatedAt: 3_000, turns: [turn('Proxy again', 'Set http.proxy.')] },
    ]);
    const index = new SearchIndex(store);
    const result = await index.search('proxy');
    assert.deepEqual(result.hits.map((hit) => [hit.title, hit.turnIndex, hit.field]), [['later', 0, 'question'], ['proxy', 1, 'question']]);
    assert.equal(result.hits[1]?.turnId, saved[0]?.turns[1]?.id);
    const answer = await index.search('the ca');
    assert.deepEqual(answer.hits.map((hit) => [hit.title, hit.field, hit.snippet]), [['proxy', 'answer', 'Because of the CA.']]);
  });

  it('follows the store: a saved answer is found, a deleted conversation is not', async () => {
    const { store, saved } = await storeWith([{ title: 'one', updatedAt: 1_000, turns: [turn('alpha', 'beta')] }]);
    const index = new SearchIndex(store);
    await index.warm();
    assert.equal((await index.search('gamma')).hits.length, 0);
    const open = await store.open(saved[0]?.id ?? '');
    assert.ok(open);
    open.turns.push(turn('gamma question', 'gamma answer'));
    open.updatedAt = Date.now();
    await store.save(open);
    assert.equal((await index.search('gamma')).hits.length, 1);
    await store.delete(open.id);
    assert.equal((await index.search('alpha')).hits.length, 0);
  });

  it('a newer search replaces an older one, which stops', async () => {
    const turns = Array.from({ length: 50 }, (_, k) => turn(`question ${k}`, 'text '.repeat(2_000)));
    const { store } = await storeWith([{ title: 'big', updatedAt: 1, turns }]);
    const index = new SearchIndex(store, { sliceMs: 0 });
    await index.warm();
    const older = index.search('text');
    const newer = index.search('question 49');
    await assert.rejects(older, /replaced/);
    assert.equal((await newer).hits.length, 1);
  });
});

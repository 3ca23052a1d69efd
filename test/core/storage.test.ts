// The conversation store against a real temporary folder: files checked field by field, a bad file set aside (never
// overwritten) while the rest of the history shows, caps in bytes, the one-time move from the memento, and an answer
// in progress that survives a crash as a cut-off answer.
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Conversation, ConversationStore, INDEX_KEY, type KeyValueStore, LEGACY_KEY, type SetAside } from '../../src/chat/conversationStore';
import { openFence, shortenText, STORAGE_LIMITS, type StorageLimits } from '../../src/chat/storage/caps';
import { FORMAT_VERSION } from '../../src/chat/storage/format';
import type { Turn } from '../../src/shared/messages';

class Memory implements KeyValueStore {
  readonly values = new Map<string, unknown>();
  get<T>(key: string): T | undefined {
    // A copy, as VS Code's memento hands out: the store must not rely on sharing objects with it.
    const value = this.values.get(key);
    return value === undefined ? undefined : (JSON.parse(JSON.stringify(value)) as T);
  }
  update(key: string, value: unknown): Promise<void> {
    if (value === undefined) this.values.delete(key);
    else this.values.set(key, JSON.parse(JSON.stringify(value)));
    return Promise.resolve();
  }
}

interface Harness {
  folder: string;
  memento: Memory;
  logs: string[];
  setAside: SetAside[];
  store(limits?: Partial<StorageLimits>, progressIntervalMs?: number): ConversationStore;
}

let scratch: string;

function harness(): Harness {
  const folder = join(mkdtempSync(join(scratch, 'history-')), 'conversations');
  const memento = new Memory();
  const logs: string[] = [];
  const setAside: SetAside[] = [];
  const log = { info: (m: string) => logs.push(`info ${m}`), warn: (m: string) => logs.push(`warn ${m}`), error: (m: string) => logs.push(`error ${m}`) };
  return {
    folder,
    memento,
    logs,
    setAside,
    store: (limits = {}, progressIntervalMs) =>
      new ConversationStore({
        memento,
        folder,
        log,
        onSetAside: (aside) => setAside.push(aside),
        limits: { ...STORAGE_LIMITS, ...limits },
        ...(progressIntervalMs === undefined ? {} : { progressIntervalMs }),
      }),
  };
}

function turn(question: string, answer: string, extra: Partial<Turn> = {}): Turn {
  return { id: globalThis.crypto.randomUUID(), question, answer, status: 'done', sources: [{ title: 'Guide', url: 'https://docs.example/guide' }], ...extra };
}

async function conversationWith(store: ConversationStore, title: string, turns: Turn[], updatedAt = Date.now()): Promise<Conversation> {
  await store.ready();
  const conversation = store.create();
  conversation.title = title;
  conversation.turns.push(...turns);
  conversation.updatedAt = updatedAt;
  await store.save(conversation);
  return conversation;
}

function validFile(id: string, turns: unknown[] = [turn('q', 'a')]): Record<string, unknown> {
  return { version: FORMAT_VERSION, conversation: { id, title: `title of ${id}`, createdAt: 1, updatedAt: 2, turns } };
}

function writeJson(folder: string, id: string, value: unknown): void {
  mkdirSync(folder, { recursive: true });
  writeFileSync(join(folder, `${id}.json`), typeof value === 'string' ? value : JSON.stringify(value));
}

const ID = (n: number): string => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;

before(() => {
  scratch = mkdtempSync(join(tmpdir(), 'tejarat-storage-'));
});
after(() => rmSync(scratch, { recursive: true, force: true }));

describe('conversation storage', () => {
  it('writes one file per conversation and an index, and a fresh store reads them back', async () => {
    const h = harness();
    const store = h.store();
    const first = await conversationWith(store, 'first', [turn('What is Tejarat?', 'A chat.')], 1000);
    const second = await conversationWith(store, 'second', [turn('سلام', 'درود بر شما')], 2000);
    assert.deepEqual(readdirSync(h.folder).sort(), [`${first.id}.json`, `${second.id}.json`].sort());
    const index = h.memento.get<{ entries: { id: string; bytes: number }[]; currentId: string }>(INDEX_KEY);
    assert.deepEqual(index?.entries.map((entry) => entry.id).sort(), [first.id, second.id].sort());
    assert.equal(index?.currentId, second.id);
    assert.equal(index?.entries.find((entry) => entry.id === first.id)?.bytes, statSync(join(h.folder, `${first.id}.json`)).size);

    const fresh = h.store();
    await fresh.ready();
    assert.deepEqual(fresh.list().map((entry) => entry.title), ['second', 'first']);
    assert.equal(fresh.current().id, second.id, 'the open conversation stays open');
    assert.deepEqual(fresh.current().turns, second.turns);
    assert.deepEqual((await fresh.read(first.id))?.turns, first.turns);
  });

  it('a turn keeps its other answers and which one is shown; a file written before versions reads as one answer', async () => {
    const h = harness();
    const store = h.store();
    const regenerated = turn('What is Tejarat?', 'The second answer.', {
      otherAnswers: [{ answer: 'The first answer.', status: 'done', sources: [{ title: 'Old guide' }], metadata: { model: 'm1' }, mode: 'fallback' }],
      answerIndex: 1,
    });
    const conversation = await conversationWith(store, 'versions', [regenerated]);
    const fresh = h.store();
    await fresh.ready();
    assert.deepEqual((await fresh.read(conversation.id))?.turns, [regenerated]);

    writeJson(h.folder, ID(5), validFile(ID(5), [{ id: 't', question: 'q', answer: 'a', status: 'done', sources: [] }]));
    const older = h.store();
    await older.ready();
    const read = await older.read(ID(5));
    assert.deepEqual(read?.turns, [{ id: 't', question: 'q', answer: 'a', status: 'done', sources: [] }]);
    assert.equal(h.setAside.length, 0);
  });

  it('saving rewrites only the conversation that changed, leaves no temporary file, and deleting removes its file', async () => {
    const h = harness();
    const store = h.store();
    const untouched = await conversationWith(store, 'untouched', [turn('q1', 'a1')]);
    const changed = await conversationWith(store, 'changed', [turn('q2', 'a2')]);
    const before = readFileSync(join(h.folder, `${untouched.id}.json`));
    const beforeTime = statSync(join(h.folder, `${untouched.id}.json`)).mtimeMs;
    changed.turns.push(turn('q3', 'a3'));
    await store.save(changed);
    assert.deepEqual(readFileSync(join(h.folder, `${untouched.id}.json`)), before);
    assert.equal(statSync(join(h.folder, `${untouched.id}.json`)).mtimeMs, beforeTime);
    assert.equal(JSON.parse(readFileSync(join(h.folder, `${changed.id}.json`), 'utf8')).conversation.turns.length, 2);
    assert.deepEqual(readdirSync(h.folder).filter((name) => name.includes('.tmp-')), []);
    await store.delete(untouched.id);
    assert.equal(existsSync(join(h.folder, `${untouched.id}.json`)), false);
    assert.deepEqual(store.list().map((entry) => entry.title), ['changed']);
  });

  describe('a file that cannot be read is set aside and the rest of the history shows', () => {
    const kinds: { name: string; content: (id: string) => unknown; label: RegExp }[] = [
      { name: 'not JSON', content: () => 'this is { not json', label: /\.corrupt-\d{8}T\d{6}Z\.json$/ },
      { name: 'a truncated file', content: (id) => JSON.stringify(validFile(id)).slice(0, 60), label: /\.corrupt-/ },
      { name: 'wrong types (a number for the title)', content: (id) => ({ ...validFile(id), conversation: { ...(validFile(id).conversation as object), title: 42 } }), label: /\.corrupt-/ },
      { name: 'a status it does not know', content: (id) => validFile(id, [{ ...turn('q', 'a'), status: 'exploded' }]), label: /\.corrupt-/ },
      { name: 'null turns', content: (id) => validFile(id, [null]), label: /\.corrupt-/ },
      { name: 'turns that are null as a whole', content: (id) => ({ version: FORMAT_VERSION, conversation: { ...(validFile(id).conversation as object), turns: null } }), label: /\.corrupt-/ },
      { name: 'a turn without sources', content: (id) => { const { sources: _dropped, ...rest } = turn('q', 'a'); return validFile(id, [rest]); }, label: /\.corrupt-/ },
      { name: 'a non-string answer', content: (id) => validFile(id, [{ ...turn('q', 'a'), answer: { text: 'a' } }]), label: /\.corrupt-/ },
      { name: 'a source link that is not http(s)', content: (id) => validFile(id, [{ ...turn('q', 'a'), sources: [{ url: 'javascript:alert(1)' }] }]), label: /\.corrupt-/ },
      { name: 'other answers that are not a list', content: (id) => validFile(id, [{ ...turn('q', 'a'), otherAnswers: { answer: 'b' }, answerIndex: 1 }]), label: /\.corrupt-/ },
      { name: 'another answer of unknown status', content: (id) => validFile(id, [{ ...turn('q', 'a'), otherAnswers: [{ answer: 'b', status: 'exploded', sources: [] }], answerIndex: 1 }]), label: /\.corrupt-/ },
      { name: 'another answer with a non-http source', content: (id) => validFile(id, [{ ...turn('q', 'a'), otherAnswers: [{ answer: 'b', status: 'done', sources: [{ url: 'file:///etc/passwd' }] }], answerIndex: 0 }]), label: /\.corrupt-/ },
      { name: 'an answer index past its answers', content: (id) => validFile(id, [{ ...turn('q', 'a'), otherAnswers: [{ answer: 'b', status: 'done', sources: [] }], answerIndex: 2 }]), label: /\.corrupt-/ },
      { name: 'an answer index without other answers', content: (id) => validFile(id, [{ ...turn('q', 'a'), answerIndex: 0 }]), label: /\.corrupt-/ },
      { name: 'an id other than its name', content: () => validFile(ID(999)), label: /\.corrupt-/ },
      { name: 'no version', content: (id) => ({ conversation: validFile(id).conversation }), label: /\.corrupt-/ },
      { name: 'a newer format version', content: (id) => ({ ...validFile(id), version: FORMAT_VERSION + 1, futureField: true }), label: new RegExp(`\\.v${FORMAT_VERSION + 1}\\.json$`) },
    ];

    for (const kind of kinds) {
      it(`${kind.name}: found at startup`, async () => {
        const h = harness();
        writeJson(h.folder, ID(1), validFile(ID(1)));
        writeJson(h.folder, ID(3), validFile(ID(3)));
        const bad = kind.content(ID(2));
        writeJson(h.folder, ID(2), bad);
        const original = readFileSync(join(h.folder, `${ID(2)}.json`));
        const store = h.store();
        await store.ready();
        assert.deepEqual(store.list().map((entry) => entry.id).sort(), [ID(1), ID(3)]);
        assert.equal(h.setAside.length, 1);
        const aside = h.setAside[0];
        assert.equal(aside?.id, ID(2));
        assert.match(aside?.path ?? '', kind.label);
        assert.equal(existsSync(join(h.folder, `${ID(2)}.json`)), false);
        assert.deepEqual(readFileSync(aside?.path ?? ''), original, 'kept byte for byte');
        assert.ok(h.logs.some((line) => line.startsWith('warn') && line.includes(aside?.path ?? '-')), 'named in the log');
        assert.equal(aside?.problem, kind.name.startsWith('a newer') ? 'newer' : 'corrupt');
      });
    }

    it('found when opened from the history: the list drops it and the open conversation stays', async () => {
      const h = harness();
      const store = h.store();
      const good = await conversationWith(store, 'good', [turn('q', 'a')]);
      const broken = await conversationWith(store, 'broken', [turn('q', 'a')]);
      await store.open(good.id);
      const fresh = h.store();
      await fresh.ready();
      writeJson(h.folder, broken.id, validFile(broken.id, [{ ...turn('q', 'a'), answer: 7 }]));
      assert.equal(await fresh.open(broken.id), undefined);
      assert.equal(fresh.current().id, good.id);
      assert.deepEqual(fresh.list().map((entry) => entry.id), [good.id]);
      assert.equal(h.setAside.length, 1);
      const third = h.store();
      await third.ready();
      assert.deepEqual(third.list().map((entry) => entry.id), [good.id], 'the index no longer names it');
    });

    it('never overwrites a file set aside earlier', async () => {
      const h = harness();
      const newer = { ...validFile(ID(5)), version: FORMAT_VERSION + 1 };
      writeJson(h.folder, ID(5), newer);
      writeFileSync(join(h.folder, `${ID(5)}.v${FORMAT_VERSION + 1}.json`), 'set aside before');
      const store = h.store();
      await store.ready();
      assert.equal(readFileSync(join(h.folder, `${ID(5)}.v${FORMAT_VERSION + 1}.json`), 'utf8'), 'set aside before');
      assert.equal(readFileSync(join(h.folder, `${ID(5)}.v${FORMAT_VERSION + 1}-2.json`), 'utf8'), JSON.stringify(newer));
      // A new conversation never takes the set-aside id's place: it gets its own.
      const fresh = await conversationWith(store, 'new', [turn('q', 'a')]);
      assert.notEqual(fresh.id, ID(5));
    });

    it('an unreadable index is rebuilt from the files', async () => {
      const h = harness();
      writeJson(h.folder, ID(1), validFile(ID(1)));
      await h.memento.update(INDEX_KEY, { version: 1, entries: [{ id: 5 }] });
      const store = h.store();
      await store.ready();
      assert.deepEqual(store.list().map((entry) => entry.id), [ID(1)]);
    });
  });

  describe('caps in bytes', () => {
    it('an answer over its cap is kept shortened and marked, with its open code fence closed, in whole characters', async () => {
      const h = harness();
      const limits = { answerBytes: 2_000 };
      const store = h.store(limits);
      const persian = 'این یک پاسخ فارسی است. ';
      const answer = `${persian.repeat(20)}\n\n\`\`\`ts\n${'const value = "مقدار";\n'.repeat(200)}\`\`\`\nafter the code`;
      const saved = await conversationWith(store, 'long', [turn('q', answer), turn('short', 'fits')]);
      assert.equal(saved.turns[0]?.answer, answer, 'the open window keeps the whole answer');
      const fresh = h.store(limits);
      await fresh.ready();
      const [long, short] = fresh.current().turns;
      assert.equal(long?.truncatedForStorage, true);
      assert.ok(Buffer.byteLength(long?.answer ?? '', 'utf8') <= limits.answerBytes);
      assert.ok(answer.startsWith((long?.answer ?? '').replace(/\n```$/, '')), 'a start of the answer');
      assert.ok(!(long?.answer ?? '').includes('\ufffd'), 'no broken character');
      assert.equal(openFence(long?.answer ?? ''), undefined, 'no code fence left open');
      assert.ok((long?.answer ?? '').endsWith('\n```'));
      assert.equal(short?.truncatedForStorage, undefined, 'a turn within the cap is not marked');
      assert.ok(h.logs.some((line) => line.includes('1 answers kept shortened')));
    });

    it('shortening closes a fence of tildes or of more backticks with the same marker, and leaves closed fences alone', () => {
      assert.equal(shortenText('~~~~py\nprint(1)\n'.repeat(50), 100).text.endsWith('\n~~~~'), true);
      const closed = `\`\`\`\ncode\n\`\`\`\n${'plain words '.repeat(100)}`;
      assert.equal(openFence(shortenText(closed, 200).text), undefined);
      assert.ok(!shortenText(closed, 200).text.endsWith('```'));
      assert.equal(openFence('````\n```\nstill code'), '````');
      assert.deepEqual(shortenText('short', 100), { text: 'short', shortened: false });
    });

    it('a conversation over its cap keeps its newest turns', async () => {
      const h = harness();
      const limits = { conversationBytes: 20_000 };
      const store = h.store(limits);
      const turns = Array.from({ length: 30 }, (_, index) => turn(`question ${index}`, 'x'.repeat(1_000)));
      const saved = await conversationWith(store, 'many', turns);
      assert.ok(statSync(join(h.folder, `${saved.id}.json`)).size <= limits.conversationBytes);
      const fresh = h.store(limits);
      await fresh.ready();
      const kept = fresh.current().turns;
      assert.ok(kept.length > 5 && kept.length < 30, `kept ${kept.length}`);
      assert.equal(kept.at(-1)?.question, 'question 29');
    });

    it('the total cap removes the oldest conversations, never the one just saved nor the open one', async () => {
      const h = harness();
      const limits = { totalBytes: 50_000, conversationBytes: 30_000 };
      const store = h.store(limits);
      const names: string[] = [];
      for (let index = 0; index < 6; index++) {
        await conversationWith(store, `c${index}`, [turn('q', 'y'.repeat(9_000))], 1_000 + index);
        names.push(`c${index}`);
      }
      const titles = store.list().map((entry) => entry.title);
      assert.deepEqual(titles, ['c5', 'c4', 'c3', 'c2', 'c1']);
      const big = await conversationWith(store, 'big', [turn('q', 'z'.repeat(25_000))], 2_000);
      assert.equal(store.list()[0]?.id, big.id, 'the newest stays even when large');
      assert.ok(store.list().reduce((sum, entry) => sum + entry.bytes, 0) <= limits.totalBytes);
      const onDisk = readdirSync(h.folder).filter((name) => name.endsWith('.json'));
      assert.equal(onDisk.length, store.list().length, 'removed from disk too');
    });

    it(`at most ${STORAGE_LIMITS.conversations} conversations`, async () => {
      const h = harness();
      const store = h.store({ conversations: 3 });
      for (let index = 0; index < 5; index++) await conversationWith(store, `c${index}`, [turn('q', 'a')], 1_000 + index);
      assert.deepEqual(store.list().map((entry) => entry.title), ['c4', 'c3', 'c2']);
    });
  });

  describe('the earlier memento history', () => {
    it('moves once to files, repairing what it safely can, and the open conversation stays open', async () => {
      const h = harness();
      const streaming = { id: 't-stream', question: 'long one', answer: 'partial text', status: 'streaming', sources: [] };
      await h.memento.update(LEGACY_KEY, {
        version: 1,
        currentId: ID(2),
        conversations: [
          { id: ID(1), title: 'old one', createdAt: 1, updatedAt: 10, turns: [{ id: 't1', question: 'no sources', answer: 'yes', status: 'done' }] },
          { id: ID(2), title: 'open one', createdAt: 2, updatedAt: 20, coreConversationId: 'core-2', turns: [{ id: 't2', question: 'bad answer', answer: { oops: 1 }, status: 'done', sources: [] }, streaming] },
          { id: ID(3), title: 'nothing usable', createdAt: 3, updatedAt: 30, turns: [null, 5] },
          null,
        ],
      });
      const store = h.store();
      await store.ready();
      assert.equal(h.memento.get(LEGACY_KEY), undefined, 'the old value is gone once moved');
      assert.deepEqual(store.list().map((entry) => entry.title), ['open one', 'old one']);
      assert.equal(store.current().id, ID(2));
      assert.equal(store.current().coreConversationId, 'core-2');
      const [bad, cut] = store.current().turns;
      assert.deepEqual({ answer: bad?.answer, status: bad?.status }, { answer: '', status: 'error' });
      assert.deepEqual({ answer: cut?.answer, status: cut?.status }, { answer: 'partial text', status: 'cut-off' });
      assert.deepEqual((await store.read(ID(1)))?.turns[0]?.sources, []);
      assert.ok(existsSync(join(h.folder, `${ID(1)}.json`)));

      // A second start finds files and an index, and migrates nothing again.
      await h.memento.update(LEGACY_KEY, { version: 1, conversations: [{ id: ID(9), title: 'late', createdAt: 1, updatedAt: 1, turns: [] }] });
      const again = h.store();
      await again.ready();
      assert.deepEqual(again.list().map((entry) => entry.title), ['open one', 'old one']);
    });

    it('an unknown earlier format is left as it is', async () => {
      const h = harness();
      await h.memento.update(LEGACY_KEY, { version: 7, stuff: [] });
      const store = h.store();
      await store.ready();
      assert.deepEqual(h.memento.get(LEGACY_KEY), { version: 7, stuff: [] });
      assert.equal(store.list().length, 0);
    });
  });

  it('an answer in progress is written every interval, and after a crash it comes back cut off', async () => {
    const h = harness();
    const store = h.store({}, 20);
    await store.ready();
    const conversation = store.create();
    conversation.title = 'streaming';
    const live = turn('tell me everything', '', { status: 'pending', sources: [] });
    conversation.turns.push(live);
    store.saveSoon(conversation);
    live.status = 'streaming';
    live.answer = 'the first part';
    for (let index = 0; index < 50; index++) store.saveSoon(conversation);
    const file = join(h.folder, `${conversation.id}.json`);
    const deadline = Date.now() + 5_000;
    while (!existsSync(file) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 10));
    // The store is abandoned here as a killed extension host would leave it.
    const after = h.store();
    await after.ready();
    const restored = after.current().turns[0];
    assert.equal(restored?.status, 'cut-off');
    assert.equal(restored?.answer, 'the first part');
  });

  it('50 conversations of 100 turns are saved and read back', async function () {
    this.timeout(120_000);
    const h = harness();
    const store = h.store();
    await store.ready();
    const answer = `Some **markdown** answer.\n\n\`\`\`ts\nconst x = 1;\n\`\`\`\n${'words and more words. '.repeat(40)}`;
    for (let c = 0; c < 50; c++) {
      const conversation = store.create();
      conversation.title = `conversation ${c}`;
      conversation.updatedAt = 1_000 + c;
      for (let t = 0; t < 100; t++) conversation.turns.push(turn(`question ${c}.${t}`, answer));
      await store.save(conversation);
    }
    const fresh = h.store();
    await fresh.ready();
    const list = fresh.list();
    assert.equal(list.length, 50);
    assert.equal(list[0]?.title, 'conversation 49');
    for (const entry of list) {
      const conversation = await fresh.read(entry.id);
      assert.equal(conversation?.turns.length, 100);
      assert.equal(conversation?.turns[99]?.question, `${entry.title.replace('conversation ', 'question ')}.99`);
    }
  });
});

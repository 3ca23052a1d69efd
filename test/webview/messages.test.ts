// What the panel does with what the host sends it: every field is checked, only what is bad is dropped, and one
// bad message never costs the valid messages around it. fast-check searches for messages that break it, first in
// Node against the checker, then in Chromium against the real bundle.
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { readHostMessage, type HostMessage, type SourceView, type Turn, type TurnStatus } from '../../src/shared/messages';
import { state, turn } from './fixtures';
import { useWebviewPage, type WebviewPage } from './harness';

const statuses: TurnStatus[] = ['pending', 'streaming', 'done', 'stopped', 'cut-off', 'error'];
const hostTypes: HostMessage['type'][] = [
  'state', 'turnStarted', 'answerStarted', 'append', 'sources', 'turnEnded', 'tokenStatus', 'setDraft', 'focusInput',
  'fonts',
];

const junk = fc.anything({ maxDepth: 3, maxKeys: 5, withNullPrototype: true, withSparseArray: true, withBoxedValues: true });

const sourceArb: fc.Arbitrary<SourceView> = fc.record({
  title: fc.string(), url: fc.constantFrom('https://docs.example.com/a', 'http://intranet.example/p?q=1#x'), snippet: fc.string(),
  score: fc.double({ noNaN: true, noDefaultInfinity: true }), page: fc.oneof(fc.nat(), fc.string()),
}, { requiredKeys: [] }).filter((source) => Object.keys(source).length > 0);

const turnArb = (status: fc.Arbitrary<TurnStatus>): fc.Arbitrary<Turn> => fc.record({
  id: fc.string(), question: fc.string(), answer: fc.string(), status, sources: fc.array(sourceArb, { maxLength: 3 }),
  metadata: fc.record({ model: fc.string(), tokens: fc.nat(), processingTimeMs: fc.nat(), cached: fc.boolean() }, { requiredKeys: [] }),
  mode: fc.constantFrom('stream' as const, 'fallback' as const),
  error: fc.record({ kind: fc.constantFrom('auth' as const, 'network' as const, 'server' as const), message: fc.string() }),
}, { requiredKeys: ['id', 'question', 'answer', 'status', 'sources'] });

/** Well-formed host messages, as the host sends them. */
const validMessage: fc.Arbitrary<HostMessage> = fc.oneof(
  fc.record({
    locale: fc.constantFrom('en' as const, 'fa' as const), hasToken: fc.boolean(),
    conversation: fc.record({ id: fc.string(), title: fc.string(), turns: fc.uniqueArray(turnArb(fc.constantFrom(...statuses)), { maxLength: 4, selector: (item) => item.id }) }),
  }).map((value): HostMessage => ({ type: 'state', state: value })),
  turnArb(fc.constantFrom(...statuses)).map((value): HostMessage => ({ type: 'turnStarted', turn: value })),
  fc.record({ turnId: fc.string(), mode: fc.constantFrom('stream' as const, 'fallback' as const) }).map((value): HostMessage => ({ type: 'answerStarted', ...value })),
  fc.record({ turnId: fc.string(), text: fc.string() }).map((value): HostMessage => ({ type: 'append', ...value })),
  fc.record({ turnId: fc.string(), sources: fc.array(sourceArb, { maxLength: 4 }) }).map((value): HostMessage => ({ type: 'sources', ...value })),
  fc.record({ turnId: fc.string(), status: fc.constantFrom(...statuses) }).map((value): HostMessage => ({ type: 'turnEnded', ...value })),
  fc.boolean().map((hasToken): HostMessage => ({ type: 'tokenStatus', hasToken })),
  fc.string().map((text): HostMessage => ({ type: 'setDraft', text })),
  fc.constant<HostMessage>({ type: 'focusInput' }),
  fc.record({ fontSize: fc.integer({ min: 6, max: 64 }), codeFontFamily: fc.constantFrom('', 'Fira Code', "'Cascadia Code', Consolas, 'Courier New', monospace") })
    .map((fonts): HostMessage => ({ type: 'fonts', fonts })),
);

/** A valid message with one field (at any depth) replaced by anything at all, or an unknown field added. */
const mutatedMessage: fc.Arbitrary<unknown> = fc.tuple(validMessage, fc.nat(), junk, fc.boolean()).map(([message, pick, value, add]) => {
  const copy = structuredClone(message) as unknown;
  const objects: Record<string, unknown>[] = [];
  const walk = (node: unknown) => {
    if (typeof node !== 'object' || node === null) return;
    objects.push(node as Record<string, unknown>);
    for (const child of Object.values(node)) walk(child);
  };
  walk(copy);
  const target = objects[pick % objects.length] as Record<string, unknown>;
  const keys = Object.keys(target);
  const key = add || keys.length === 0 ? `extra${pick}` : (keys[pick % keys.length] as string);
  target[key] = value;
  return copy;
});

/** What a checked message may contain: the declared fields, each of its type, nothing else. */
function assertWellFormed(message: unknown): void {
  const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);
  const only = (value: Record<string, unknown>, keys: string[]) => {
    for (const key of Object.keys(value)) assert.ok(keys.includes(key), `unexpected field ${key}`);
  };
  const str = (value: unknown) => assert.equal(typeof value, 'string');
  const num = (value: unknown) => assert.ok(typeof value === 'number' && Number.isFinite(value));
  const optional = (value: unknown, check: (value: unknown) => void) => {
    if (value !== undefined) check(value);
  };
  const metadata = (value: unknown) => {
    assert.ok(isObject(value));
    only(value, ['model', 'tokens', 'processingTimeMs', 'cached']);
    optional(value.model, str);
    optional(value.tokens, num);
    optional(value.processingTimeMs, num);
    optional(value.cached, (cached) => assert.equal(typeof cached, 'boolean'));
  };
  const error = (value: unknown) => {
    assert.ok(isObject(value));
    only(value, ['kind', 'message']);
    str(value.kind);
    str(value.message);
  };
  const mode = (value: unknown) => assert.ok(value === 'stream' || value === 'fallback');
  const status = (value: unknown) => assert.ok(statuses.includes(value as TurnStatus));
  const sources = (value: unknown) => {
    assert.ok(Array.isArray(value));
    for (const source of value) {
      assert.ok(isObject(source));
      only(source, ['title', 'url', 'snippet', 'score', 'page']);
      assert.ok(Object.keys(source).length > 0);
      optional(source.title, str);
      optional(source.url, (url) => assert.match(String(url), /^https?:\/\/[^/]/));
      optional(source.snippet, str);
      optional(source.score, num);
      optional(source.page, (page) => assert.ok(typeof page === 'string' || (typeof page === 'number' && Number.isFinite(page))));
    }
  };
  const turnView = (value: unknown) => {
    assert.ok(isObject(value));
    only(value, ['id', 'question', 'answer', 'status', 'sources', 'metadata', 'mode', 'error']);
    str(value.id);
    str(value.question);
    str(value.answer);
    status(value.status);
    sources(value.sources);
    optional(value.metadata, metadata);
    optional(value.mode, mode);
    optional(value.error, error);
  };
  assert.ok(isObject(message));
  switch (message.type) {
    case 'state': {
      only(message, ['type', 'state']);
      const value = message.state;
      assert.ok(isObject(value));
      only(value, ['locale', 'hasToken', 'conversation']);
      optional(value.locale, (locale) => assert.ok(locale === 'en' || locale === 'fa'));
      assert.equal(typeof value.hasToken, 'boolean');
      const conversation = value.conversation;
      assert.ok(isObject(conversation));
      only(conversation, ['id', 'title', 'turns']);
      str(conversation.id);
      str(conversation.title);
      assert.ok(Array.isArray(conversation.turns));
      conversation.turns.forEach(turnView);
      assert.equal(new Set(conversation.turns.map((item: { id: string }) => item.id)).size, conversation.turns.length, 'one turn per id');
      return;
    }
    case 'turnStarted':
      only(message, ['type', 'turn']);
      turnView(message.turn);
      return;
    case 'answerStarted':
      only(message, ['type', 'turnId', 'mode']);
      str(message.turnId);
      mode(message.mode);
      return;
    case 'append':
      only(message, ['type', 'turnId', 'text']);
      str(message.turnId);
      str(message.text);
      return;
    case 'sources':
      only(message, ['type', 'turnId', 'sources']);
      str(message.turnId);
      sources(message.sources);
      return;
    case 'turnEnded':
      only(message, ['type', 'turnId', 'status', 'metadata', 'mode', 'error']);
      str(message.turnId);
      status(message.status);
      optional(message.metadata, metadata);
      optional(message.mode, mode);
      optional(message.error, error);
      return;
    case 'tokenStatus':
      only(message, ['type', 'hasToken']);
      assert.equal(typeof message.hasToken, 'boolean');
      return;
    case 'setDraft':
      only(message, ['type', 'text']);
      str(message.text);
      return;
    case 'focusInput':
      only(message, ['type']);
      return;
    case 'fonts': {
      only(message, ['type', 'fonts']);
      const fonts = message.fonts;
      assert.ok(isObject(fonts));
      only(fonts, ['fontSize', 'codeFontFamily']);
      assert.ok(typeof fonts.fontSize === 'number' && fonts.fontSize >= 6 && fonts.fontSize <= 64);
      str(fonts.codeFontFamily);
      assert.doesNotMatch(String(fonts.codeFontFamily), /[;{}<>\\]/);
      return;
    }
    default:
      assert.fail(`unknown type ${String(message.type)}`);
  }
}

describe('host messages: the check', function () {
  it('passes every well-formed message through unchanged', function () {
    fc.assert(fc.property(validMessage, (message) => {
      assert.deepEqual(readHostMessage(message), structuredClone(message));
    }), { numRuns: 500 });
  });

  it('never throws, and what it lets through is well-formed to the last field, for anything at all', function () {
    fc.assert(fc.property(fc.oneof(junk, mutatedMessage, fc.record({ type: fc.constantFrom(...hostTypes) }, { requiredKeys: ['type'] })), (value) => {
      const message = readHostMessage(value);
      if (message !== undefined) {
        assertWellFormed(message);
        assert.deepEqual(readHostMessage(message), message, 'checking again changes nothing');
      }
    }), { numRuns: 3000 });
  });

  it('drops a bad turn of a state, not the state; drops a state without a conversation', function () {
    const good = turn('t1', 'q', { answer: 'a', status: 'done' });
    const received = readHostMessage({ type: 'state', state: { locale: 'fa', hasToken: true, conversation: { id: 'c', title: 'x', turns: [null, good, { question: 'no id' }, 7, { ...good, question: 'same id' }] } } });
    assert.deepEqual(received, { type: 'state', state: { locale: 'fa', hasToken: true, conversation: { id: 'c', title: 'x', turns: [good] } } });
    // A turn with an id is repaired rather than dropped: its text is kept, a stored turn of unknown status is over.
    const repaired = readHostMessage({ type: 'state', state: { conversation: { turns: [{ id: 't2', question: 5, answer: 'kept', status: 'lost', sources: [null, { url: 'javascript:x' }, { title: 'T', url: 'mailto:a@b.example' }] }] } } });
    assert.deepEqual(repaired, { type: 'state', state: { hasToken: true, conversation: { id: '', title: '', turns: [{ id: 't2', question: '', answer: 'kept', status: 'done', sources: [{ title: 'T' }] }] } } });
    for (const unusable of [{ type: 'state' }, { type: 'state', state: null }, { type: 'state', state: { conversation: null } }, { type: 'state', state: { conversation: { turns: {} } } }]) {
      assert.equal(readHostMessage(unusable), undefined, JSON.stringify(unusable));
    }
  });
});

/** A message the page builds itself: too big or too deep to send through the test driver. */
type Built = { build: 'huge'; type: string; size: number } | { build: 'deep'; depth: number };

/** Messages that are bad through and through: dropped whole, so they cannot change the answer being streamed. */
function badMessage(turnId: string): fc.Arbitrary<unknown> {
  const notString = junk.filter((value) => typeof value !== 'string');
  const notObject = junk.filter((value) => typeof value !== 'object' || value === null || Array.isArray(value));
  return fc.oneof(
    junk.filter((value) => typeof value !== 'object' || value === null || Array.isArray(value) || !(hostTypes as unknown[]).includes((value as { type?: unknown }).type)),
    fc.record({ type: fc.constant('append'), turnId: fc.constant(turnId), text: notString }),
    fc.record({ type: fc.constant('append'), turnId: notString, text: fc.string() }),
    fc.record({ type: fc.constant('append'), text: fc.string() }),
    fc.record({ type: fc.constant('turnEnded'), turnId: notString, status: fc.constant('done') }),
    fc.record({ type: fc.constant('sources'), turnId: fc.constant(turnId), sources: notObject.filter((value) => !Array.isArray(value)) }),
    fc.record({ type: fc.constant('turnStarted'), turn: fc.oneof(notObject, fc.record({ id: notString, question: fc.string() })) }),
    fc.record({ type: fc.constant('state'), state: fc.oneof(notObject, fc.record({ conversation: notObject })) }),
    fc.record({ type: fc.constant('state'), state: fc.record({ conversation: fc.record({ turns: notObject.filter((value) => !Array.isArray(value)) }) }) }),
    fc.record({ type: fc.constant('tokenStatus'), hasToken: junk.filter((value) => typeof value !== 'boolean') }),
    fc.record({ type: fc.constant('setDraft'), text: notString }),
    fc.record({ type: fc.constantFrom('unknown', 'toString', '__proto__', 'constructor'), turnId: fc.constant(turnId), text: fc.string() }),
    fc.constantFrom<Built>({ build: 'huge', type: 'append', size: 2_000_000 }, { build: 'huge', type: 'nonsense', size: 2_000_000 }, { build: 'deep', depth: 1000 }),
  );
}

/** Words markdown shows as written, so the answer's text is exactly what was appended. */
const word = fc.stringMatching(/^[a-zA-Z0-9\u0627-\u064a]{1,10}$/);

/** A valid append, sometimes with fields the panel does not know (it ignores them). */
function validAppend(turnId: string): fc.Arbitrary<{ valid: string; message: unknown }> {
  return fc.tuple(word, fc.option(fc.dictionary(fc.string().filter((key) => key !== 'type' && key !== 'turnId' && key !== 'text'), junk, { maxKeys: 3 }))).map(([text, extra]) => ({
    valid: `${text} `,
    message: { ...(extra ?? {}), type: 'append', turnId, text: `${text} ` },
  }));
}

describe('host messages in the panel (Chromium)', function () {
  let view: WebviewPage;
  const consoleErrors: string[] = [];
  useWebviewPage((opened) => {
    view = opened;
    consoleErrors.length = 0;
    view.page.on('console', (message) => {
      if (message.type() === 'error') consoleErrors.push(message.text());
    });
  });

  async function post(messages: unknown[]): Promise<void> {
    await view.page.evaluate((messages) => {
      const built = (value: unknown): unknown => {
        const spec = value as { build?: string; type?: string; size?: number; depth?: number };
        if (spec && spec.build === 'huge') return { type: spec.type, turnId: 'x', text: 'w'.repeat(spec.size ?? 0), bulk: 'ی'.repeat(spec.size ?? 0) };
        if (spec && spec.build === 'deep') {
          let node: unknown = { type: 'append', turnId: 'x', text: 1 };
          for (let level = 0; level < (spec.depth ?? 0); level += 1) node = { type: 'state', state: { conversation: node, turns: [node] } };
          return node;
        }
        return value;
      };
      // Every message in its own event, all in one frame: the panel applies them together.
      for (const message of messages) window.postMessage(built(message), '*');
    }, messages);
    await view.frames(2);
  }

  it('a state whose turns contain null shows its other turns, and the messages of the same frame still apply', async function () {
    await post([
      { type: 'state', state: { locale: 'en', hasToken: true, conversation: { id: 'c1', title: 'T', turns: [null, turn('t0', 'old question', { answer: 'Old answer.', status: 'done' }), { id: 7 }] } } },
      { type: 'turnStarted', turn: turn('t1', 'new question') },
      { type: 'append', turnId: 't1', text: 'Streamed ' },
      { type: 'append', turnId: 't1', text: 'answer.' },
      { type: 'turnEnded', turnId: 't1', status: 'done' },
    ]);
    assert.deepEqual(await view.page.$$eval('article[data-turn-id]', (nodes) => nodes.map((node) => node.getAttribute('data-turn-id'))), ['t0', 't1']);
    assert.equal((await view.page.locator('article[data-turn-id="t0"] .markdown').innerText()).trim(), 'Old answer.');
    assert.equal((await view.page.locator('article[data-turn-id="t1"] .markdown').innerText()).trim(), 'Streamed answer.');
    assert.deepEqual(consoleErrors, []);
  });

  it('never throws and never loses a valid append, whatever bad messages come between them (fast-check)', async function () {
    this.timeout(240_000);
    let run = 0;
    await fc.assert(fc.asyncProperty(
      fc.array(fc.oneof({ weight: 2, arbitrary: validAppend('live') }, { weight: 3, arbitrary: badMessage('live').map((message) => ({ valid: '', message })) }), { minLength: 1, maxLength: 25 }),
      async (items) => {
        run += 1;
        const turnId = 'live';
        await view.send(state([]), { type: 'turnStarted', turn: turn(turnId, `run ${run}`) });
        await post(items.map((item) => item.message));
        await view.send({ type: 'turnEnded', turnId, status: 'done' });
        const expected = items.map((item) => item.valid).join('').trim();
        const shown = await view.page.evaluate((turnId) => {
          const article = document.querySelector(`article[data-turn-id="${turnId}"]`);
          // An empty answer has no markdown at all.
          return article ? (article.querySelector('.markdown')?.textContent ?? '').trim() : undefined;
        }, turnId);
        assert.equal(shown, expected);
        assert.deepEqual(view.pageErrors, []);
        assert.deepEqual(consoleErrors, []);
      },
    ), { numRuns: 60 });
  });
});

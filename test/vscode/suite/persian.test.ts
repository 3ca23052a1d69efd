// The Persian panel against the local core's failures: what the panel shows for each is a Persian sentence, with the
// core's own words quoted as the core wrote them and no English sentence of ours. The runner starts these suites
// twice: in the English window, where the test API makes the panel and the error sentences speak Persian with the
// extension's own bundle (a running window keeps its display language), and in a window started in Persian
// (TEJARAT_SUITE_LOCALE=fa), where nothing is forced and VS Code's own vscode.l10n does the work.
import * as assert from 'node:assert/strict';
import { createServer } from 'node:net';
import * as vscode from 'vscode';
import type { CheckResult } from '../../../src/chat/checkConnection';
import type { Turn } from '../../../src/shared/messages';
import { englishRuns } from '../../l10n/english';
import { ask, setSetting, useCore } from './helpers';

/** The core's words as the panel quotes them in Persian: guillemets around an isolated run of text. */
const QUOTED = /«\u2068([^\u2069]*)\u2069»/g;

/** A loopback port that was free a moment ago and that nothing listens on now. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  assert.ok(address && typeof address === 'object');
  return address.port;
}

suite('Persian panel: errors in Persian', () => {
  const running = useCore();

  const window = process.env.TEJARAT_SUITE_LOCALE;

  suiteSetup(async () => {
    if (window === undefined) await running.api.forceDisplayLanguage('fa');
  });

  test('the window speaks the display language the runner started it with', () => {
    assert.equal(vscode.env.language.split('-')[0], window ?? 'en');
    const persian = vscode.l10n.t('The request was cancelled.') === 'درخواست لغو شد.';
    assert.equal(persian, window === 'fa', 'VS Code loads the Persian l10n bundle exactly when its display language is Persian');
  });
  suiteTeardown(async () => {
    await running.api.forceDisplayLanguage(undefined);
  });

  /** Asks in a new conversation with this scenario of the local core; the turn as the panel has it. */
  async function askWith(scenario: string | undefined, question = 'چرا پاسخ کامل نمی‌آید؟'): Promise<Turn> {
    await vscode.commands.executeCommand('tejarat.newConversation');
    running.api.setScenario(scenario);
    try {
      await ask(question);
    } finally {
      running.api.setScenario(undefined);
    }
    const state = await running.api.state();
    assert.equal(state.locale, 'fa', 'the panel is Persian');
    const turn = state.conversation.turns.at(-1);
    assert.ok(turn, 'the question is in the panel');
    return turn;
  }

  /** The sentence the panel shows is Persian; whatever is quoted is the core's, and `coreSays` is quoted verbatim. */
  function assertPersian(turn: Turn, coreSays?: string): string {
    const message = turn.error?.message ?? '';
    assert.notEqual(message, '', `the panel shows why the ${turn.status} answer failed`);
    const quoted = [...message.matchAll(QUOTED)].map((match) => match[1] ?? '');
    assert.deepEqual(englishRuns(message.replace(QUOTED, ' ')), [], `English outside the core's quoted words: ${message}`);
    assert.match(message, /\p{Script=Arabic}{3,}/u, message);
    if (coreSays !== undefined) assert.deepEqual(quoted, [coreSays], message);
    return message;
  }

  test('the example question goes out as Persian; an English one with a Persian word as English', async () => {
    await askWith(undefined, 'چطور SecretStorage را در GNOME Keyring تنظیم کنم؟');
    assert.equal((running.core.lastRequest?.body as { language?: string }).language, 'fa');
    await askWith(undefined, 'What does تجارت mean in the status bar?');
    assert.equal((running.core.lastRequest?.body as { language?: string }).language, 'en');
  });

  test('401: the rejected token in Persian', async () => {
    await running.api.setToken('not-the-right-token');
    try {
      const turn = await askWith(undefined);
      assert.equal(turn.status, 'error');
      assert.equal(turn.error?.kind, 'auth');
      assert.match(assertPersian(turn), /توکن/);
    } finally {
      await running.api.setToken(running.core.token ?? '');
    }
  });

  test('429 with Retry-After: busy, and for how long, in Persian', async () => {
    const turn = await askWith('status=429,retry-after=7');
    assert.equal(turn.error?.kind, 'rate-limited');
    assert.match(assertPersian(turn), /7 ثانیه/);
  });

  test('500 with an HTML page: the status in Persian, never the page', async () => {
    const turn = await askWith('status=500');
    assert.equal(turn.status, 'error');
    const message = assertPersian(turn);
    assert.match(message, /500/);
    assert.doesNotMatch(message, /<|encountered a problem/);
  });

  test('an error event after text: cut off, in Persian, the core\'s words quoted as written', async () => {
    const turn = await askWith('error-after=2');
    assert.equal(turn.status, 'cut-off');
    assert.notEqual(turn.answer, '', 'the partial answer stays');
    const message = assertPersian(turn, 'processing error');
    assert.ok(message.startsWith('پاسخ نیمه‌کاره ماند.'), message);
  });

  test('a 200 that is not an answer: the core\'s words in either script, quoted as written', async () => {
    const english = await askWith('non-answer=error');
    assert.equal(english.status, 'error');
    assertPersian(english, 'quota exceeded for this team');
    const persian = await askWith('non-answer=detail');
    assertPersian(persian, 'سرویس پاسخ‌گویی موقتاً در دسترس نیست؛ چند دقیقهٔ دیگر دوباره تلاش کنید.');
  });

  test('an empty answer and a sign-in page answering instead of the core, in Persian', async () => {
    assert.match(assertPersian(await askWith('empty-answer')), /خالی/);
    const signIn = assertPersian(await askWith('sign-in-page'));
    assert.match(signIn, /صفحه‌ی ورود/);
    assert.doesNotMatch(signIn, /<|Tejarat Secure Access/, 'never the page itself');
    // A gateway's 403 page in front of the core did not judge the token: no "set a new token".
    const gateway = await askWith('sign-in-page,status=403');
    assert.equal(gateway.error?.kind, 'network');
    assert.match(assertPersian(gateway), /صفحه‌ی ورود[^]*(403|۴۰۳)/);
  });

  test('a connection dropped after text: cut off, in Persian', async () => {
    const turn = await askWith('drop-after=2');
    assert.equal(turn.status, 'cut-off');
    assert.ok(assertPersian(turn).startsWith('پاسخ نیمه‌کاره ماند.'));
  });

  test('silence in the middle of the answer: the idle timeout in Persian', async () => {
    await setSetting('tejarat.timeouts.idle', 0.3);
    try {
      const turn = await askWith('stall-after=2');
      assert.equal(turn.status, 'cut-off');
      assert.equal(turn.error?.kind, 'timeout');
      assert.match(assertPersian(turn), /مهلت/);
    } finally {
      await setSetting('tejarat.timeouts.idle', undefined);
    }
  });

  test('Check Connection speaks the window\'s display language, down to the sentence of a failure', async () => {
    // Notifications follow VS Code's display language, not the test API's forced one: English lines in the English
    // window, Persian lines (no English sentence of ours) in the Persian one.
    const check = async (): Promise<string[]> => (await vscode.commands.executeCommand<CheckResult>('tejarat.checkConnection')).lines;
    const persianWindow = window === 'fa';
    const good = await check();
    await setSetting('tejarat.coreUrl', `http://127.0.0.1:${await closedPort()}`);
    let down: string[];
    try {
      down = await check();
    } finally {
      await setSetting('tejarat.coreUrl', running.core.url);
    }
    for (const line of [...good, ...down]) {
      if (persianWindow) {
        assert.deepEqual(englishRuns(line), [], line);
        assert.match(line, /\p{Script=Arabic}{3,}/u, line);
      } else {
        assert.doesNotMatch(line, /\p{Script=Arabic}/u, line);
      }
    }
    assert.match(down[0] ?? '', persianWindow ? /در دسترس نیست.*اتصال پذیرفته نشد/ : /not reachable.*refused/, down[0]);
  });

  test('a core that is not there: unreachable, in Persian', async () => {
    await setSetting('tejarat.coreUrl', `http://127.0.0.1:${await closedPort()}`);
    try {
      const turn = await askWith(undefined);
      assert.equal(turn.status, 'error');
      assert.equal(turn.error?.kind, 'network');
      assert.match(assertPersian(turn), /Core/);
    } finally {
      await setSetting('tejarat.coreUrl', running.core.url);
    }
  });
});

// Direction by the majority of words: the pure function in Node, and the computed style in Chromium.
import assert from 'node:assert/strict';
import fc from 'fast-check';
import type { Browser } from 'playwright-core';
import { blockDirection, countWords, type Direction, type DirectionCount } from '../../src/shared/direction';
import { state, turn } from './fixtures';
import { launchChromium, WebviewPage } from './harness';

describe('direction by majority of words', function () {
  it('a Persian sentence that starts with an English word is right to left', function () {
    assert.equal(blockDirection('React یک کتابخانه‌ی جاوااسکریپت برای ساخت رابط کاربری است.', 'ltr'), 'rtl');
  });

  it('an English sentence that quotes a Persian word is left to right', function () {
    assert.equal(blockDirection('The word «سلام» means hello in Persian.', 'rtl'), 'ltr');
  });

  it('inline code and addresses do not outvote the sentence around them, even a code span still streaming in', function () {
    assert.equal(blockDirection('برای نصب `npm install --save-dev typescript eslint prettier` را اجرا کنید.', 'ltr'), 'rtl');
    assert.equal(blockDirection('نشانی https://docs.example.com/tejarat/streaming/overview را ببینید', 'ltr'), 'rtl');
    assert.equal(blockDirection('تنظیم `tejarat.streamin', 'ltr'), 'rtl');
  });

  it('a Persian paragraph with long English terms stays right to left while it streams in', function () {
    // From the local core's corpus. Counted letter by letter, characters 65 to 99 of it were left to right.
    const paragraph = 'در لینوکس، SecretStorage به کی‌رینگ سیستم (keyring، مثلاً GNOME Keyring یا KWallet) نیاز دارد. اگر ذخیرهٔ توکن شکست خورد، یک کی‌رینگ نصب کنید.';
    const flipped = [];
    for (let length = 1; length <= paragraph.length; length++) {
      if (blockDirection(paragraph.slice(0, length), 'ltr') !== 'rtl') flipped.push(length);
    }
    assert.deepEqual(flipped, []);
  });

  it('breaks a tie by the first word and keeps the fallback without letters', function () {
    assert.equal(blockDirection('ab جد', 'rtl'), 'ltr');
    assert.equal(blockDirection('جد ab', 'ltr'), 'rtl');
    assert.equal(blockDirection('123 — 456 !', 'rtl'), 'rtl');
    assert.equal(blockDirection('', 'ltr'), 'ltr');
  });

  it('counts Persian digits as neutral, a word with a zero-width non-joiner once, and Hebrew as right to left', function () {
    assert.deepEqual(countWords('۱۲۳ abc'), { rtl: 0, ltr: 1, first: 'ltr' });
    assert.deepEqual(countWords('می‌شود و کی‌رینگ'), { rtl: 3, ltr: 0, first: 'rtl' });
    assert.equal(blockDirection('שלום world עולם', 'ltr'), 'rtl');
  });
});

/** One code point at a time, as the definition reads: slow, plainly right, kept as the reference. */
function countWordsReference(text: string): DirectionCount {
  const count: DirectionCount = { rtl: 0, ltr: 0 };
  const plain = text.replace(/(`+)[^`]*?\1|`+[^`]*$/g, ' ').replace(/\b(?:https?|mailto):[^\s)>\]]+|\b[\w.+-]+@[\w-]+(?:\.[\w-]+)+/g, ' ');
  // In a word, a letter, a combining mark or a zero-width (non-)joiner goes on with it; anything else ends it.
  let inWord = false;
  for (const character of plain) {
    if (/\p{L}/u.test(character)) {
      if (!inWord) {
        const direction: Direction = /[\p{Script=Arabic}\p{Script=Hebrew}\p{Script=Syriac}\p{Script=Thaana}\p{Script=Nko}]/u.test(character) ? 'rtl' : 'ltr';
        count[direction] += 1;
        count.first ??= direction;
      }
      inWord = true;
    } else if (!/[\p{M}\u200C\u200D]/u.test(character)) {
      inWord = false;
    }
  }
  return count;
}

describe('countWords', function () {
  it('counts exactly what a count one code point at a time gives, for any text', function () {
    const pieces = ['a', 'Z', ' ', 'ی', 'ک', 'א', 'ܐ', 'ހ', 'ߊ', '۱', '1', '`', '``', 'https://x.io/ی', 'a@b.co', '𝐀', '𞸀', '😀',
      '\uD800', '\uDC00', '\u200C', '\u200D', '\u064B', '\u0301', '.', '\n', 'é', 'ß', 'ж'];
    fc.assert(fc.property(fc.oneof(fc.array(fc.constantFrom(...pieces), { maxLength: 60 }).map((parts) => parts.join('')),
      fc.string({ unit: 'binary', maxLength: 60 })), (text) => {
      assert.deepEqual(countWords(text), countWordsReference(text));
    }), { numRuns: 3000 });
  });
});

describe('direction in the panel (Chromium)', function () {
  let browser: Browser;
  let view: WebviewPage;

  before(async function () {
    browser = await launchChromium();
    view = await WebviewPage.open(browser, { locale: 'en' });
  });
  after(async function () {
    await view?.close();
    await browser?.close();
  });

  it('lays out each block by its own majority; code is always left to right and isolated', async function () {
    const answer = [
      'React یک کتابخانه‌ی جاوااسکریپت برای ساخت رابط کاربری است و در این پروژه استفاده می‌شود.',
      'English paragraph with one word فارسی inside.',
      '- مورد اول با `code`\n- مورد دوم',
      '```js\n// توضیح فارسی در کد\nconst x = 1;\n```',
      '> نقل‌قول فارسی با React',
      '| ستون | مقدار |\n|---|---|\n| React | کتابخانه |',
    ].join('\n\n');
    await view.send(state([]), { type: 'turnStarted', turn: turn('t1', 'React در این پروژه چیست؟') }, { type: 'append', turnId: 't1', text: answer },
      { type: 'turnEnded', turnId: 't1', status: 'done' });
    const directions = await view.page.evaluate(() => {
      // Finished blocks sit in groups (div.md-group), so blocks are found by order, not as direct children.
      const style = (selector: string, index = 0) => {
        const element = document.querySelectorAll(selector)[index];
        if (!element) throw new Error(`missing ${selector}`);
        const computed = getComputedStyle(element);
        return `${computed.direction}/${computed.unicodeBidi}`;
      };
      return {
        persian: style('.markdown p', 0),
        english: style('.markdown p', 1),
        list: style('.markdown ul'),
        code: style('.markdown .code-block pre'),
        inlineCode: style('.markdown ul code'),
        quote: style('.markdown blockquote'),
        table: style('.markdown table'),
        question: style('.question-text'),
      };
    });
    assert.equal(directions.persian.split('/')[0], 'rtl');
    assert.equal(directions.english.split('/')[0], 'ltr');
    assert.equal(directions.list.split('/')[0], 'rtl');
    assert.equal(directions.code, 'ltr/isolate');
    assert.equal(directions.inlineCode, 'ltr/isolate');
    assert.equal(directions.quote.split('/')[0], 'rtl');
    assert.equal(directions.table.split('/')[0], 'rtl');
    assert.equal(directions.question.split('/')[0], 'rtl');
    // Right to left is also where the text sits: the Persian paragraph's first word (React) is at its right end.
    const geometry = await view.page.evaluate(() => {
      const paragraph = document.querySelector('.markdown p') as HTMLElement;
      const range = document.createRange();
      const text = paragraph.firstChild as Text;
      range.setStart(text, 0);
      range.setEnd(text, 5);
      const word = range.getBoundingClientRect();
      const box = paragraph.getBoundingClientRect();
      return { wordRight: word.right, boxRight: box.right, wordLeft: word.left, boxLeft: box.left };
    });
    assert.ok(geometry.boxRight - geometry.wordRight < 4, `"React" at the right edge: ${JSON.stringify(geometry)}`);
  });

  it('uses Vazirmatn for Persian text and VS Code\'s font for Latin text', async function () {
    await view.page.evaluate(() => document.fonts.ready);
    const fonts = await view.page.evaluate(async () => {
      await document.fonts.load('16px Vazirmatn', 'سلام');
      return {
        loaded: [...document.fonts].filter((face) => face.family.includes('Vazirmatn')).map((face) => face.status),
        family: getComputedStyle(document.querySelector('.markdown p') as Element).fontFamily,
      };
    });
    assert.ok(fonts.loaded.includes('loaded'), `Vazirmatn loaded: ${fonts.loaded.join()}`);
    assert.match(fonts.family, /^"?Vazirmatn"?, system-ui/);
    assert.ok(view.requests.some((url) => url.endsWith('/dist/fonts/Vazirmatn-Variable.woff2')));
  });

  it('loads the Persian font while the panel is idle, before any Persian text needs it', async function () {
    // A fresh English panel with no answer: nothing on it is Persian, so only the idle warm-up can load the font.
    const fresh = await WebviewPage.open(browser, { locale: 'en' });
    try {
      await fresh.send(state([]));
      await fresh.page.waitForFunction(
        () => [...document.fonts].some((face) => face.family.includes('Vazirmatn') && face.status === 'loaded'),
        undefined, { timeout: 10_000 });
      assert.equal(await fresh.page.evaluate(() => /[\u0600-\u06ff]/.test(document.body.innerText)), false);
    } finally {
      await fresh.close();
    }
  });
});

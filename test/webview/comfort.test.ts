// Reading comfort in real Chromium: the fonts from the settings reach the text and the code, the keyboard moves
// between answers (announcing their position) without taking the composer's keys, and "Open as Markdown" asks the
// host for the answer's tab.
import assert from 'node:assert/strict';
import { longConversation, state, turn } from './fixtures';
import { useWebviewPage, type WebviewPage } from './harness';

describe('reading comfort (Chromium)', function () {
  let view: WebviewPage;
  useWebviewPage(async (opened) => {
    view = opened;
  });

  const done = (id: string, answer: string) => turn(id, `question ${id}`, { answer, status: 'done' });
  const focusedTurn = () => view.page.evaluate(() => document.activeElement?.closest('article')?.getAttribute('data-turn-id') ?? null);

  it('applies the font size and the code font from the host, and again when they change', async function () {
    await view.send(state([done('t1', 'Some text with `inline` code.\n\n```ts\nconst a = 1;\n```')]));
    const sizes = () => view.page.evaluate(() => ({
      text: getComputedStyle(document.querySelector('.answer .markdown p') as Element).fontSize,
      code: getComputedStyle(document.querySelector('.code-block pre') ?? document.querySelector('pre') as Element).fontSize,
      codeFamily: getComputedStyle(document.querySelector('pre') as Element).fontFamily,
    }));
    const before = await sizes();
    await view.send({ type: 'fonts', fonts: { fontSize: 21, codeFontFamily: "'Courier New', monospace" } });
    const after = await sizes();
    assert.notEqual(before.text, '21px');
    assert.equal(after.text, '21px');
    assert.equal(after.code, '21px');
    assert.match(after.codeFamily, /Courier New/);
    await view.send({ type: 'fonts', fonts: { fontSize: 15, codeFontFamily: '' } });
    const again = await sizes();
    assert.equal(again.text, '15px');
    assert.doesNotMatch(again.codeFamily, /Courier New/);
    // A family that tries to close the declaration is dropped, and a size out of bounds is held to them.
    await view.send({ type: 'fonts', fonts: { fontSize: 500, codeFontFamily: 'x; color: red' } });
    const bounded = await sizes();
    assert.equal(bounded.text, '64px');
    assert.doesNotMatch(bounded.codeFamily, /color|x;/);
  });

  it('moves between answers with ↑/↓ on an answer and Alt+↑/Alt+↓ inside a turn, announcing the position', async function () {
    await view.send(state([done('t1', 'First answer.'), done('t2', 'Second answer.'), done('t3', 'Third answer.')]));
    // Each answer is a labelled group a screen reader can land on; focused, its label says where it is.
    assert.equal(await view.page.getByRole('group', { name: 'Answer', exact: true }).count(), 3);
    await view.page.locator('article[data-turn-id="t3"] .answer').focus();
    assert.equal(await focusedTurn(), 't3');
    assert.equal(await view.page.locator('article[data-turn-id="t3"] .answer').getAttribute('aria-label'), 'Answer 3 of 3');
    await view.page.keyboard.press('ArrowUp');
    assert.equal(await focusedTurn(), 't2');
    assert.equal(await view.page.locator('article[data-turn-id="t2"] .answer').getAttribute('aria-label'), 'Answer 2 of 3');
    await view.page.keyboard.press('ArrowUp');
    await view.page.keyboard.press('ArrowUp');
    assert.equal(await focusedTurn(), 't1', 'stays on the first answer');
    await view.page.keyboard.press('ArrowDown');
    assert.equal(await focusedTurn(), 't2');
    // From a button of the turn, Alt+arrows move; plain arrows are the button's own.
    await view.page.locator('article[data-turn-id="t2"] .action-button').first().focus();
    await view.page.keyboard.press('ArrowDown');
    assert.equal(await view.page.evaluate(() => document.activeElement?.classList.contains('action-button')), true);
    await view.page.keyboard.press('Alt+ArrowDown');
    assert.equal(await focusedTurn(), 't3');
    assert.equal(await view.page.evaluate(() => document.activeElement?.classList.contains('answer')), true);
  });

  it('leaves the composer its own keys', async function () {
    await view.send(state([done('t1', 'First answer.'), done('t2', 'Second answer.')]));
    const input = view.page.locator('.composer-input');
    await input.fill('line one\nline two');
    await input.focus();
    await view.page.keyboard.press('Alt+ArrowUp');
    await view.page.keyboard.press('ArrowUp');
    assert.ok(await input.evaluate((element) => element === document.activeElement));
    assert.equal(await input.inputValue(), 'line one\nline two');
  });

  it('moves to an answer of a long conversation that is not built yet, and focuses it once built', async function () {
    const turns = longConversation(60);
    await view.send(state(turns));
    const last = turns.at(-1)?.id ?? '';
    await view.page.locator(`article[data-turn-id="${last}"] .answer`).focus();
    const expected = turns[turns.length - 31]?.id ?? '';
    // Far enough up that the answer is an empty slot when the move starts.
    assert.equal(await view.page.locator(`[data-slot="${expected}"].turn-placeholder`).count(), 1);
    for (let step = 0; step < 30; step += 1) await view.page.keyboard.press('ArrowUp');
    await view.page.waitForFunction((id) => document.activeElement?.closest('article')?.getAttribute('data-turn-id') === id, expected);
    assert.equal(await view.page.evaluate(() => document.activeElement?.getAttribute('aria-label')), 'Answer 30 of 60');
  });

  it('posts openAnswer for the answer\'s "Open as Markdown" button, in English and Persian', async function () {
    await view.send(state([done('t1', 'An answer.')]));
    await view.page.getByRole('button', { name: 'Open as Markdown' }).click();
    assert.deepEqual(await view.postedOfType('openAnswer'), [{ type: 'openAnswer', turnId: 't1' }]);
    await view.send(state([done('t2', 'یک پاسخ.')], 'fa'));
    await view.page.getByRole('button', { name: 'باز کردن به صورت مارک‌داون' }).click();
    assert.deepEqual(await view.postedOfType('openAnswer'), [{ type: 'openAnswer', turnId: 't1' }, { type: 'openAnswer', turnId: 't2' }]);
    await view.page.locator('article[data-turn-id="t2"] .answer').focus();
    assert.equal(await view.page.locator('article[data-turn-id="t2"] .answer').getAttribute('aria-label'), 'پاسخ ۱ از ۱');
  });
});

// Editing an earlier question in real Chromium: the question becomes a field (Enter or Send resends, Esc cancels),
// replacing later turns needs a confirmation in the panel, and the replaced turns can be brought back with Undo;
// in English and Persian.
import assert from 'node:assert/strict';
import type { ChatState, HostMessage, Locale, Turn } from '../../src/shared/messages';
import { state, turn } from './fixtures';
import { useWebviewPage, type WebviewPage } from './harness';

function withUndo(turns: Turn[], turnId: string, replaced: number, locale: Locale = 'en'): HostMessage {
  const value: ChatState = { locale, hasToken: true, conversation: { id: 'c1', title: 'Test', turns }, undo: { turnId, replaced } };
  return { type: 'state', state: value };
}

describe('edit and resend (Chromium)', function () {
  let view: WebviewPage;
  useWebviewPage(async (opened) => {
    view = opened;
  });

  const three: [Turn, ...Turn[]] = [
    turn('t1', 'first question', { answer: 'first answer', status: 'done' }),
    turn('t2', 'second question', { answer: 'second answer', status: 'done' }),
    turn('t3', 'third question', { answer: 'third answer', status: 'done' }),
  ];
  const article = (id: string) => view.page.locator(`article[data-turn-id="${id}"]`);
  const editField = () => view.page.locator('.question-edit-input');

  it('edits the last question in place: Enter resends at once (nothing later to replace), Shift+Enter adds a line', async function () {
    await view.send(state(three));
    await article('t3').getByRole('button', { name: 'Edit question' }).click();
    assert.equal(await editField().inputValue(), 'third question');
    await view.page.waitForFunction(() => document.activeElement?.className === 'question-edit-input');
    await editField().fill('third');
    await view.page.keyboard.press('Shift+Enter');
    await view.page.keyboard.type('question, edited');
    await view.page.keyboard.press('Enter');
    assert.deepEqual(await view.postedOfType('editQuestion'), [{ type: 'editQuestion', turnId: 't3', text: 'third\nquestion, edited' }]);
    assert.equal(await view.page.locator('.edit-confirm').count(), 0, 'no confirmation without later turns');
    assert.equal(await editField().count(), 0, 'the field closes');
  });

  it('Esc cancels the edit: the question is unchanged, nothing is sent, and no running answer is stopped', async function () {
    await view.send(state(three), { type: 'turnStarted', turn: turn('t4', 'running') });
    await article('t1').getByRole('button', { name: 'Edit question' }).click();
    await editField().fill('something else');
    await view.page.keyboard.press('Escape');
    assert.equal(await editField().count(), 0);
    assert.equal(await article('t1').locator('.question-text').innerText(), 'first question');
    assert.deepEqual(await view.postedOfType('editQuestion'), []);
    assert.deepEqual(await view.postedOfType('stop'), [], 'Esc in the field belongs to the field');
    assert.equal(await article('t4').getByRole('button', { name: 'Edit question' }).count(), 0, 'a question being answered is not editable');
  });

  it('asks before replacing later turns; Cancel keeps them, Replace and send sends the edit', async function () {
    await view.send(state(three));
    await article('t1').getByRole('button', { name: 'Edit question' }).click();
    await editField().fill('first question, better');
    await view.page.getByRole('button', { name: 'Send', exact: true }).first().click();
    const confirm = view.page.locator('.edit-confirm');
    assert.equal(await confirm.locator('.edit-confirm-text').innerText(),
      'Sending replaces this answer and the questions and answers after it (2). Replace them?');
    assert.deepEqual(await view.postedOfType('editQuestion'), [], 'nothing is sent before the answer');
    await confirm.getByRole('button', { name: 'Cancel' }).click();
    assert.equal(await view.page.locator('article').count(), 3);
    assert.deepEqual(await view.postedOfType('editQuestion'), []);

    await article('t2').getByRole('button', { name: 'Edit question' }).click();
    await editField().fill('second question, better');
    await view.page.keyboard.press('Enter');
    assert.match(await confirm.innerText(), /\(1\)/);
    // The choice takes focus (after the frame that shows it), so Enter answers it.
    await view.page.waitForFunction(() => document.activeElement?.textContent === 'Replace and send');
    await view.page.keyboard.press('Enter');
    assert.deepEqual(await view.postedOfType('editQuestion'), [{ type: 'editQuestion', turnId: 't2', text: 'second question, better' }]);
  });

  it('offers Undo after an edit; Undo posts undoEdit once and the restored state shows the old turns', async function () {
    // What the host sends after the edit of t2: t1 stays, the edited question is a new turn, two turns replaced.
    const edited = [three[0], turn('t5', 'second question, better', { answer: 'better answer', status: 'done' })];
    await view.send(withUndo(edited, 't2', 2));
    const banner = view.page.locator('.undo-banner');
    assert.equal(await banner.locator('span:not(.codicon)').first().innerText(), 'Question edited. Turns replaced: 2.');
    await banner.getByRole('button', { name: 'Undo' }).click();
    assert.deepEqual(await view.postedOfType('undoEdit'), [{ type: 'undoEdit' }]);
    assert.equal(await banner.count(), 0, 'offered once');
    await view.send(state(three));
    assert.deepEqual(await view.page.locator('.question-text').allTextContents(), ['first question', 'second question', 'third question']);
  });

  it('a new question from the input withdraws the Undo offer', async function () {
    await view.send(withUndo([turn('t5', 'edited', { answer: 'a', status: 'done' })], 't1', 1));
    assert.equal(await view.page.locator('.undo-banner').count(), 1);
    await view.page.locator('.composer-input').fill('next');
    await view.page.keyboard.press('Enter');
    assert.equal(await view.page.locator('.undo-banner').count(), 0);
  });

  it('in Persian: the buttons, the confirmation and Undo, right to left', async function () {
    await view.send(state(three.map((item, index) => ({ ...item, question: ['پرسش نخست', 'پرسش دوم', 'پرسش سوم'][index] ?? '' })), 'fa'));
    await article('t1').getByRole('button', { name: 'ویرایش پرسش' }).click();
    assert.equal(await editField().getAttribute('dir'), 'rtl');
    await editField().fill('پرسش نخست، بهتر');
    await view.page.getByRole('button', { name: 'فرستادن', exact: true }).click();
    assert.equal(await view.page.locator('.edit-confirm-text').innerText(),
      'با فرستادن، این پاسخ و پرسش‌ها و پاسخ‌های پس از آن (۲) جایگزین می‌شوند. جایگزین شوند؟');
    await view.page.getByRole('button', { name: 'جایگزینی و فرستادن' }).click();
    assert.deepEqual(await view.postedOfType('editQuestion'), [{ type: 'editQuestion', turnId: 't1', text: 'پرسش نخست، بهتر' }]);
    await view.send(withUndo([turn('t5', 'پرسش نخست، بهتر', { answer: 'پاسخ', status: 'done' })], 't1', 3, 'fa'));
    assert.equal(await view.page.locator('.undo-banner span:not(.codicon)').first().innerText(), 'پرسش ویرایش شد. نوبت‌های جایگزین‌شده: ۳.');
    assert.equal(await view.page.locator('.undo-banner').getByRole('button', { name: 'بازگردانی' }).count(), 1);
  });

  it('Regenerate posts regenerate; a turn with two answers shows "2 / 2", switches, and Copy and Insert use the shown one', async function () {
    await view.send(state([turn('t1', 'question', { answer: 'Only answer.', status: 'done' })]));
    assert.equal(await article('t1').locator('.version-switch').count(), 0, 'one answer: no switch');
    await article('t1').getByRole('button', { name: 'Regenerate' }).click();
    assert.deepEqual(await view.postedOfType('regenerate'), [{ type: 'regenerate', turnId: 't1' }]);

    // The host restarts the turn in place with the old answer kept as the first version.
    const old = { answer: 'Only answer.', status: 'done' as const, sources: [] };
    await view.send({ type: 'turnStarted', turn: turn('t1', 'question', { otherAnswers: [old], answerIndex: 1 }) },
      { type: 'append', turnId: 't1', text: 'New answer.' });
    assert.equal(await article('t1').locator('.version-switch').count(), 0, 'no switching while the answer is written');
    await view.send({ type: 'turnEnded', turnId: 't1', status: 'done' });
    const number = article('t1').locator('.version-number');
    assert.equal(await number.innerText(), '2 / 2');
    assert.equal(await article('t1').getByRole('button', { name: 'Next answer' }).isDisabled(), true);
    await article('t1').getByRole('button', { name: 'Copy' }).click();
    assert.deepEqual(await view.postedOfType('copy'), [{ type: 'copy', text: 'New answer.' }]);

    await article('t1').getByRole('button', { name: 'Previous answer' }).click();
    assert.deepEqual(await view.postedOfType('selectVersion'), [{ type: 'selectVersion', turnId: 't1', index: 0 }]);
    // The host answers with the turn showing its first answer.
    await view.send(state([turn('t1', 'question', { ...old, otherAnswers: [{ answer: 'New answer.', status: 'done', sources: [] }], answerIndex: 0 })]));
    assert.equal(await number.innerText(), '1 / 2');
    assert.equal(await article('t1').locator('.markdown').innerText(), 'Only answer.');
    await article('t1').getByRole('button', { name: 'Insert at cursor' }).click();
    assert.deepEqual(await view.postedOfType('insert'), [{ type: 'insert', text: 'Only answer.', target: 'cursor' }]);
  });

  it('in Persian: Regenerate and the switch speak Persian, with Persian digits', async function () {
    await view.send(state([turn('t1', 'پرسش', {
      answer: 'پاسخ دوم', status: 'done', otherAnswers: [{ answer: 'پاسخ نخست', status: 'done', sources: [] }], answerIndex: 1,
    })], 'fa'));
    assert.equal(await article('t1').locator('.version-number').innerText(), '۲ / ۲');
    assert.equal(await article('t1').getByRole('button', { name: 'پاسخ دوباره' }).count(), 1);
    await article('t1').getByRole('button', { name: 'پاسخ پیشین' }).click();
    assert.deepEqual(await view.postedOfType('selectVersion'), [{ type: 'selectVersion', turnId: 't1', index: 0 }]);
  });
});

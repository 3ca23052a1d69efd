// Answer versions (Regenerate) and the messages of editing a question: the host acts only on well-formed ones, the panel reads the Undo offer
// field by field.
import assert from 'node:assert/strict';
import { allAnswers, isWebviewMessage, readHostMessage, readTurn, type Turn, withAnswer } from '../../src/shared/messages';

describe('edit and resend messages', () => {
  it('the host accepts an edit only with a turn id and a question that is not blank', () => {
    assert.equal(isWebviewMessage({ type: 'editQuestion', turnId: 't', text: 'better question' }), true);
    assert.equal(isWebviewMessage({ type: 'editQuestion', turnId: 't', text: ' \n ' }), false);
    assert.equal(isWebviewMessage({ type: 'editQuestion', text: 'no turn' }), false);
    assert.equal(isWebviewMessage({ type: 'editQuestion', turnId: 't', text: 5 }), false);
    assert.equal(isWebviewMessage({ type: 'undoEdit' }), true);
  });

  it('the panel keeps a well-formed Undo offer from the state and drops a bad one', () => {
    const conversation = { id: 'c', title: '', turns: [] };
    const read = (undo: unknown) => {
      const message = readHostMessage({ type: 'state', state: { locale: 'en', hasToken: true, conversation, undo } });
      assert.equal(message?.type, 'state');
      return message.type === 'state' ? message.state.undo : undefined;
    };
    assert.deepEqual(read({ turnId: 't', replaced: 2, extra: 1 }), { turnId: 't', replaced: 2 });
    assert.equal(read(undefined), undefined);
    assert.equal(read({ turnId: 't', replaced: 0 }), undefined);
    assert.equal(read({ turnId: 't', replaced: 1.5 }), undefined);
    assert.equal(read({ replaced: 1 }), undefined);
    assert.equal(read('yes'), undefined);
  });
});

describe('answer versions', () => {
  const second: Turn = {
    id: 't', question: 'q', answer: 'second', status: 'done', sources: [], mode: 'stream',
    otherAnswers: [{ answer: 'first', status: 'error', sources: [{ title: 'S' }], error: { kind: 'server', message: 'failed' } }],
    answerIndex: 1,
  };

  it('switching shows the chosen answer with its own fields and keeps every answer in order', () => {
    const first = withAnswer(second, 0);
    assert.deepEqual(first, {
      id: 't', question: 'q', answer: 'first', status: 'error', sources: [{ title: 'S' }], error: { kind: 'server', message: 'failed' },
      otherAnswers: [{ answer: 'second', status: 'done', sources: [], mode: 'stream' }], answerIndex: 0,
    });
    assert.deepEqual(allAnswers(first).map((version) => version.answer), ['first', 'second']);
    assert.deepEqual(withAnswer(first, 1), second);
    assert.equal(withAnswer(second, 2), second, 'no such answer');
  });

  it('the panel reads versions field by field: a running one reads as stopped, a bad index as the last place', () => {
    const read = readTurn({ ...second, otherAnswers: [{ answer: 'x', status: 'streaming', sources: 'no' }, 'junk'], answerIndex: 7 }, 'done');
    assert.deepEqual(read?.otherAnswers, [{ answer: 'x', status: 'stopped', sources: [] }]);
    assert.equal(read?.answerIndex, 1);
    assert.equal(readTurn({ ...second, otherAnswers: [] }, 'done')?.otherAnswers, undefined);
  });

  it('the host accepts regenerate and selectVersion only well-formed', () => {
    assert.equal(isWebviewMessage({ type: 'regenerate', turnId: 't' }), true);
    assert.equal(isWebviewMessage({ type: 'regenerate' }), false);
    assert.equal(isWebviewMessage({ type: 'selectVersion', turnId: 't', index: 1 }), true);
    assert.equal(isWebviewMessage({ type: 'selectVersion', turnId: 't', index: -1 }), false);
    assert.equal(isWebviewMessage({ type: 'selectVersion', turnId: 't', index: 0.5 }), false);
  });
});

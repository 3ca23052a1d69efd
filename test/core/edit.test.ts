// The messages of editing a question: the host acts only on well-formed ones, the panel reads the Undo offer
// field by field.
import assert from 'node:assert/strict';
import { isWebviewMessage, readHostMessage } from '../../src/shared/messages';

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

// The panel's frame loop in Node: messages that arrive in one frame are applied one by one, so a message that
// fails while it is applied (a bug, since bad data is dropped on arrival) costs only itself, never its neighbours.
import assert from 'node:assert/strict';
import { IncrementalMarkdown } from '../../webview/markdown/incremental';
import { ChatStore } from '../../webview/store';
import { state, turn } from './fixtures';

describe('the frame loop', function () {
  it('applies every other message of a frame when one of them throws', function () {
    const frames: (() => void)[] = [];
    const store = new ChatStore({ post: () => undefined, getState: () => ({}), setState: () => undefined }, 'en', (callback) => frames.push(callback));
    const append = IncrementalMarkdown.prototype.append;
    const errors: unknown[] = [];
    const consoleError = console.error;
    IncrementalMarkdown.prototype.append = function (text: string) {
      if (text === 'boom') throw new Error('a bug');
      append.call(this, text);
    };
    console.error = (...args: unknown[]) => errors.push(args);
    try {
      for (const message of [
        state([turn('t0', 'old', { answer: 'Old.', status: 'done' })]),
        { type: 'turnStarted', turn: turn('t1', 'new') },
        { type: 'append', turnId: 't1', text: 'one ' },
        { type: 'append', turnId: 't1', text: 'boom' },
        { type: 'append', turnId: 't1', text: 'two' },
        { type: 'turnEnded', turnId: 't1', status: 'done' },
      ]) store.receive(message);
      assert.equal(frames.length, 1, 'one frame for all of them');
      frames[0]?.();
    } finally {
      IncrementalMarkdown.prototype.append = append;
      console.error = consoleError;
    }
    const turns = store.model.turns;
    assert.deepEqual(turns.map((item) => [item.id, item.answer, item.status]), [['t0', 'Old.', 'done'], ['t1', 'one two', 'done']]);
    assert.equal(errors.length, 1, 'the failure is logged once');
  });
});

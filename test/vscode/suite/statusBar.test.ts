// The status bar item in a window where the extension activated after startup: shown when there is history, else
// only once the chat is used (a question, a connection check, the core's settings), not for the token read at startup.
import * as assert from 'node:assert/strict';
import { StatusBar } from '../../../src/statusBar';

suite('Status bar visibility', () => {
  test('hidden without history until the chat is used; shown at once with history', () => {
    const quiet = new StatusBar(false);
    const used = new StatusBar(true);
    try {
      assert.equal(quiet.isVisible, false);
      quiet.update({ hasToken: true });
      assert.equal(quiet.isVisible, false, 'the token read at startup is not use of the chat');
      quiet.update({ busy: true });
      assert.equal(quiet.isVisible, true);
      assert.equal(quiet.kind, 'streaming');
      assert.equal(used.isVisible, true);
    } finally {
      quiet.dispose();
      used.dispose();
    }
  });
});

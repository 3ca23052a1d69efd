// The per-request time limits as one unit, on a fake clock: which limit applies in which phase, what moves a
// deadline and what does not. No real time passes.
import assert from 'node:assert/strict';
import { PhaseTimer, type PhaseLimits, type Scheduler } from '../../src/core/phase-timer';
import type { TimeoutPhase } from '../../src/core/types';

class FakeClock implements Scheduler {
  time = 0;
  #next = 1;
  readonly #timers = new Map<number, { at: number; callback: () => void }>();
  now(): number {
    return this.time;
  }
  setTimeout(callback: () => void, ms: number): unknown {
    const id = this.#next++;
    this.#timers.set(id, { at: this.time + ms, callback });
    return id;
  }
  clearTimeout(handle: unknown): void {
    this.#timers.delete(handle as number);
  }
  /** Moves time forward, firing due timers in order. */
  advance(ms: number): void {
    const end = this.time + ms;
    for (;;) {
      const due = [...this.#timers.entries()].filter(([, timer]) => timer.at <= end).sort((a, b) => a[1].at - b[1].at)[0];
      if (!due) break;
      this.#timers.delete(due[0]);
      this.time = due[1].at;
      due[1].callback();
    }
    this.time = end;
  }
  get pending(): number {
    return this.#timers.size;
  }
}

const limits: PhaseLimits = { connectMs: 10_000, answerMs: 180_000, idleMs: 60_000 };

function setUp(observable = true, custom: PhaseLimits = limits) {
  const clock = new FakeClock();
  const fired: TimeoutPhase[] = [];
  const timer = new PhaseTimer(custom, (phase) => fired.push(phase), observable, clock);
  return { clock, fired, timer };
}

describe('phase timer', function () {
  it('cuts a connection that is not open within the connect limit', function () {
    const { clock, fired, timer } = setUp();
    timer.start();
    clock.advance(9_999);
    assert.deepEqual(fired, []);
    clock.advance(1);
    assert.deepEqual(fired, ['connect']);
    assert.equal(timer.expired, 'connect');
    assert.equal(timer.connectMs, undefined);
  });

  it('lets a JSON core take 90 s for its headers and body once the question is sent, and cuts at the answer limit', function () {
    const { clock, fired, timer } = setUp();
    timer.start();
    clock.advance(40);
    timer.sent();
    assert.equal(timer.connectMs, 40);
    clock.advance(90_000);
    timer.headers();
    clock.advance(89_000);
    assert.deepEqual(fired, [], 'headers and body within 180 s of sending');
    clock.advance(999);
    assert.deepEqual(fired, []);
    clock.advance(1);
    assert.deepEqual(fired, ['answer']);
    assert.equal(clock.time, 40 + 180_000);
  });

  it('keeps the answer deadline fixed while only heartbeats come before the first event', function () {
    const { clock, fired, timer } = setUp();
    timer.start();
    timer.sent();
    timer.headers();
    for (let beat = 0; beat < 17; beat++) {
      clock.advance(10_000);
      timer.activity();
    }
    assert.deepEqual(fired, []);
    clock.advance(10_000);
    assert.deepEqual(fired, ['answer']);
  });

  it('measures silence between events from the first event on; any bytes count as life', function () {
    const { clock, fired, timer } = setUp();
    timer.start();
    timer.sent();
    clock.advance(170_000);
    timer.event();
    clock.advance(59_000);
    timer.activity(); // a heartbeat
    clock.advance(59_000);
    timer.event();
    clock.advance(59_999);
    assert.deepEqual(fired, []);
    clock.advance(1);
    assert.deepEqual(fired, ['idle']);
  });

  it('does not count the caller\u2019s time with the events: paused, nothing fires; resumed, idle starts over', function () {
    const { clock, fired, timer } = setUp();
    timer.start();
    timer.sent();
    timer.event();
    timer.pause();
    assert.equal(clock.pending, 0);
    clock.advance(600_000);
    timer.resume();
    clock.advance(59_999);
    assert.deepEqual(fired, []);
    clock.advance(1);
    assert.deepEqual(fired, ['idle']);
  });

  it('keeps the answer deadline where it was across a pause before the first event', function () {
    const { clock, fired, timer } = setUp();
    timer.start();
    timer.sent();
    clock.advance(100_000);
    timer.pause();
    clock.advance(50_000);
    timer.resume();
    clock.advance(29_999);
    assert.deepEqual(fired, []);
    clock.advance(1);
    assert.deepEqual(fired, ['answer']);
  });

  it('never lets the connect limit cut a slow answer where sending cannot be observed: the answer limit counts from the start', function () {
    const { clock, fired, timer } = setUp(false);
    timer.start();
    clock.advance(30_000);
    assert.deepEqual(fired, [], 'the 10 s connect limit does not apply');
    timer.headers();
    assert.equal(timer.connectMs, undefined);
    clock.advance(149_999);
    assert.deepEqual(fired, []);
    clock.advance(1);
    assert.deepEqual(fired, ['answer']);
  });

  it('still reports the connect time when sending is seen on a transport not yet known to show it', function () {
    const { clock, timer } = setUp(false);
    timer.start();
    clock.advance(12);
    timer.sent();
    assert.equal(timer.connectMs, 12);
    assert.equal(timer.phase, 'answer');
  });

  it('turns a limit off with 0, and fires nothing after stop', function () {
    const { clock, fired, timer } = setUp(true, { connectMs: 0, answerMs: 0, idleMs: 0 });
    timer.start();
    clock.advance(1e9);
    timer.sent();
    timer.event();
    clock.advance(1e9);
    assert.deepEqual(fired, []);
    const second = setUp();
    second.timer.start();
    second.timer.sent();
    second.timer.stop();
    second.clock.advance(1e9);
    assert.deepEqual(second.fired, []);
    assert.equal(second.clock.pending, 0);
  });
});

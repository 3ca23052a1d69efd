// The time limits of one HTTP exchange, by phase, as real cores answer:
//   connect  from starting the request until its headers are on the wire (TCP, TLS, a proxy tunnel);
//   answer   from then until the first SSE event (stream) or the end of the body (normal request) — the core may
//            send its headers at any moment inside it, and heartbeats before the first event do not extend it;
//   idle     between events once the answer streams; any bytes (a heartbeat comment too) count as life.
// While the caller holds the events it was given (a slow consumer is not a slow core) the timer is paused: the
// answer deadline stays where it was, the idle limit starts over on resume.
// Time comes from an injected clock and scheduler, so the unit is tested without waiting.
import type { TimeoutPhase } from './types.js';

export interface Scheduler {
  now(): number;
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export const realScheduler: Scheduler = {
  now: () => performance.now(),
  setTimeout: (callback, ms) => setTimeout(callback, ms),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

export interface PhaseLimits {
  /** 0 turns a limit off. */
  connectMs: number;
  answerMs: number;
  idleMs: number;
}

export type Phase = 'not-started' | TimeoutPhase | 'done';

export class PhaseTimer {
  #phase: Phase = 'not-started';
  #handle: unknown;
  #paused = false;
  #startedAt = 0;
  #sentAt: number | undefined;
  #answerDeadline = Number.POSITIVE_INFINITY;
  #lastLife = 0;
  #expired: TimeoutPhase | undefined;

  /**
   * @param connectObservable whether this transport reports the end of connecting (`sent()`). When it does not,
   *   the connect limit never cuts: until `sent()` or `headers()`, the answer limit applies, counted from the
   *   start, so a slow answer is never mistaken for a slow connection.
   */
  constructor(
    private readonly limits: PhaseLimits,
    private readonly onTimeout: (phase: TimeoutPhase) => void,
    private readonly connectObservable: boolean,
    private readonly scheduler: Scheduler = realScheduler,
  ) {}

  get phase(): Phase {
    return this.#phase;
  }

  /** The phase whose limit ran out, if one did. */
  get expired(): TimeoutPhase | undefined {
    return this.#expired;
  }

  /** Milliseconds from the start to the request being sent, when that was observed. */
  get connectMs(): number | undefined {
    return this.#sentAt === undefined ? undefined : this.#sentAt - this.#startedAt;
  }

  /** The limit of a phase, for the sentence that reports it. */
  limitOf(phase: TimeoutPhase): number {
    return phase === 'connect' ? this.limits.connectMs : phase === 'answer' ? this.limits.answerMs : this.limits.idleMs;
  }

  /** The request starts: connecting. */
  start(): void {
    this.#startedAt = this.scheduler.now();
    this.#phase = 'connect';
    this.#schedule();
  }

  /** The request's headers went out: connecting is over, the answer limit runs from here. */
  sent(): void {
    if (this.#phase !== 'connect') return;
    this.#sentAt = this.scheduler.now();
    this.#enterAnswer(this.#sentAt);
  }

  /** The response's headers arrived. Ends connecting if the transport never said it had sent. */
  headers(): void {
    if (this.#phase === 'connect') this.#enterAnswer(this.#startedAt);
  }

  /** An SSE event arrived: from now on silence is measured between events. */
  event(): void {
    if (this.#phase === 'done' || this.#phase === 'not-started') return;
    this.#phase = 'idle';
    this.#lastLife = this.scheduler.now();
    this.#schedule();
  }

  /** Bytes arrived that are no event (a heartbeat comment, part of an event): life, which counts only once idle. */
  activity(): void {
    if (this.#phase !== 'idle') return;
    this.#lastLife = this.scheduler.now();
    this.#schedule();
  }

  /** The caller holds the events it was given: that time is not the core's. */
  pause(): void {
    this.#paused = true;
    this.#clear();
  }

  /** The caller wants more: the answer deadline stays where it was, the idle limit starts over. */
  resume(): void {
    if (!this.#paused) return;
    this.#paused = false;
    this.#lastLife = this.scheduler.now();
    this.#schedule();
  }

  stop(): void {
    this.#phase = 'done';
    this.#clear();
  }

  #enterAnswer(from: number): void {
    this.#phase = 'answer';
    this.#answerDeadline = this.limits.answerMs > 0 ? from + this.limits.answerMs : Number.POSITIVE_INFINITY;
    this.#schedule();
  }

  /** Arms the one timer for whatever limit applies now. */
  #schedule(): void {
    this.#clear();
    if (this.#paused) return;
    let phase: TimeoutPhase;
    let due: number;
    switch (this.#phase) {
      case 'connect':
        if (this.connectObservable) [phase, due] = ['connect', this.limits.connectMs > 0 ? this.#startedAt + this.limits.connectMs : Number.POSITIVE_INFINITY];
        else [phase, due] = ['answer', this.limits.answerMs > 0 ? this.#startedAt + this.limits.answerMs : Number.POSITIVE_INFINITY];
        break;
      case 'answer':
        [phase, due] = ['answer', this.#answerDeadline];
        break;
      case 'idle':
        [phase, due] = ['idle', this.limits.idleMs > 0 ? this.#lastLife + this.limits.idleMs : Number.POSITIVE_INFINITY];
        break;
      default:
        return;
    }
    if (due === Number.POSITIVE_INFINITY) return;
    this.#handle = this.scheduler.setTimeout(
      () => {
        this.#handle = undefined;
        this.#expired = phase;
        this.#phase = 'done';
        this.onTimeout(phase);
      },
      Math.max(0, due - this.scheduler.now()),
    );
  }

  #clear(): void {
    if (this.#handle !== undefined) this.scheduler.clearTimeout(this.#handle);
    this.#handle = undefined;
  }
}

// The `x-tejarat-scenario` request header, parsed into a typed object. The header is a comma-separated list of
// `name` or `name=value`; unknown names and values that do not parse are ignored, so a typo degrades to a normal
// answer instead of a confusing server error. The README lists what each scenario does.

export const SCENARIO_HEADER = 'x-tejarat-scenario';
/** Groups requests for `fail-first` and `ids` resume: the same key is "the same client retrying". */
export const SCENARIO_KEY_HEADER = 'x-tejarat-scenario-key';

export type LineEnding = '\n' | '\r\n' | '\r';

/** The JSON a gateway or the core answers with a 200 and no answer: the key that carries its words. */
export type NonAnswerKind = 'error' | 'detail' | 'message' | 'errors';
const NON_ANSWER_KINDS: readonly NonAnswerKind[] = ['error', 'detail', 'message', 'errors'];

export interface Scenario {
  dropAfter?: number;
  errorAfter?: number;
  stallAfter?: number;
  malformedAfter?: number;
  /** `heartbeats=MS`: only `: ping` comments, never an event. */
  heartbeatsOnlyMs?: number;
  /** `heartbeat=MS`: a normal answer with `: ping` comments in between. */
  heartbeatMs?: number;
  slowHeadersMs?: number;
  /** `retrieval=MS`: retrieval time before the stream's headers (and before generation on the normal endpoint). */
  retrievalMs?: number;
  /** `token-rate=N`: generation speed in tokens per second, with the latency model's jitter. */
  tokenRate?: number;
  /** `latency=off`: no latency model for this request. */
  latencyOff: boolean;
  /** `answer-after=MS`: status and headers after MS, replacing retrieval (and generation, on the normal endpoint). */
  answerAfterMs?: number;
  /** `trickle=MS`: one write every MS ms, alternately a `: ping` comment and a chunk. */
  trickleMs?: number;
  nonAnswer?: NonAnswerKind;
  emptyAnswer: boolean;
  signInPage: boolean;
  buffered: boolean;
  status?: number;
  retryAfter?: string;
  failFirst?: number;
  paceMs?: number;
  chunkChars?: number;
  answer?: string;
  lineEnding: LineEnding;
  oversizedEvent: boolean;
  oversizedAnswer: boolean;
  ids: boolean;
  jsonOnStream: boolean;
  wrongContentType: boolean;
  altShape: boolean;
  hostileSources: boolean;
  /** `sources-first`: the `sources` event right after `start`, before any text (some cores retrieve, then write). */
  sourcesFirst: boolean;
  /** `sources-without-url`: sources with no address (an internal document), only title, snippet, score, page. */
  sourcesWithoutUrl: boolean;
  eventField: boolean;
  unknownEvents: boolean;
  bom: boolean;
  comments: boolean;
  multilineData: boolean;
  splitWrites: boolean;
}

const LINE_ENDINGS: Record<string, LineEnding> = { lf: '\n', crlf: '\r\n', cr: '\r' };

const FLAGS = {
  'oversized-event': 'oversizedEvent',
  'oversized-answer': 'oversizedAnswer',
  ids: 'ids',
  'json-on-stream': 'jsonOnStream',
  'wrong-content-type': 'wrongContentType',
  'alt-shape': 'altShape',
  'hostile-sources': 'hostileSources',
  'sources-first': 'sourcesFirst',
  'sources-without-url': 'sourcesWithoutUrl',
  'event-field': 'eventField',
  'unknown-events': 'unknownEvents',
  bom: 'bom',
  comments: 'comments',
  'multiline-data': 'multilineData',
  'split-writes': 'splitWrites',
  'empty-answer': 'emptyAnswer',
  'sign-in-page': 'signInPage',
  buffered: 'buffered',
} as const satisfies Record<string, keyof Scenario>;

const COUNTS = {
  'drop-after': 'dropAfter',
  'error-after': 'errorAfter',
  'stall-after': 'stallAfter',
  'malformed-after': 'malformedAfter',
  heartbeats: 'heartbeatsOnlyMs',
  heartbeat: 'heartbeatMs',
  'slow-headers': 'slowHeadersMs',
  'fail-first': 'failFirst',
  pace: 'paceMs',
  'chunk-chars': 'chunkChars',
  retrieval: 'retrievalMs',
  'answer-after': 'answerAfterMs',
  trickle: 'trickleMs',
} as const satisfies Record<string, keyof Scenario>;

function isFlag(name: string): name is keyof typeof FLAGS {
  return Object.hasOwn(FLAGS, name);
}

function isCount(name: string): name is keyof typeof COUNTS {
  return Object.hasOwn(COUNTS, name);
}

function parseCount(value: string | undefined): number | undefined {
  return value !== undefined && /^\d{1,9}$/.test(value) ? Number(value) : undefined;
}

export function parseScenario(header: string | undefined): Scenario {
  const scenario: Scenario = {
    lineEnding: '\n',
    oversizedEvent: false,
    oversizedAnswer: false,
    ids: false,
    jsonOnStream: false,
    wrongContentType: false,
    altShape: false,
    hostileSources: false,
    sourcesFirst: false,
    sourcesWithoutUrl: false,
    eventField: false,
    unknownEvents: false,
    bom: false,
    comments: false,
    multilineData: false,
    splitWrites: false,
    latencyOff: false,
    emptyAnswer: false,
    signInPage: false,
    buffered: false,
  };
  for (const item of (header ?? '').split(',')) {
    const separator = item.indexOf('=');
    const name = (separator === -1 ? item : item.slice(0, separator)).trim().toLowerCase();
    const rawValue = separator === -1 ? undefined : item.slice(separator + 1);
    const value = rawValue?.trim();
    if (isFlag(name)) {
      scenario[FLAGS[name]] = true;
    } else if (isCount(name)) {
      const count = parseCount(value);
      if (count !== undefined) scenario[COUNTS[name]] = name === 'chunk-chars' ? Math.max(1, count) : count;
    } else if (name === 'status') {
      const status = parseCount(value);
      if (status !== undefined && status >= 400 && status <= 599) scenario.status = status;
    } else if (name === 'token-rate') {
      const rate = parseCount(value);
      if (rate !== undefined && rate > 0) scenario.tokenRate = rate;
    } else if (name === 'latency' && value?.toLowerCase() === 'off') {
      scenario.latencyOff = true;
    } else if (name === 'non-answer') {
      const kind = (value ?? 'error').toLowerCase();
      const known = NON_ANSWER_KINDS.find((candidate) => candidate === kind);
      if (known) scenario.nonAnswer = known;
    } else if (name === 'retry-after' && value) {
      scenario.retryAfter = value;
    } else if (name === 'line-ending' && value && Object.hasOwn(LINE_ENDINGS, value.toLowerCase())) {
      scenario.lineEnding = LINE_ENDINGS[value.toLowerCase()] ?? '\n';
    } else if (name === 'answer' && rawValue !== undefined) {
      try {
        scenario.answer = decodeURIComponent(rawValue);
      } catch {
        // Not valid percent-encoding: ignored like any other unparsable value.
      }
    }
  }
  return scenario;
}

// How long a real core takes: retrieval before anything is sent, then generation at a token rate with jitter.
// A streaming core sends its headers once retrieval is done and then one token per chunk; a JSON endpoint sends
// its headers only when the whole answer is generated. Every delay of the server (scenario delays included) is
// multiplied by the time scale, so tests can run the same shapes in milliseconds.
import type { Scenario } from './scenarios';

export interface LatencyModel {
  /** Time to retrieve and prepare before the first token, in ms (jittered like the tokens). */
  retrievalMs: number;
  /** Generation speed. */
  tokensPerSecond: number;
  /** 0–1: each delay is multiplied by a random factor in [1 − jitter, 1 + jitter]. */
  jitter: number;
}

/** What `npm run core` uses unless told otherwise: typical of a RAG service in front of a hosted model. */
export const REALISTIC_LATENCY: LatencyModel = { retrievalMs: 1200, tokensPerSecond: 40, jitter: 0.5 };

/** Grapheme clusters per token: about what a BPE tokenizer gives for English prose. */
export const TOKEN_GRAPHEMES = 4;

const words = new Intl.Segmenter(undefined, { granularity: 'word' });
const graphemes = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

/**
 * Splits text into token-like pieces: whitespace joins the token after it (like " the"), a word longer than
 * TOKEN_GRAPHEMES grapheme clusters is cut into pieces of that size, punctuation stands alone. Pieces end on
 * grapheme boundaries, so no character or letter+mark is ever cut. Joined, they are the text.
 */
export function splitIntoTokens(text: string): string[] {
  const tokens: string[] = [];
  let pendingSpace = '';
  for (const { segment, isWordLike } of words.segment(text)) {
    if (/^\s+$/u.test(segment)) {
      pendingSpace += segment;
      continue;
    }
    if (!isWordLike) {
      tokens.push(pendingSpace + segment);
      pendingSpace = '';
      continue;
    }
    let piece = pendingSpace;
    let count = 0;
    pendingSpace = '';
    for (const { segment: cluster } of graphemes.segment(segment)) {
      if (count === TOKEN_GRAPHEMES) {
        tokens.push(piece);
        piece = '';
        count = 0;
      }
      piece += cluster;
      count += 1;
    }
    tokens.push(piece);
  }
  if (pendingSpace !== '') {
    if (tokens.length > 0) tokens[tokens.length - 1] += pendingSpace;
    else tokens.push(pendingSpace);
  }
  return tokens;
}

/** Longer texts are the filler of the oversized scenarios, which test size, not time: they take no time. */
const TIMED_TEXT_LIMIT = 64 * 1024;

function countTokens(text: string): number {
  return text.length >= TIMED_TEXT_LIMIT ? 0 : splitIntoTokens(text).length;
}

export interface TimingOptions {
  /** The server's model; undefined: none. */
  model: LatencyModel | undefined;
  /** The server's pace between chunks when no token rate applies (unscaled). */
  paceMs: number;
  timeScale: number;
  random?: () => number;
}

/** The delays of one request, with its scenario applied and the time scale folded in. */
export interface RequestTiming {
  /** Tokens per second in effect; undefined: chunks are paced by `pace` instead. */
  readonly tokensPerSecond: number | undefined;
  /** Scales a delay the scenario names in ms. */
  scale(ms: number): number;
  /** Wait before a stream's status and headers: `answer-after`, else retrieval. */
  streamHeadersMs(): number;
  /** Wait before the normal answer's status and headers: `answer-after`, else retrieval plus generating `text`. */
  wholeAnswerMs(text: string): number;
  /** Wait before the chunk with this index: its tokens at the token rate, else the pace (none before the first). */
  chunkDelayMs(chunk: string, index: number): number;
}

export function requestTiming(scenario: Scenario, options: TimingOptions): RequestTiming {
  const model = scenario.latencyOff ? undefined : options.model;
  const timeScale = Math.max(0, options.timeScale);
  const random = options.random ?? Math.random;
  const jitter = Math.min(1, Math.max(0, model?.jitter ?? 0));
  const rate = scenario.tokenRate ?? model?.tokensPerSecond;
  const tokensPerSecond = rate !== undefined && rate > 0 ? rate : undefined;
  const scale = (ms: number): number => ms * timeScale;
  const jittered = (ms: number): number => ms * (1 + jitter * (2 * random() - 1));

  const retrievalMs = (): number => {
    if (scenario.retrievalMs !== undefined) return scale(scenario.retrievalMs);
    return model ? scale(jittered(model.retrievalMs)) : 0;
  };
  const chunkDelayMs = (chunk: string, index: number): number => {
    if (scenario.paceMs !== undefined) return index === 0 ? 0 : scale(scenario.paceMs);
    if (tokensPerSecond !== undefined) return scale(jittered((countTokens(chunk) * 1000) / tokensPerSecond));
    return index === 0 ? 0 : scale(options.paceMs);
  };
  /** The whole answer's generation; `pace` only paces a stream, so without a token rate this is 0, as it was. */
  const generationMs = (text: string): number => {
    if (tokensPerSecond === undefined) return 0;
    let total = 0;
    for (let token = countTokens(text); token > 0; token -= 1) total += jittered(1000 / tokensPerSecond);
    return scale(total);
  };

  return {
    tokensPerSecond,
    scale,
    streamHeadersMs: () => (scenario.answerAfterMs !== undefined ? scale(scenario.answerAfterMs) : retrievalMs()),
    wholeAnswerMs: (text) =>
      scenario.answerAfterMs !== undefined ? scale(scenario.answerAfterMs) : retrievalMs() + generationMs(text),
    chunkDelayMs,
  };
}

/** The model in words, for the line `npm run core` prints. */
export function describeLatency(model: LatencyModel | undefined, timeScale: number): string {
  const scaled = timeScale === 1 ? '' : `, time ×${timeScale}`;
  if (!model) return `latency: off${scaled}`;
  const jitter = Math.round(model.jitter * 100);
  return `latency: ${model.retrievalMs} ms retrieval, ${model.tokensPerSecond} tokens/s ±${jitter}%${scaled}`;
}

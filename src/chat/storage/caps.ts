// What the history keeps, in bytes of UTF-8 on disk. An answer longer than its cap is kept shortened and marked
// (`truncatedForStorage`), never cut silently, and never left inside an open code fence; a conversation over its cap
// loses its oldest turns; all conversations together over the total cap lose the oldest conversations.
import type { Turn } from '../../shared/messages';
import { type Conversation, type ConversationFile, FORMAT_VERSION } from './format';

export interface StorageLimits {
  /** One answer. */
  answerBytes: number;
  /** One question (it may carry a selection of code). */
  questionBytes: number;
  /** One conversation file. Always larger than a turn at its caps, so the newest turn always fits. */
  conversationBytes: number;
  /** All conversation files together; the oldest conversations go first, the open one never. */
  totalBytes: number;
  conversations: number;
}

export const STORAGE_LIMITS: StorageLimits = {
  answerBytes: 256 * 1024,
  questionBytes: 64 * 1024,
  conversationBytes: 4 * 1024 * 1024,
  totalBytes: 64 * 1024 * 1024,
  conversations: 50,
};

const FENCE_OPEN = /^ {0,3}(`{3,}|~{3,})(.*)$/;

/**
 * The code fence still open at the end of `text`, e.g. "```" or "~~~~", or undefined. Follows CommonMark: a fence
 * closes with at least as many of the same character and nothing but spaces after them; a backtick fence's info
 * string cannot contain a backtick.
 */
export function openFence(text: string): string | undefined {
  let open: string | undefined;
  for (const line of text.split('\n')) {
    const match = FENCE_OPEN.exec(line.replace(/\r$/, ''));
    if (!match) continue;
    const marker = match[1] ?? '';
    const rest = match[2] ?? '';
    if (open === undefined) {
      if (marker.startsWith('`') && rest.includes('`')) continue;
      open = marker;
    } else if (marker[0] === open[0] && marker.length >= open.length && rest.trim() === '') {
      open = undefined;
    }
  }
  return open;
}

/** The longest start of `text` whose UTF-8 encoding fits in `maxBytes`, cut between whole characters. */
function prefixWithin(text: string, maxBytes: number): string {
  const bytes = Buffer.from(text, 'utf8');
  if (bytes.length <= maxBytes) return text;
  let end = Math.max(0, maxBytes);
  // A UTF-8 continuation byte is 10xxxxxx: step back to the first byte of that character.
  while (end > 0 && ((bytes[end] ?? 0) & 0xc0) === 0x80) end -= 1;
  return bytes.subarray(0, end).toString('utf8');
}

/**
 * `text` shortened to at most `maxBytes` of UTF-8: at a line end when one is near, and with a code fence that was
 * open at the cut closed again, so the rest of the answer does not render as code. Unchanged when it fits.
 */
export function shortenText(text: string, maxBytes: number): { text: string; shortened: boolean } {
  if (Buffer.byteLength(text, 'utf8') <= maxBytes) return { text, shortened: false };
  let budget = maxBytes;
  for (;;) {
    let kept = prefixWithin(text, budget);
    const lineEnd = kept.lastIndexOf('\n');
    // Prefer a whole last line unless that would throw away much of what fits.
    if (lineEnd > 0 && kept.length - lineEnd < Math.min(2_000, kept.length / 4)) kept = kept.slice(0, lineEnd);
    const fence = openFence(kept);
    const shortened = fence === undefined ? kept : `${kept}\n${fence}`;
    const size = Buffer.byteLength(shortened, 'utf8');
    if (size <= maxBytes || budget <= 0) return { text: shortened, shortened: true };
    budget -= size - maxBytes;
  }
}

/** The turn as stored: question and answer within their caps, marked when either was shortened. */
export function fitTurn(turn: Turn, limits: StorageLimits): Turn {
  const answer = shortenText(turn.answer, limits.answerBytes);
  const question = shortenText(turn.question, limits.questionBytes);
  if (!answer.shortened && !question.shortened) return turn;
  return { ...turn, question: question.text, answer: answer.text, truncatedForStorage: true };
}

export interface FittedConversation {
  /** The file's text, ready to write. */
  text: string;
  bytes: number;
  /** Turns whose question or answer was shortened. */
  shortened: number;
  /** Oldest turns left out so the conversation fits its cap. */
  dropped: number;
  turns: number;
}

/** Serializes a conversation within its caps. Costs one pass over that conversation only. */
export function fitConversation(conversation: Conversation, limits: StorageLimits): FittedConversation {
  let shortened = 0;
  let turns = conversation.turns.map((turn) => {
    const fitted = fitTurn(turn, limits);
    if (fitted !== turn) shortened += 1;
    return fitted;
  });
  const serialize = (kept: Turn[]): string => {
    const file: ConversationFile = { version: FORMAT_VERSION, conversation: { ...conversation, turns: kept } };
    return JSON.stringify(file);
  };
  let text = serialize(turns);
  let bytes = Buffer.byteLength(text, 'utf8');
  let dropped = 0;
  if (bytes > limits.conversationBytes) {
    const sizes = turns.map((turn) => Buffer.byteLength(JSON.stringify(turn), 'utf8') + 1);
    let excess = bytes - limits.conversationBytes;
    while (excess > 0 && dropped < turns.length - 1) {
      excess -= sizes[dropped] ?? 0;
      dropped += 1;
    }
    turns = turns.slice(dropped);
    text = serialize(turns);
    bytes = Buffer.byteLength(text, 'utf8');
  }
  return { text, bytes, shortened, dropped, turns: turns.length };
}

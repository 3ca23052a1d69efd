// A failure as the user reads it: the client's sentence for its code in VS Code's display language, the core's own
// words quoted after it as the core wrote them. No `vscode` import: the extension passes `vscode.l10n.t` in, and
// the unit tests pass a lookup in the Persian bundle.
import { ERROR_TEXT, type ErrorCode } from '../core/error-text';
import type { CoreErrorInfo } from '../core/types';

/** `vscode.l10n.t` with named values: the English sentence is the key, `{name}` placeholders are filled. */
export type Translate = (message: string, args: Record<string, string | number>) => string;

/**
 * The quoted core words, as a sentence of our own. The quote marks belong to the translation (« » in Persian,
 * " " in English), so each language quotes its own way.
 */
export const CORE_SAYS = 'The core says: "{words}"';

// The core's words may be in either script. Isolated, they neither pull the quote marks and the full stop of the
// sentence around them to the wrong side nor get reordered by it.
const FIRST_STRONG_ISOLATE = '\u2068';
const POP_DIRECTIONAL_ISOLATE = '\u2069';

function isErrorCode(code: unknown): code is ErrorCode {
  return typeof code === 'string' && Object.hasOwn(ERROR_TEXT, code);
}

/**
 * The sentence for a failure: "The answer was cut off." first when text had arrived, then what went wrong, then
 * what the core itself said. A failure without a known code (an older client) keeps its English message.
 */
export function errorSentence(error: Pick<CoreErrorInfo, 'code' | 'params' | 'coreSays' | 'partial' | 'message'>, translate: Translate): string {
  if (!isErrorCode(error.code)) return error.message;
  const parts: string[] = [];
  if (error.partial && error.code !== 'cut-off') parts.push(translate(ERROR_TEXT['cut-off'], {}));
  parts.push(translate(ERROR_TEXT[error.code], { ...error.params }));
  const words = error.coreSays?.trim();
  if (words) parts.push(translate(CORE_SAYS, { words: FIRST_STRONG_ISOLATE + words + POP_DIRECTIONAL_ISOLATE }));
  return parts.join(' ');
}

/**
 * Fills `{name}` placeholders the way `vscode.l10n.t` does with named values: an unknown name stays as written,
 * and a value is never searched for placeholders again.
 */
export function fillNamed(template: string, args: Record<string, string | number>): string {
  return template.replace(/\{([^}]+)\}/g, (whole, name: string) => (Object.hasOwn(args, name) ? String(args[name]) : whole));
}

/** A translator over one l10n bundle (English sentence → translation), English where the bundle lacks one. */
export function bundleTranslator(bundle: Readonly<Record<string, string>>): Translate {
  return (message, args) => fillNamed(Object.hasOwn(bundle, message) ? (bundle[message] ?? message) : message, args);
}

// What counts as "an English sentence of ours" in text meant for a Persian reader: three or more Latin words in a
// row. Names of things (RAG Core, VS Code, HTTP, TLS), addresses, paths and codes are fine inside Persian text.

/** Names that may stand in a Persian sentence as they are. */
export const KEPT_NAMES = ['RAG Core', 'VS Code', 'Tejarat Chat', 'GNOME Keyring', 'Too Many Requests'];

/** Runs of 3+ Latin words in `text`, after taking out `allowed` pieces (e.g. the core's own quoted words). */
export function englishRuns(text: string, allowed: readonly string[] = []): string[] {
  let rest = text;
  for (const piece of [...allowed, ...KEPT_NAMES]) if (piece) rest = rest.split(piece).join(' ');
  return rest.match(/\b[A-Za-z][A-Za-z'’-]*(?:[ \t,]+[A-Za-z][A-Za-z'’-]*){2,}\b/g) ?? [];
}

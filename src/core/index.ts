// The RAG Core client's public surface. Nothing here imports `vscode`: the CLI, the extension host and the
// tests all use it as it is.
export { createCoreClient } from './client.js';
export { bodyExcerpt, CoreError } from './errors.js';
export { safeUrl } from './normalize.js';
export type * from './types.js';

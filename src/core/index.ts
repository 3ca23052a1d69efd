// The RAG Core client's public surface. Nothing here imports `vscode`: the CLI, the extension host and the
// tests all use it as it is.
export { createCoreClient } from './client.js';
export { checkCoreUrl, isLoopbackHost, type CoreUrlCheck } from './core-url.js';
export { englishErrorText, ERROR_TEXT, fillTemplate, type ErrorCode, type ErrorParams } from './error-text.js';
export { bodyExcerpt, CoreError, errorMessage } from './errors.js';
export { safeUrl } from './normalize.js';
export type * from './types.js';

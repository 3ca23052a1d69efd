// The webview's side of the VS Code API: post typed messages, keep a little state across hide and reload.
import type { WebviewMessage } from '../src/shared/messages';

export interface PersistedState {
  draft?: string;
}

export interface HostApi {
  post(message: WebviewMessage): void;
  getState(): PersistedState;
  setState(state: PersistedState): void;
}

interface VsCodeApi {
  postMessage(message: unknown): void;
  getState(): unknown;
  setState(state: unknown): void;
}

declare global {
  // Provided by VS Code inside a webview; may be called only once.
  function acquireVsCodeApi(): VsCodeApi;
}

export function connectHost(): HostApi {
  const api = acquireVsCodeApi();
  return {
    post: (message) => api.postMessage(message),
    getState: () => {
      const state: unknown = api.getState();
      if (typeof state !== 'object' || state === null) return {};
      const draft = (state as { draft?: unknown }).draft;
      return typeof draft === 'string' ? { draft } : {};
    },
    setState: (state) => api.setState(state),
  };
}

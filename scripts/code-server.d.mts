// Types for scripts/code-server.mjs, which stays plain JavaScript because it runs before `npm ci`.
import type { ChildProcess } from 'node:child_process';

export const CODE_SERVER_VERSION: string;
export const ROOT: string;
export const INSTALL_DIR: string;
export const ENTRY: string;
export const CHROMIUM_PATH: string;
export const CHROMIUM_ARGS: string[];

export function isInstalled(): boolean;
export function installCodeServer(options?: { force?: boolean }): number;
export function freePort(): Promise<number>;
export function installExtension(vsix: string, dirs: { extensionsDir: string; userDataDir: string }): string;

export interface CodeServerOptions {
  folder?: string;
  settings?: Record<string, unknown>;
  vsix?: string[];
  userDataDir?: string;
  extensionsDir?: string;
  env?: Record<string, string>;
  args?: string[];
  log?: (line: string) => void;
  port?: number;
  readyTimeoutMs?: number;
}

export interface CodeServer {
  url: string;
  workbenchUrl: string;
  port: number;
  pid: number;
  userDataDir: string;
  extensionsDir: string;
  folder: string;
  child: ChildProcess;
  output(): string;
  stop(): Promise<void>;
}

export function startCodeServer(options?: CodeServerOptions): Promise<CodeServer>;

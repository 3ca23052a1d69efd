// The `tejarat.*` settings, read fresh each time they are needed so a change applies without a reload,
// and turned into the core client's options. Everything here except `readSettings` is pure, for the tests.
import * as vscode from 'vscode';
import { checkCoreUrl as coreUrlRule, isLoopbackHost } from './core/core-url';
import type { StreamingPreference } from './core/types';

export type LanguageSetting = 'auto' | 'fa' | 'en';

export interface TejaratSettings {
  coreUrl: string;
  streamPath: string;
  queryPath: string;
  language: LanguageSetting;
  streaming: StreamingPreference;
  timeouts: { connectMs: number; answerMs: number; idleMs: number };
  caFile: string;
  /** Explicit proxy for the core; empty: VS Code's own proxy handling. */
  proxy: string;
  /**
   * VS Code's `http.proxyStrictSSL`. Read only to warn: VS Code's fetch keeps checking certificates whatever it says,
   * and so does the client.
   */
  proxyStrictSSL: boolean;
  /** VS Code's `http.noProxy`: hosts reached directly, also when `tejarat.proxy` is set. */
  noProxy: string[];
  allowInsecureHttp: boolean;
}

export const DEFAULT_CORE_URL = 'https://core.tejarat.chat';

/** Every setting whose change means the client must be rebuilt. */
// `http.proxy` and its kin do not change the client (VS Code's fetch reads them itself), but they void what the status
// bar knew about reaching the core.
export const CLIENT_SETTINGS = ['tejarat', 'http.proxy', 'http.proxyStrictSSL', 'http.noProxy', 'http.proxySupport', 'http.systemCertificates'];

export function readSettings(): TejaratSettings {
  const config = vscode.workspace.getConfiguration('tejarat');
  const http = vscode.workspace.getConfiguration('http');
  const seconds = (key: string, fallback: number): number => {
    const value = config.get<number>(key, fallback);
    return Number.isFinite(value) && value > 0 ? value * 1000 : fallback * 1000;
  };
  return {
    coreUrl: config.get<string>('coreUrl', DEFAULT_CORE_URL).trim() || DEFAULT_CORE_URL,
    streamPath: config.get<string>('streamPath', '/api/v1/query/stream'),
    queryPath: config.get<string>('queryPath', '/api/v1/query'),
    language: oneOf(config.get<string>('language'), ['auto', 'fa', 'en'] as const, 'auto'),
    streaming: oneOf(config.get<string>('streaming'), ['auto', 'always', 'never'] as const, 'auto'),
    timeouts: {
      connectMs: seconds('timeouts.connect', DEFAULT_TIMEOUTS.connect),
      answerMs: seconds(answerTimeoutKey(config), DEFAULT_TIMEOUTS.answer),
      idleMs: seconds('timeouts.idle', DEFAULT_TIMEOUTS.idle),
    },
    caFile: config.get<string>('caFile', '').trim(),
    proxy: config.get<string>('proxy', '').trim(),
    proxyStrictSSL: http.get<boolean>('proxyStrictSSL') ?? true,
    noProxy: http.get<string[]>('noProxy') ?? [],
    allowInsecureHttp: config.get<boolean>('allowInsecureHttp', false),
  };
}

/** Seconds, as the settings give them. */
export const DEFAULT_TIMEOUTS = { connect: 10, answer: 180, idle: 60 } as const;

/** Whether the user (or a workspace) gave the setting a value of their own, at any level. */
function userSet(config: vscode.WorkspaceConfiguration, key: string): boolean {
  const inspected = config.inspect(key);
  if (!inspected) return false;
  return [
    inspected.globalValue,
    inspected.workspaceValue,
    inspected.workspaceFolderValue,
    inspected.globalLanguageValue,
    inspected.workspaceLanguageValue,
    inspected.workspaceFolderLanguageValue,
  ].some((value) => value !== undefined);
}

/**
 * `timeouts.answer` replaced `timeouts.firstEvent`, which limited the same wait for streamed answers. Someone who
 * raised the old setting for a slow core keeps that limit until they set the new one.
 */
export function answerTimeoutKey(config: vscode.WorkspaceConfiguration): 'timeouts.answer' | 'timeouts.firstEvent' {
  return !userSet(config, 'timeouts.answer') && userSet(config, 'timeouts.firstEvent') ? 'timeouts.firstEvent' : 'timeouts.answer';
}

function oneOf<T extends string>(value: string | undefined, allowed: readonly T[], fallback: T): T {
  return allowed.find((candidate) => candidate === value) ?? fallback;
}

export type UrlCheck = { ok: true; url: URL } | { ok: false; message: string };

/**
 * Whether the client may send the token to this URL: the core's one rule (src/core/core-url.ts, which the CLI asks
 * too), told in the user's language and naming the settings. A plain-http URL to anything but this machine would
 * carry the token in clear, so it is refused unless the user opted in with `tejarat.allowInsecureHttp`.
 */
export function checkCoreUrl(raw: string, allowInsecureHttp: boolean): UrlCheck {
  const checked = coreUrlRule(raw, allowInsecureHttp);
  if (checked.ok) return checked;
  switch (checked.code) {
    case 'bad-url':
      return { ok: false, message: vscode.l10n.t('The core URL "{0}" is not a valid URL. Fix tejarat.coreUrl in the settings.', raw) };
    case 'bad-url-scheme':
      return { ok: false, message: vscode.l10n.t('The core URL must start with https:// (tejarat.coreUrl is "{0}").', raw) };
    case 'url-credentials':
      return {
        ok: false,
        message: vscode.l10n.t('The core URL must not contain a user name or password (tejarat.coreUrl). Set the access token with "Set Access Token" instead.'),
      };
    case 'insecure-http':
      return {
        ok: false,
        message: vscode.l10n.t(
          'Refusing to send your token in clear text to {0}. Use an https:// core URL, or turn on tejarat.allowInsecureHttp if you trust this network.',
          String(checked.params.host ?? raw),
        ),
      };
    default:
      return { ok: false, message: checked.message };
  }
}

/**
 * The explicit proxy for the core (`tejarat.proxy`), or undefined. VS Code's `http.proxy` is not read here: VS Code
 * applies it to the extension host's fetch, which carries the questions unless an explicit override is set.
 */
export function proxyFor(settings: TejaratSettings, coreHost: string): string | undefined {
  const explicit = settings.proxy;
  if (!explicit) return undefined;
  const host = coreHost.toLowerCase();
  const bypass = settings.noProxy.some((entry) => {
    const pattern = entry.trim().toLowerCase().replace(/^\*?\./, '');
    return pattern !== '' && (host === pattern || host.endsWith('.' + pattern));
  });
  return bypass || isLoopbackHost(host) ? undefined : explicit;
}

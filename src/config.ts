// The `tejarat.*` settings, read fresh each time they are needed so a change applies without a reload,
// and turned into the core client's options. Everything here except `readSettings` is pure, for the tests.
import * as vscode from 'vscode';
import type { StreamingPreference } from './core/types';

export type LanguageSetting = 'auto' | 'fa' | 'en';

export interface TejaratSettings {
  coreUrl: string;
  streamPath: string;
  queryPath: string;
  language: LanguageSetting;
  streaming: StreamingPreference;
  timeouts: { connectMs: number; firstEventMs: number; idleMs: number };
  caFile: string;
  /** Explicit proxy for the core; empty: VS Code's `http.proxy`, then the environment. */
  proxy: string;
  /** VS Code's `http.proxy`. */
  httpProxy: string;
  /** VS Code's `http.proxyStrictSSL`: false turns off certificate checks, as VS Code itself does. */
  proxyStrictSSL: boolean;
  /** VS Code's `http.noProxy`: hosts reached directly. */
  noProxy: string[];
  allowInsecureHttp: boolean;
}

export const DEFAULT_CORE_URL = 'https://core.tejarat.chat';

/** Every setting whose change means the client must be rebuilt. */
export const CLIENT_SETTINGS = ['tejarat', 'http.proxy', 'http.proxyStrictSSL', 'http.noProxy'];

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
      connectMs: seconds('timeouts.connect', 10),
      firstEventMs: seconds('timeouts.firstEvent', 60),
      idleMs: seconds('timeouts.idle', 60),
    },
    caFile: config.get<string>('caFile', '').trim(),
    proxy: config.get<string>('proxy', '').trim(),
    httpProxy: (http.get<string>('proxy') ?? '').trim(),
    proxyStrictSSL: http.get<boolean>('proxyStrictSSL') ?? true,
    noProxy: http.get<string[]>('noProxy') ?? [],
    allowInsecureHttp: config.get<boolean>('allowInsecureHttp', false),
  };
}

function oneOf<T extends string>(value: string | undefined, allowed: readonly T[], fallback: T): T {
  return allowed.find((candidate) => candidate === value) ?? fallback;
}

const LOOPBACK = /^(localhost|127(?:\.\d{1,3}){3}|\[::1\])$/i;

export type UrlCheck = { ok: true; url: URL } | { ok: false; message: string };

/**
 * Whether the client may send the token to this URL. A plain-http URL to anything but this machine would carry the
 * token in clear, so it is refused unless the user opted in with `tejarat.allowInsecureHttp`.
 */
export function checkCoreUrl(raw: string, allowInsecureHttp: boolean): UrlCheck {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return { ok: false, message: vscode.l10n.t('The core URL "{0}" is not a valid URL. Fix tejarat.coreUrl in the settings.', raw) };
  }
  if (url.protocol === 'https:') return { ok: true, url };
  if (url.protocol !== 'http:') {
    return { ok: false, message: vscode.l10n.t('The core URL must start with https:// (tejarat.coreUrl is "{0}").', raw) };
  }
  if (LOOPBACK.test(url.hostname) || allowInsecureHttp) return { ok: true, url };
  return {
    ok: false,
    message: vscode.l10n.t(
      'Refusing to send your token in clear text to {0}. Use an https:// core URL, or turn on tejarat.allowInsecureHttp if you trust this network.',
      url.host,
    ),
  };
}

/** The proxy for the core, or undefined to let the client use the environment (HTTPS_PROXY, NO_PROXY). */
export function proxyFor(settings: TejaratSettings, coreHost: string): string | undefined {
  const explicit = settings.proxy || settings.httpProxy;
  if (!explicit) return undefined;
  const host = coreHost.toLowerCase();
  const bypass = settings.noProxy.some((entry) => {
    const pattern = entry.trim().toLowerCase().replace(/^\*?\./, '');
    return pattern !== '' && (host === pattern || host.endsWith('.' + pattern));
  });
  return bypass || LOOPBACK.test(host) ? undefined : explicit;
}

// Check Connection: the CLI's `check` (the web product's system test) as one readable summary: reachability, token,
// streaming, how long each phase took, which way the request went and where the trust in the core's certificate
// comes from.
import * as vscode from 'vscode';
import { readSettings } from '../config';
import type { CheckReport } from '../core/types';
import type { CoreClientProvider } from './clientProvider';
import { errorSentence } from './errorText';

export interface CheckResult {
  /** One line per fact: reachable, token, streaming, timings, network, certificates, time limits. */
  lines: string[];
  ok: boolean;
  report?: CheckReport;
}

/** What the summary needs besides the report: facts only the extension host knows. */
export interface CheckContext {
  hasToken: boolean;
  /** VS Code's `http.proxy`, when the request went through VS Code's network stack. */
  vscodeProxy?: string;
  /** VS Code's display language, for the digits. */
  language?: string;
  /** VS Code's `http.fetchAdditionalSupport`: off, its fetch is Node's own (no proxy, Node's certificates). */
  fetchSupport?: boolean;
  /** The limits in force (`tejarat.timeouts.*`), named as the settings name them. */
  limits?: { connectMs: number; answerMs: number; idleMs: number };
}

/** A proxy URL without user name and password, which have no place in a notification or the log. */
export function redactProxy(proxy: string): string {
  try {
    const url = new URL(proxy);
    url.username = '';
    url.password = '';
    return url.href.replace(/\/$/, '');
  } catch {
    return proxy.replace(/\/\/[^@/]*@/, '//');
  }
}

function timingsLine(report: CheckReport, format: (ms: number) => string): string {
  const { connectMs, headersMs, firstEventMs, totalMs } = report.timings;
  const parts = [
    connectMs !== undefined ? vscode.l10n.t('connect {0}', format(connectMs)) : undefined,
    headersMs !== undefined ? vscode.l10n.t('headers {0}', format(headersMs)) : undefined,
    firstEventMs !== undefined ? vscode.l10n.t('first event {0}', format(firstEventMs)) : undefined,
    vscode.l10n.t('total {0}', format(totalMs)),
  ].filter((part): part is string => part !== undefined);
  return vscode.l10n.t('Timings: {0}.', parts.join(vscode.l10n.t(', ')));
}

function networkLine(network: CheckReport['network'], vscodeProxy: string | undefined, fetchSupport: boolean): string {
  const proxy = network.proxy ? redactProxy(network.proxy) : undefined;
  switch (network.path) {
    case 'vscode':
      if (!fetchSupport) return vscode.l10n.t("Network: direct (VS Code's http.fetchAdditionalSupport is off, so its proxy settings do not apply).");
      return vscodeProxy
        ? vscode.l10n.t("Network: VS Code's proxy settings (http.proxy {0}).", redactProxy(vscodeProxy))
        : vscode.l10n.t("Network: VS Code's proxy settings (system proxy or direct; http.proxy is not set).");
    case 'explicit-proxy':
      return vscode.l10n.t('Network: explicit proxy {0} (tejarat.proxy).', proxy ?? '');
    case 'environment-proxy':
      return vscode.l10n.t('Network: proxy {0} from the environment (HTTPS_PROXY).', proxy ?? '');
    case 'direct':
      return vscode.l10n.t('Network: direct.');
  }
}

function trustLine(trust: CheckReport['network']['trust'], fetchSupport: boolean): string {
  switch (trust) {
    case 'vscode-system':
      return fetchSupport ? vscode.l10n.t("Certificates: the system's, through VS Code.") : vscode.l10n.t("Certificates: Node's built-in list.");
    case 'node':
      return vscode.l10n.t("Certificates: Node's built-in list.");
    case 'ca-file':
      return vscode.l10n.t("Certificates: Node's built-in list and tejarat.caFile.");
    case 'none-insecure':
      return vscode.l10n.t('Certificates: not checked.');
    case 'not-tls':
      return vscode.l10n.t('Certificates: none (plain http).');
  }
}

export function summarize(report: CheckReport, { hasToken, vscodeProxy, language, fetchSupport = true, limits }: CheckContext): CheckResult {
  const numbers = new Intl.NumberFormat(language?.toLowerCase().startsWith('fa') ? 'fa-IR' : 'en-US', { maximumFractionDigits: 1 });
  const ms = (value: number): string => vscode.l10n.t('{0} ms', numbers.format(Math.round(value)));
  const seconds = (value: number): string => vscode.l10n.t('{0} s', numbers.format(value / 1000));
  const lines = [
    report.reachable
      ? vscode.l10n.t('Core {0}: reachable.', report.baseUrl)
      : vscode.l10n.t('Core {0}: not reachable ({1}).', report.baseUrl, report.error ? errorSentence(report.error, vscode.l10n.t) : vscode.l10n.t('no answer')),
    !hasToken
      ? vscode.l10n.t('Token: not set.')
      : report.tokenAccepted === true
        ? vscode.l10n.t('Token: accepted.')
        : report.tokenAccepted === false
          ? vscode.l10n.t('Token: rejected.')
          : vscode.l10n.t('Token: not checked.'),
    report.streaming === 'active'
      ? vscode.l10n.t('Answers: streaming.')
      : report.streaming === 'fallback'
        ? vscode.l10n.t('Answers: fallback (the core does not stream; answers arrive whole).')
        : vscode.l10n.t('Answers: unknown.'),
    timingsLine(report, ms),
    networkLine(report.network, vscodeProxy, fetchSupport),
    trustLine(report.network.trust, fetchSupport),
    ...(limits
      ? [vscode.l10n.t('Time limits (tejarat.timeouts): connect {0}, answer {1}, idle {2}.', seconds(limits.connectMs), seconds(limits.answerMs), seconds(limits.idleMs))]
      : []),
  ];
  return { lines, ok: report.reachable && report.tokenAccepted === true, report };
}

export async function checkConnection(clients: CoreClientProvider, hasToken: boolean, log: vscode.LogOutputChannel): Promise<CheckResult> {
  const client = await clients.get();
  if (!client.ok) return { lines: [client.message], ok: false };
  const report = await client.client.check();
  const http = vscode.workspace.getConfiguration('http');
  const vscodeProxy = http.get<string>('proxy')?.trim() || undefined;
  const fetchSupport = http.get<boolean>('fetchAdditionalSupport') !== false;
  const limits = readSettings().timeouts;
  const result = summarize(report, { hasToken, language: vscode.env.language, fetchSupport, limits, ...(vscodeProxy ? { vscodeProxy } : {}) });
  log.info(`Check Connection (${report.timings.totalMs} ms): ${result.lines.join(' ')}`);
  return result;
}

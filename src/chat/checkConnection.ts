// Check Connection: the CLI's `check` (the web product's system test) as one readable summary.
import * as vscode from 'vscode';
import type { CheckReport } from '../core/types';
import type { CoreClientProvider } from './clientProvider';
import { errorSentence } from './errorText';

export interface CheckResult {
  /** One line per fact: reachable, token, streaming. */
  lines: string[];
  ok: boolean;
  report?: CheckReport;
}

export function summarize(report: CheckReport, hasToken: boolean): CheckResult {
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
  ];
  return { lines, ok: report.reachable && report.tokenAccepted === true, report };
}

export async function checkConnection(clients: CoreClientProvider, hasToken: boolean, log: vscode.LogOutputChannel): Promise<CheckResult> {
  const client = await clients.get();
  if (!client.ok) return { lines: [client.message], ok: false };
  const report = await client.client.check();
  const result = summarize(report, hasToken);
  log.info(`Check Connection (${report.timings.totalMs} ms): ${result.lines.join(' ')}`);
  return result;
}

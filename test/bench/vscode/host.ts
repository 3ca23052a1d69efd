// Runs INSIDE code-server's extension host, as the `extensionTestsPath` of a development window (bundled by
// vscode.bench.ts). It drives the extension through its test API while the chat webview is open in Chromium:
//  1. latency: questions whose answers are numbered tokens (the local core's `answer=` scenario), one token per
//     chunk; the bench process times each token from the core's write to the webview's DOM;
//  2. leaks: 100 questions, then the extension host's heap (after a full GC) and open TCP sockets, compared with the
//     same measures taken after a warm-up.
// Results go to the JSON file named in TEJARAT_BENCH.
import { writeFileSync } from 'node:fs';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import * as vscode from 'vscode';
import type { TejaratExports, TejaratTestApi } from '../../../src/extension';

interface BenchConfig {
  resultsFile: string;
  controlUrl: string;
  token: string;
  latencyQuestions: number;
  tokensPerAnswer: number;
  leakQuestions: number;
}

export interface HostResults {
  latencyQuestions: number;
  leak: {
    questions: number;
    seconds: number;
    heapBeforeMB: number;
    heapAfterMB: number;
    heapGrowthMB: number;
    socketsBefore: number;
    socketsAfter: number;
    handlesBefore: Record<string, number>;
    handlesAfter: Record<string, number>;
  };
}

/** The token text of answer `question`: `q01t01 q01t02 …`, 7 characters each, so one chunk of 7 is one token. */
export function latencyAnswer(question: number, tokens: number): string {
  const pad = (value: number): string => String(value).padStart(2, '0');
  return Array.from({ length: tokens }, (_, index) => `q${pad(question)}t${pad(index + 1)} `).join('');
}

const fullGc = (): (() => void) => {
  setFlagsFromString('--expose-gc');
  return runInNewContext('gc') as () => void;
};

function handles(): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const name of process.getActiveResourcesInfo()) counts[name] = (counts[name] ?? 0) + 1;
  return counts;
}

async function settle(gc: () => void): Promise<number> {
  for (let round = 0; round < 3; round += 1) {
    gc();
    await new Promise((wake) => setTimeout(wake, 100));
  }
  return process.memoryUsage().heapUsed / 1024 / 1024;
}

async function askAndWait(api: TejaratTestApi, text: string): Promise<void> {
  await api.receive({ type: 'ask', text });
  while (api.busy()) await new Promise((wake) => setTimeout(wake, 5));
}

async function waitForControl(url: string): Promise<void> {
  const deadline = Date.now() + 120_000;
  while (Date.now() < deadline) {
    const response = await fetch(url).catch(() => undefined);
    if (response?.ok) return;
    await new Promise((wake) => setTimeout(wake, 200));
  }
  throw new Error(`the bench process never answered ${url}`);
}

export async function run(): Promise<void> {
  const config = JSON.parse(process.env.TEJARAT_BENCH ?? '{}') as BenchConfig;
  const extension = vscode.extensions.getExtension<TejaratExports>('tejarat.tejarat-chat');
  if (!extension) throw new Error('tejarat.tejarat-chat is not loaded');
  const api = (await extension.activate()).testing;
  if (!api) throw new Error('the test API is missing: the extension must run in development mode');
  await api.setToken(config.token);
  await vscode.commands.executeCommand('tejarat.openChat');
  // The bench process installs its DOM observer in the chat webview, then answers.
  await waitForControl(`${config.controlUrl}/observer`);

  for (let question = 1; question <= config.latencyQuestions; question += 1) {
    const answer = latencyAnswer(question, config.tokensPerAnswer);
    api.setScenario(`answer=${encodeURIComponent(answer)},pace=20,chunk-chars=7`);
    await askAndWait(api, `latency question ${question}`);
  }
  await fetch(`${config.controlUrl}/latency-done`);
  await waitForControl(`${config.controlUrl}/latency-collected`);
  await vscode.commands.executeCommand('tejarat.newConversation');

  const gc = fullGc();
  const questions = ['How do I set the access token?', 'توکن دسترسی را چطور تنظیم کنم؟', 'What does streaming fallback do?'];
  api.setScenario('pace=0');
  for (let index = 0; index < 10; index += 1) await askAndWait(api, questions[index % questions.length] ?? '');
  const heapBefore = await settle(gc);
  const handlesBefore = handles();
  const started = Date.now();
  for (let index = 0; index < config.leakQuestions; index += 1) {
    await askAndWait(api, questions[index % questions.length] ?? '');
  }
  const seconds = (Date.now() - started) / 1000;
  await new Promise((wake) => setTimeout(wake, 1000)); // Let finished requests release their sockets.
  const heapAfter = await settle(gc);
  const handlesAfter = handles();
  api.setScenario(undefined);

  const results: HostResults = {
    latencyQuestions: config.latencyQuestions,
    leak: {
      questions: config.leakQuestions,
      seconds,
      heapBeforeMB: heapBefore,
      heapAfterMB: heapAfter,
      heapGrowthMB: heapAfter - heapBefore,
      socketsBefore: handlesBefore.TCPSocketWrap ?? 0,
      socketsAfter: handlesAfter.TCPSocketWrap ?? 0,
      handlesBefore,
      handlesAfter,
    },
  };
  writeFileSync(config.resultsFile, JSON.stringify(results));
}

// Shared by the integration tests: the extension's test API, the local RAG Core, settings and waiting.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { TejaratExports, TejaratTestApi } from '../../../src/extension';
import type { Turn } from '../../../src/shared/messages';
import { type RunningCoreServer, type CoreServerOptions, startCoreServer } from '../../core-server/server';

export const EXTENSION_ID = 'tejarat.tejarat-chat';

export async function testApi(): Promise<TejaratTestApi> {
  const extension = vscode.extensions.getExtension<TejaratExports>(EXTENSION_ID);
  assert.ok(extension, `extension ${EXTENSION_ID} is not installed in this VS Code`);
  const exports = await extension.activate();
  assert.ok(exports.testing, 'the test API is missing: run the extension in development or test mode');
  return exports.testing;
}

/** Every setting a test changed, put back after the suite. */
const touched = new Set<string>();

export async function setSetting(key: string, value: unknown): Promise<void> {
  const [section, ...rest] = key.split('.');
  touched.add(key);
  await vscode.workspace.getConfiguration(section).update(rest.join('.'), value, vscode.ConfigurationTarget.Global);
}

export async function resetSettings(): Promise<void> {
  for (const key of touched) {
    const [section, ...rest] = key.split('.');
    await vscode.workspace.getConfiguration(section).update(rest.join('.'), undefined, vscode.ConfigurationTarget.Global);
  }
  touched.clear();
}

/**
 * Starts a local core (no pacing unless asked), points the extension at it, stores its token and opens a new
 * conversation: the state every suite starts from.
 */
export async function startCore(options: CoreServerOptions = {}): Promise<{ core: RunningCoreServer; api: TejaratTestApi }> {
  const api = await testApi();
  const core = await startCoreServer({ paceMs: 0, ...options });
  await setSetting('tejarat.coreUrl', core.url);
  await api.setToken(core.token ?? 'unused');
  api.setScenario(undefined);
  await vscode.commands.executeCommand('tejarat.newConversation');
  return { core, api };
}

/**
 * The state every suite starts from, as mocha hooks: a local core started before the suite's first test, stopped
 * (with every editor closed) after its last. Read `core` and `api` inside tests, not at suite definition.
 */
export function useCore(options: CoreServerOptions = {}): { readonly core: RunningCoreServer; readonly api: TejaratTestApi } {
  let running: { core: RunningCoreServer; api: TejaratTestApi } | undefined;
  suiteSetup(async () => {
    running = await startCore(options);
  });
  suiteTeardown(async () => {
    await closeAllEditors();
    await stopCore(running?.core);
  });
  const started = (): { core: RunningCoreServer; api: TejaratTestApi } => {
    if (!running) throw new Error('the local core starts in suiteSetup');
    return running;
  };
  return {
    get core() {
      return started().core;
    },
    get api() {
      return started().api;
    },
  };
}

export async function stopCore(core: RunningCoreServer | undefined): Promise<void> {
  const api = await testApi();
  api.setScenario(undefined);
  await vscode.commands.executeCommand('tejarat.stop');
  await core?.close();
  await resetSettings();
}

export async function ask(question: string): Promise<Turn> {
  const turn = await vscode.commands.executeCommand<Turn | undefined>('tejarat.ask', question);
  assert.ok(turn, `no turn for "${question}"`);
  return turn;
}

/** Polls until the check returns a truthy value; fails with `what` after the timeout. */
export async function waitFor<T>(what: string, check: () => T | undefined | false | '' | Promise<T | undefined | false | ''>, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) assert.fail(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

let documents = 0;

/**
 * A new untitled document with this text, shown in an editor. Named uniquely: VS Code reuses Untitled-N names and
 * may hand back a just-closed document of that name with its old text.
 */
export async function editorWith(text: string, language = 'plaintext'): Promise<vscode.TextEditor> {
  documents += 1;
  const uri = vscode.Uri.from({ scheme: 'untitled', path: `tejarat-test-${Date.now()}-${documents}.txt` });
  const document = await vscode.languages.setTextDocumentLanguage(await vscode.workspace.openTextDocument(uri), language);
  const editor = await vscode.window.showTextDocument(document, { preview: false });
  await editor.edit((edit) => edit.insert(new vscode.Position(0, 0), text));
  assert.equal(editor.document.getText(), text);
  return editor;
}

/** The `answer=TEXT` scenario of the local core: it answers exactly this text (chunked like any answer). */
export function answering(text: string): string {
  return `answer=${encodeURIComponent(text)}`;
}

/** Closes every editor without a save prompt (the tests' untitled documents are dirty). */
export async function closeAllEditors(): Promise<void> {
  const open = (): number => vscode.window.tabGroups.all.reduce((count, group) => count + group.tabs.length, 0);
  for (let guard = 0; open() > 0 && guard < 100; guard++) {
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  }
}

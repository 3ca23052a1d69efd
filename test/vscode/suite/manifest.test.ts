// The manifest as VS Code loaded it: commands, keybinding, views and translations.
import * as assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { closeAllEditors, EXTENSION_ID, testApi, waitFor } from './helpers';

const COMMANDS = [
  'tejarat.ask',
  'tejarat.askAboutSelection',
  'tejarat.askAboutProblem',
  'tejarat.askAboutTerminalSelection',
  'tejarat.openChat',
  'tejarat.openChatInEditor',
  'tejarat.newConversation',
  'tejarat.stop',
  'tejarat.insertLastAnswer',
  'tejarat.openAnswerAsMarkdown',
  'tejarat.setToken',
  'tejarat.signOut',
  'tejarat.checkConnection',
  'tejarat.showLog',
  'tejarat.showHistory',
  'tejarat.searchConversations',
  'tejarat.exportConversation',
  'tejarat.deleteConversation',
  'tejarat.deleteAllConversations',
];

function readJson(path: string): Record<string, unknown> {
  return JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
}

/** Every `vscode.l10n.t('…')` message in the extension host's sources (not the core client, not the CLI). */
function l10nMessages(dir: string): string[] {
  const messages: string[] = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) {
      if (name !== 'core' && name !== 'cli') messages.push(...l10nMessages(path));
    } else if (name.endsWith('.ts')) {
      for (const match of readFileSync(path, 'utf8').matchAll(/l10n\.t\(\s*(?:'((?:\\.|[^'\\])*)'|"((?:\\.|[^"\\])*)")/g)) {
        messages.push((match[1] ?? match[2] ?? '').replace(/\\'/g, "'").replace(/\\"/g, '"'));
      }
    }
  }
  return messages;
}

/** `Ctrl+Shift+Alt+T` and `shift+alt+ctrl+t` alike: lower case, modifiers sorted, per chord. */
function normalizeKey(key: string): string {
  return key
    .toLowerCase()
    .trim()
    .split(/\s+/)
    .map((chord) => chord.split('+').sort().join('+'))
    .join(' ');
}

suite('Manifest and localization', () => {
  let root: string;

  suiteSetup(async () => {
    await testApi();
    const extension = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(extension);
    root = extension.extensionPath;
  });

  test('every command is registered, with the Tejarat category', async () => {
    const registered = new Set(await vscode.commands.getCommands(true));
    for (const id of COMMANDS) assert.ok(registered.has(id), `${id} is registered`);
    const manifest = readJson(join(root, 'package.json')) as { contributes: { commands: { command: string; category: string }[] } };
    assert.deepEqual(manifest.contributes.commands.map((command) => command.command).sort(), [...COMMANDS].sort());
    assert.ok(manifest.contributes.commands.every((command) => command.category === '%command.category%'));
  });

  test('activates on its own commands and views (implicit since VS Code 1.74), to restore its chat tab, and after startup (never `*`): its quick fix on problems must exist before the first question', () => {
    // After startup, not during it: the status bar item shows when there is history and the quick fix on problems
    // is offered; activation reads only a memento value then (the files are read after activate() returns).
    const manifest = readJson(join(root, 'package.json')) as { activationEvents: string[] };
    assert.deepEqual(manifest.activationEvents, ['onStartupFinished', 'onWebviewPanel:tejarat.chatPanel']);
  });

  test('Ask Tejarat\'s default key is used by no default keybinding of this VS Code, not even as a chord\'s first key', async () => {
    const manifest = readJson(join(root, 'package.json')) as {
      contributes: { keybindings: { command: string; key: string; mac?: string; linux?: string; win?: string }[] };
    };
    const ask = manifest.contributes.keybindings.find((binding) => binding.command === 'tejarat.ask');
    assert.ok(ask, 'tejarat.ask has a default key');
    assert.notEqual((ask.linux ?? ask.key).toLowerCase(), 'ctrl+alt+t', 'GNOME (Ubuntu) and KDE (Kubuntu) open a terminal on it');
    // VS Code's own list of every default keybinding (its built-in extensions' included), for the platform the
    // workbench runs on: the one a user sees with "Open Default Keyboard Shortcuts (JSON)".
    await vscode.commands.executeCommand('workbench.action.openDefaultKeybindingsFile');
    const text = await waitFor('the default keybindings', () => {
      const document = vscode.window.activeTextEditor?.document;
      return document && /"key":/.test(document.getText()) ? document.getText() : undefined;
    });
    await closeAllEditors();
    const bindings = [...text.matchAll(/"key":\s*"([^"]+)",\s*"command":\s*"([^"]+)"/g)].map((match) => ({
      key: normalizeKey(match[1] ?? ''),
      command: match[2] ?? '',
    }));
    assert.ok(bindings.length > 500, `read ${bindings.length} default keybindings`);
    const mac = bindings.some((binding) => binding.key.includes('cmd+'));
    const ours = normalizeKey((mac ? ask.mac : process.platform === 'win32' ? ask.win : ask.linux) ?? ask.key);
    assert.ok(bindings.some((binding) => binding.command === 'tejarat.ask' && binding.key === ours), `the list has ours (${ours})`);
    const clashes = bindings.filter(
      (binding) => binding.command !== 'tejarat.ask' && !binding.command.startsWith('-') && (binding.key === ours || binding.key.split(' ')[0] === ours),
    );
    assert.deepEqual(clashes, []);
  });

  test('package.nls.fa.json translates every manifest string', () => {
    const english = readJson(join(root, 'package.nls.json'));
    const persian = readJson(join(root, 'package.nls.fa.json'));
    assert.deepEqual(Object.keys(persian).sort(), Object.keys(english).sort());
    const used = [...readFileSync(join(root, 'package.json'), 'utf8').matchAll(/"%([\w.]+)%"/g)].map((match) => match[1] ?? '');
    for (const key of used) assert.ok(key in english, `${key} is in package.nls.json`);
  });

  test('the Persian l10n bundle translates every message of the extension', () => {
    const bundle = readJson(join(root, 'l10n', 'bundle.l10n.fa.json'));
    const messages = l10nMessages(join(root, 'src'));
    assert.ok(messages.length > 30, `found ${messages.length} messages`);
    assert.deepEqual(messages.filter((message) => !(message in bundle)), []);
    for (const [english, persian] of Object.entries(bundle)) {
      const placeholders = (text: string): string[] => (text.match(/\{\d\}/g) ?? []).sort();
      assert.deepEqual(placeholders(String(persian)), placeholders(english), `placeholders of "${english}"`);
    }
  });
});

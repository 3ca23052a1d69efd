// One cold activation, measured in a fresh Node process: `node activate-once.cjs <dist/extension.js>` prints
// `{"loadMs","activateMs"}`. `vscode` is a minimal stand-in (every API a no-op that returns a usable value), so this
// measures the extension's own work at activation: loading its bundle and running activate(). Plain CommonJS
// without tsx, so nothing but the bundle is compiled or loaded during the measurement.
'use strict';
/* eslint-disable @typescript-eslint/no-require-imports -- timing a CommonJS require() of the bundle is the point. */
const Module = require('node:module');
const { performance } = require('node:perf_hooks');

/** A value that can be called, constructed, read and awaited-past without throwing. */
function stub(name) {
  const target = function () {};
  const assigned = new Map();
  return new Proxy(target, {
    set(_target, property, value) {
      assigned.set(property, value);
      return true;
    },
    get(_target, property) {
      if (assigned.has(property)) return assigned.get(property);
      if (property === 'then') return undefined; // Not a promise.
      if (property === Symbol.toPrimitive) return () => '';
      if (property === Symbol.iterator) return function* () {};
      if (property === 'dispose') return () => undefined;
      return stub(String(property));
    },
    apply(_target, _this, args) {
      // configuration.get(key, defaultValue) gives the default, as VS Code does for an unset setting.
      if (name === 'get') return args.length > 1 ? args[1] : undefined;
      if (name === 'getExtension') return undefined;
      if (name === 't') return String(args[0]); // l10n.t(message): the English text.
      if (name === 'executeCommand') return Promise.resolve(undefined);
      return stub(`${name}()`);
    },
    construct() {
      return stub(`new ${name}`);
    },
  });
}

// Every top-level name of the real API (bundlers copy a module's own keys, so the stand-in must list them all).
const apiNames = [
  ...require('node:fs')
    .readFileSync(require.resolve('@types/vscode/index.d.ts'), 'utf8')
    .matchAll(/^\t?(?: {4})?export (?:namespace|class|enum|const|let|function) (\w+)/gm),
].map((match) => match[1]);
const known = { ExtensionMode: { Production: 1, Development: 2, Test: 3 }, version: '1.100.3' };
const vscode = {};
for (const name of new Set([...apiNames, ...Object.keys(known)])) vscode[name] = name in known ? known[name] : stub(name);
const load = Module._load;
Module._load = function (request, ...rest) {
  return request === 'vscode' ? vscode : load.call(this, request, ...rest);
};

function memento() {
  const values = new Map();
  return {
    get: (key, fallback) => (values.has(key) ? values.get(key) : fallback),
    update: async (key, value) => void values.set(key, value),
    keys: () => [...values.keys()],
    setKeysForSync: () => undefined,
  };
}

const context = {
  subscriptions: [],
  extensionMode: 1,
  extensionUri: stub('extensionUri'),
  extensionPath: process.cwd(),
  globalState: memento(),
  workspaceState: memento(),
  secrets: { get: async () => undefined, store: async () => undefined, delete: async () => undefined, onDidChange: stub('onDidChange') },
  logUri: stub('logUri'),
  storageUri: undefined,
  globalStorageUri: stub('globalStorageUri'),
  environmentVariableCollection: stub('environmentVariableCollection'),
  asAbsolutePath: (path) => path,
};

const started = performance.now();
const extension = require(require('node:path').resolve(process.argv[2]));
const loaded = performance.now();
extension.activate(context);
const activated = performance.now();
process.stdout.write(`${JSON.stringify({ loadMs: loaded - started, activateMs: activated - loaded })}\n`);
for (const disposable of context.subscriptions) disposable?.dispose?.();
process.exit(0);

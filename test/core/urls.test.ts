// One URL policy for every user of an address: the client's normalizer (a source's link), the extension host's
// openLink (what it agrees to open) and the shared rule itself give the same verdict on the same table. The panel's
// side (links in answers, sources) is tested with the same table in Chromium (test/webview/links.test.ts).
import assert from 'node:assert/strict';
import Module from 'node:module';
import fc from 'fast-check';
import { readSources } from '../../src/core/normalize';
import { openableUrl } from '../../src/shared/urls';
import type { Intent } from '../../src/parts';
import { urlCases } from './url-cases';

/** The part of the `vscode` API the intent handler touches for a link: records what it was asked to open. */
const opened: string[] = [];
const vscodeStub = {
  env: { openExternal: async (uri: { toString(): string }) => (opened.push(uri.toString()), true) },
  Uri: { parse: (value: string) => ({ toString: () => value }) },
};

/** The host's intent handler, loaded with the stub in place of the `vscode` module (only VS Code provides it). */
async function hostHandler(): Promise<(message: Intent) => Promise<unknown>> {
  // Node's module loader has no public hook for CommonJS resolution; these two internals are stable since Node 0.x.
  const loader = Module as unknown as { _resolveFilename(request: string, ...rest: unknown[]): string; _cache: Record<string, unknown> };
  const resolve = loader._resolveFilename;
  const stubPath = '/virtual/vscode-stub.js';
  loader._cache[stubPath] = { id: stubPath, filename: stubPath, loaded: true, exports: vscodeStub };
  loader._resolveFilename = function (request: string, ...rest: unknown[]) {
    return request === 'vscode' ? stubPath : resolve.call(this, request, ...rest);
  };
  try {
    const { createIntentHandler } = await import('../../src/chat/intents.js');
    // The controller and the insert function are not reached by openLink.
    return createIntentHandler({} as never, () => Promise.reject(new Error('not used')));
  } finally {
    loader._resolveFilename = resolve;
  }
}

describe('one URL policy', function () {
  it('the shared rule', function () {
    for (const [address, verdict] of urlCases) assert.equal(openableUrl(address), verdict, address);
  });

  it("the client's normalizer keeps a source's address exactly when the rule does", function () {
    for (const [address, verdict] of urlCases) {
      assert.deepEqual(readSources([{ title: 'T', url: address }]), [verdict === undefined ? { title: 'T' } : { title: 'T', url: verdict }], address);
      assert.deepEqual(readSources([{ name: 'T', link: address }]), [verdict === undefined ? { title: 'T' } : { title: 'T', url: verdict }], address);
    }
  });

  it('whatever the panel shows as a link, the host opens as it is (any address, fast-check)', async function () {
    const handle = await hostHandler();
    const scheme = fc.constantFrom('http:', 'https:', 'HTTPS:', 'mailto:', 'javascript:', 'data:', 'file:', 'ftp:', '', ' ', '\t');
    const address = fc.oneof(fc.webUrl({ withQueryParameters: true, withFragments: true }), fc.string(), fc.tuple(scheme, fc.string(), fc.webUrl())
      .map(([prefix, middle, url]) => `${prefix}${middle}${url.replace(/^https?:/, '')}`));
    await fc.assert(fc.asyncProperty(address, async (value) => {
      const shown = openableUrl(value);
      opened.length = 0;
      const result = await handle({ type: 'openLink', url: shown ?? value });
      if (shown === undefined) {
        assert.deepEqual(opened, []);
        assert.equal(result, false);
      } else {
        assert.match(shown, /^https?:\/\/[^/]/);
        assert.equal(openableUrl(shown), shown, 'the rule is stable on its own output');
        assert.deepEqual(opened, [shown]);
      }
    }), { numRuns: 2000 });
  });

  it('the host opens exactly what the rule lets through, in its normalized form', async function () {
    const handle = await hostHandler();
    for (const [address, verdict] of urlCases) {
      opened.length = 0;
      const result = await handle({ type: 'openLink', url: address });
      assert.deepEqual(opened, verdict === undefined ? [] : [verdict], address);
      assert.equal(result, verdict !== undefined, address);
    }
  });
});

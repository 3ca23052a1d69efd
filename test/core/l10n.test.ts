// Every sentence of ours that can reach a user has a Persian version with the same placeholders: the client's error
// catalogue and every string literal the extension passes to `vscode.l10n.t` (read from the sources with the
// TypeScript parser), plus the error sentences as the extension builds them with the Persian bundle.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import ts from 'typescript';
import { CORE_SAYS, bundleTranslator, errorSentence } from '../../src/chat/errorText';
import { ERROR_TEXT, type ErrorCode } from '../../src/core/error-text';
import { englishRuns } from '../l10n/english';

const root = join(__dirname, '..', '..');
const fa = JSON.parse(readFileSync(join(root, 'l10n', 'bundle.l10n.fa.json'), 'utf8')) as Record<string, string>;

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith('.ts') ? [path] : [];
  });
}

interface Use {
  key: string;
  where: string;
}

/**
 * Non-literal first arguments that are fine: the catalogue's sentences (checked below as a whole) and the display
 * language handing a sentence on to `vscode.l10n.t`.
 */
function passesOn(file: string, argument: string): boolean {
  if (file === join('src', 'chat', 'displayLanguage.ts')) return argument === 'message';
  if (file === join('src', 'chat', 'errorText.ts')) return /^(?:ERROR_TEXT\[.+\]|CORE_SAYS)$/.test(argument);
  return false;
}

/** Calls of `vscode.l10n.t`, `l10n.t` and our `translate`: their literal first arguments, and where one is not literal. */
function translatedLiterals(): { literals: Use[]; dynamic: string[] } {
  const literals: Use[] = [];
  const dynamic: string[] = [];
  for (const file of sourceFiles(join(root, 'src'))) {
    const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.ES2022, true);
    const visit = (node: ts.Node): void => {
      if (ts.isCallExpression(node)) {
        const callee = node.expression.getText(source);
        if (/^(?:vscode\.)?l10n\.t$|^(?:this\.)?translate$/.test(callee)) {
          const first = node.arguments[0];
          const where = `${relative(root, file)}:${source.getLineAndCharacterOfPosition(node.getStart(source)).line + 1}`;
          if (first && (ts.isStringLiteral(first) || ts.isNoSubstitutionTemplateLiteral(first))) literals.push({ key: first.text, where });
          else if (!passesOn(relative(root, file), first?.getText(source) ?? '')) dynamic.push(`${where}: ${node.getText(source)}`);
        }
      }
      ts.forEachChild(node, visit);
    };
    visit(source);
  }
  return { literals, dynamic };
}

function placeholders(text: string): string[] {
  return [...new Set([...text.matchAll(/\{([^}]+)\}/g)].map((match) => match[1] ?? ''))].sort();
}

describe('Persian for every sentence of ours', function () {
  const { literals, dynamic } = translatedLiterals();
  const catalogue = [...Object.values(ERROR_TEXT), CORE_SAYS];

  it('finds the extension\'s translated strings in its sources (and only literal ones)', function () {
    assert.ok(literals.length >= 40, `only ${literals.length} vscode.l10n.t literals found: the parser missed calls`);
    assert.deepEqual(dynamic, [], 'a translated string must be a literal (or a catalogue sentence), or no bundle can hold it');
  });

  it('every vscode.l10n.t literal in src/ has a Persian entry with the same placeholders', function () {
    const missing = literals.filter(({ key }) => fa[key] === undefined).map(({ key, where }) => `${where}: ${key}`);
    assert.deepEqual(missing, []);
    const mismatched = literals
      .filter(({ key }) => fa[key] !== undefined && placeholders(fa[key] ?? '').join() !== placeholders(key).join())
      .map(({ key, where }) => `${where}: ${key} → ${fa[key]}`);
    assert.deepEqual(mismatched, []);
  });

  it('every error sentence of the client has a Persian entry with the same placeholders', function () {
    const missing = catalogue.filter((key) => fa[key] === undefined);
    assert.deepEqual(missing, []);
    const mismatched = catalogue.filter((key) => placeholders(fa[key] ?? '').join() !== placeholders(key).join()).map((key) => `${key} → ${fa[key]}`);
    assert.deepEqual(mismatched, []);
  });

  it('the Persian bundle holds no sentence that nothing uses any more (its English key changed)', function () {
    const used = new Set<string>([...literals.map(({ key }) => key), ...catalogue]);
    assert.deepEqual(Object.keys(fa).filter((key) => !used.has(key)), []);
  });

  it('no Persian entry is an English sentence left untranslated', function () {
    const english = Object.entries(fa).filter(([, text]) => englishRuns(text).length > 0).map(([key, text]) => `${key} → ${text}: ${englishRuns(text).join(' | ')}`);
    assert.deepEqual(english, []);
  });

  it('an error reads in Persian: cut off first, the reason filled in, the core\'s words quoted as written', function () {
    const t = bundleTranslator(fa);
    const said = 'quota exceeded for this team';
    const text = errorSentence({ code: 'core-error', partial: true, coreSays: said, message: 'unused' }, t);
    assert.equal(text, `پاسخ نیمه‌کاره ماند. Core خطایی گزارش کرد. پیام Core: «\u2068${said}\u2069»`);
    const waiting = errorSentence({ code: 'rate-limited-wait', params: { seconds: 7 }, partial: false, message: 'unused' }, t);
    assert.equal(waiting, 'Core اکنون پرکار است (HTTP 429)؛ 7 ثانیه‌ی دیگر دوباره امتحان کنید.');
    for (const code of Object.keys(ERROR_TEXT) as ErrorCode[]) {
      const sentence = errorSentence({ code, params: { origin: 'https://core.example', seconds: 10, status: 502, detail: 'ECONNRESET', url: 'x', scheme: 'ftp:', host: 'core.example', contentType: 'text/html', limit: '1 MiB' }, partial: false, message: 'unused' }, t);
      assert.deepEqual(englishRuns(sentence), [], `${code}: ${sentence}`);
      assert.doesNotMatch(sentence, /\{\w+\}/, `${code}: a placeholder left unfilled`);
    }
  });

  it('an error reads in English with the English catalogue, and a failure without a code keeps its message', function () {
    const t = bundleTranslator({});
    assert.equal(errorSentence({ code: 'http-status', params: { status: 500 }, partial: false, coreSays: 'boom', message: 'unused' }, t),
      'The core answered with HTTP status 500. The core says: "\u2068boom\u2069"');
    assert.equal(errorSentence({ code: undefined as unknown as ErrorCode, partial: false, message: 'Old client text.' }, t), 'Old client text.');
  });
});

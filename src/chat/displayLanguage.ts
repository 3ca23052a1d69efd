// The language the panel and the error sentences speak: VS Code's display language. VS Code fixes it when the
// window starts (and loads the extension's l10n bundle for it), so the test API can force one for a running window;
// nothing else ever does.
import * as vscode from 'vscode';
import type { Locale } from '../shared/messages';
import { bundleTranslator, type Translate } from './errorText';

export class DisplayLanguage {
  private forced: { locale: Locale; translate: Translate } | undefined;

  locale(): Locale {
    return this.forced?.locale ?? (vscode.env.language.toLowerCase().startsWith('fa') ? 'fa' : 'en');
  }

  readonly translate: Translate = (message, args) => (this.forced ? this.forced.translate(message, args) : vscode.l10n.t(message, args));

  /** Speaks `locale` with this bundle (English sentence → translation) until `reset`. */
  force(locale: Locale, bundle: Readonly<Record<string, string>>): void {
    this.forced = { locale, translate: bundleTranslator(bundle) };
  }

  reset(): void {
    this.forced = undefined;
  }
}

// The access token lives only in VS Code's SecretStorage (the OS keyring on desktop). When the keyring is not
// available storing fails; we say so and how to fix it, and never fall back to settings or files.
import * as vscode from 'vscode';

const TOKEN_KEY = 'tejarat.accessToken';

export class TokenStore implements vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<boolean>();
  /** Fires with whether a token is now stored, whoever changed it (this window, another window, a test). */
  readonly onDidChange = this.changed.event;
  private readonly subscription: vscode.Disposable;
  private cached: boolean | undefined;

  constructor(private readonly secrets: vscode.SecretStorage, private readonly log: vscode.LogOutputChannel) {
    this.subscription = secrets.onDidChange((event) => {
      if (event.key !== TOKEN_KEY) return;
      void this.get().then((token) => this.changed.fire(token !== undefined));
    });
  }

  async get(): Promise<string | undefined> {
    try {
      const token = (await this.secrets.get(TOKEN_KEY))?.trim();
      this.cached = Boolean(token);
      return token || undefined;
    } catch (error) {
      this.log.error(`Reading the access token from SecretStorage failed: ${describe(error)}`);
      this.cached = false;
      return undefined;
    }
  }

  /** Last known answer of `get`, for UI that cannot wait; undefined before the first read. */
  get hasTokenCached(): boolean | undefined {
    return this.cached;
  }

  /** Stores the token; on failure shows why and returns false. */
  async set(token: string): Promise<boolean> {
    try {
      await this.secrets.store(TOKEN_KEY, token.trim());
      this.cached = true;
      this.log.info('Access token stored in SecretStorage.');
      // SecretStorage's own event may come late or, on some keyrings, not at all for this window's own write.
      this.changed.fire(true);
      return true;
    } catch (error) {
      this.log.error(`Storing the access token in SecretStorage failed: ${describe(error)}`);
      void vscode.window.showErrorMessage(
        vscode.l10n.t(
          'Could not store the access token: VS Code\'s secret storage is not available ({0}). On Linux, install and unlock a keyring (for example gnome-keyring) or start VS Code with --password-store=basic. The token was not saved anywhere else.',
          describe(error),
        ),
      );
      return false;
    }
  }

  async clear(): Promise<void> {
    try {
      await this.secrets.delete(TOKEN_KEY);
    } catch (error) {
      this.log.error(`Deleting the access token failed: ${describe(error)}`);
    }
    this.cached = false;
    this.changed.fire(false);
  }

  /** The password input box. Resolves with the stored token, or undefined when the user cancelled or storing failed. */
  async prompt(reason?: string): Promise<string | undefined> {
    const token = await vscode.window.showInputBox({
      title: vscode.l10n.t('Tejarat: Access Token'),
      prompt: reason ?? vscode.l10n.t('Paste your Tejarat RAG Core access token. It is kept in VS Code\'s secret storage only.'),
      password: true,
      ignoreFocusOut: true,
      validateInput: (value) => (value.trim() === '' ? vscode.l10n.t('The token cannot be empty.') : undefined),
    });
    if (token === undefined || token.trim() === '') return undefined;
    return (await this.set(token)) ? token.trim() : undefined;
  }

  dispose(): void {
    this.subscription.dispose();
    this.changed.dispose();
  }
}

/**
 * `npm start` hands the local development core's token over in TEJARAT_DEV_TOKEN (see notes/start-contract.md).
 * Taken only for a loopback core and only when no token is stored, so a stray variable never reaches a real core.
 */
export async function adoptDevToken(tokens: TokenStore, log: vscode.LogOutputChannel): Promise<void> {
  const value = process.env.TEJARAT_DEV_TOKEN?.trim();
  if (!value) return;
  const coreUrl = vscode.workspace.getConfiguration('tejarat').get<string>('coreUrl', '');
  let host: string;
  try {
    host = new URL(coreUrl).hostname;
  } catch {
    return;
  }
  if (!['127.0.0.1', 'localhost', '[::1]'].includes(host)) return;
  if ((await tokens.get()) !== undefined) return;
  if (await tokens.set(value)) log.info('Access token for the local development core taken from TEJARAT_DEV_TOKEN.');
}

/** An error's message without anything that could be a secret: SecretStorage errors never contain the value. */
function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

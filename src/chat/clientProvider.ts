// Creates the RAG Core client on first use (never at activation) and again whenever a setting it depends on
// changed, so edits to `tejarat.*` or `http.proxy` apply to the next question without a reload.
import { readFile } from 'node:fs/promises';
import * as vscode from 'vscode';
import type { CoreClient, LogLevel, StreamingStatus } from '../core/types';
import { checkCoreUrl, proxyFor, readSettings } from '../config';
import type { TokenStore } from '../secrets';

export type ClientResult = { ok: true; client: CoreClient; baseUrl: string } | { ok: false; message: string };

export class CoreClientProvider implements vscode.Disposable {
  private current: { client: CoreClient; key: string; baseUrl: string } | undefined;
  private building: Promise<ClientResult> | undefined;
  /** Extra request headers; only the test API sets them (to pick a scenario of the local core). */
  private extraHeaders: Record<string, string> = {};

  constructor(
    private readonly tokens: TokenStore,
    private readonly log: vscode.LogOutputChannel,
    private readonly onStreamingStatus: (status: StreamingStatus) => void,
  ) {}

  setExtraHeaders(headers: Record<string, string>): void {
    this.extraHeaders = { ...headers };
  }

  /** The client for the current settings, or a message saying why there cannot be one. */
  async get(): Promise<ClientResult> {
    const settings = readSettings();
    const checked = checkCoreUrl(settings.coreUrl, settings.allowInsecureHttp);
    if (!checked.ok) {
      this.log.warn(checked.message);
      return checked;
    }
    const key = JSON.stringify([settings, this.extraHeaders]);
    if (this.current?.key === key) return { ok: true, client: this.current.client, baseUrl: this.current.baseUrl };
    // Two questions at once must not build two clients.
    this.building ??= this.build(settings, checked.url, key).finally(() => (this.building = undefined));
    return this.building;
  }

  private async build(settings: ReturnType<typeof readSettings>, url: URL, key: string): Promise<ClientResult> {
    let ca: string | undefined;
    if (settings.caFile) {
      try {
        ca = await readFile(settings.caFile, 'utf8');
      } catch (error) {
        const message = vscode.l10n.t('Could not read the CA certificates file {0} (tejarat.caFile): {1}', settings.caFile, String(error instanceof Error ? error.message : error));
        this.log.error(message);
        return { ok: false, message };
      }
    }
    const previous = this.current;
    const baseUrl = settings.coreUrl.replace(/\/+$/, '');
    const proxyUrl = proxyFor(settings, url.hostname);
    // Loaded on first use: undici and the client are most of the bundle and would double activation time.
    const { createCoreClient } = await import('../core/index.js');
    const client = createCoreClient({
      baseUrl,
      streamPath: settings.streamPath,
      queryPath: settings.queryPath,
      getToken: () => this.tokens.get(),
      streaming: settings.streaming,
      timeouts: settings.timeouts,
      ...(proxyUrl ? { proxyUrl } : {}),
      ...(ca ? { ca } : {}),
      rejectUnauthorized: settings.proxyStrictSSL,
      headers: this.extraHeaders,
      log: (level: LogLevel, message: string) => this.log[level](message),
      onStreamingStatus: this.onStreamingStatus,
    });
    this.current = { client, key, baseUrl };
    this.log.info(
      `Core client for ${baseUrl} (streaming: ${settings.streaming}, proxy: ${proxyUrl ? 'configured' : 'environment or none'}, extra CA: ${ca ? 'yes' : 'no'}).`,
    );
    // The old client may still be answering a question; its close() lets running requests finish.
    if (previous) void previous.client.close().catch(() => undefined);
    return { ok: true, client, baseUrl };
  }

  /** What the live client believes about streaming, without creating one. */
  get streamingStatus(): StreamingStatus {
    return this.current?.client.streamingStatus ?? 'unknown';
  }

  async close(): Promise<void> {
    const current = this.current;
    this.current = undefined;
    await current?.client.close();
  }

  dispose(): void {
    void this.close().catch(() => undefined);
  }
}

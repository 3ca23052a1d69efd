// Creates the RAG Core client on first use (never at activation) and again whenever a setting it depends on
// changed, so edits to `tejarat.*` apply to the next question without a reload.
//
// By default questions travel through the extension host's global fetch, which VS Code extends with its proxy
// resolution (`http.proxy`, PAC, the system proxy, proxy sign-in) and the system's certificates: what works for VS
// Code works for Tejarat, and a change to `http.proxy` applies at once because VS Code reads it per request.
// `tejarat.proxy` and `tejarat.caFile` are explicit overrides: the client's own undici agent then connects.
import { readFile } from 'node:fs/promises';
import * as vscode from 'vscode';
import type { CoreClient, CoreTransport, LogLevel, StreamingStatus } from '../core/types';
import { checkCoreUrl, proxyFor, readSettings } from '../config';
import type { TokenStore } from '../secrets';

export type ClientResult = { ok: true; client: CoreClient; baseUrl: string } | { ok: false; message: string };

export class CoreClientProvider implements vscode.Disposable {
  private current: { client: CoreClient; key: string; baseUrl: string } | undefined;
  private building: Promise<ClientResult> | undefined;
  /** Extra request headers; only the test API sets them (to pick a scenario of the local core). */
  private extraHeaders: Record<string, string> = {};
  /** Warnings shown as notifications in this window; each at most once per session. */
  private readonly shownNotices: string[] = [];

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
    const own = settings.proxy !== '' || ca !== undefined;
    // The global fetch is VS Code's own only as long as nobody gives it a dispatcher; the client never does.
    const transport: CoreTransport = own ? { kind: 'undici' } : { kind: 'fetch', fetch: globalThis.fetch };
    if (!settings.proxyStrictSSL) this.warnStrictSslOff();
    // Loaded on first use: undici and the client are most of the bundle and would double activation time.
    const { createCoreClient } = await import('../core/index.js');
    const client = createCoreClient({
      baseUrl,
      streamPath: settings.streamPath,
      queryPath: settings.queryPath,
      getToken: () => this.tokens.get(),
      streaming: settings.streaming,
      timeouts: settings.timeouts,
      transport,
      ...(proxyUrl ? { proxyUrl } : {}),
      ...(ca ? { ca } : {}),
      // Never false: the request carries the token, and VS Code's own fetch keeps checking certificates too.
      rejectUnauthorized: true,
      headers: this.extraHeaders,
      log: (level: LogLevel, message: string) => this.log[level](message),
      onStreamingStatus: this.onStreamingStatus,
    });
    this.current = { client, key, baseUrl };
    const route = own
      ? `own connection (proxy: ${proxyUrl ? 'tejarat.proxy' : 'environment or none'}, extra CA: ${ca ? 'tejarat.caFile' : 'no'})`
      : "VS Code's network stack (its proxy settings and the system's certificates)";
    const seconds = (ms: number): number => Math.round(ms / 100) / 10;
    this.log.info(
      `Core client for ${baseUrl} (streaming: ${settings.streaming}, ${route}, timeouts: connect ${seconds(settings.timeouts.connectMs)} s, answer ${seconds(settings.timeouts.answerMs)} s, idle ${seconds(settings.timeouts.idleMs)} s).`,
    );
    // The old client may still be answering a question; its close() lets running requests finish.
    if (previous) void previous.client.close().catch(() => undefined);
    return { ok: true, client, baseUrl };
  }

  /**
   * `http.proxyStrictSSL: false` turns off certificate checks for VS Code's own requests (the marketplace, updates),
   * not for the extension host's fetch. Tejarat's requests carry the token, so they keep checking too; the user
   * is told once per window why a certificate error may still appear, and every client build logs it.
   */
  private warnStrictSslOff(): void {
    this.log.warn(
      "http.proxyStrictSSL is off. Tejarat still checks the core's TLS certificate: its requests carry your access token. If the certificate is not trusted, add your company's CA to the operating system or set tejarat.caFile.",
    );
    const notice = vscode.l10n.t(
      "VS Code's http.proxyStrictSSL is off, but Tejarat still checks the core's certificate because its requests carry your access token. If the certificate is not trusted, add your company's CA to the operating system or set tejarat.caFile.",
    );
    if (this.shownNotices.includes(notice)) return;
    this.shownNotices.push(notice);
    const showLog = vscode.l10n.t('Show Log');
    void vscode.window.showWarningMessage(notice, showLog).then((choice) => {
      if (choice === showLog) this.log.show();
    });
  }

  /** The notifications shown so far in this window (for the test API). */
  get notices(): readonly string[] {
    return this.shownNotices;
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

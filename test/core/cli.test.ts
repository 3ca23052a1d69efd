// The CLI as a person runs it: the built dist/cli.js in a child process against the local core, checked by
// what it prints and the exit code it leaves.
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startCoreServer, type RunningCoreServer } from '../core-server/server';
import { askOnce } from './helpers';

const CLI = 'dist/cli.js';
const QUESTION = 'How do I set the access token?';

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function cli(args: string[], env: Record<string, string | undefined> = {}): Promise<Run> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [CLI, ...args], { env: { PATH: process.env.PATH, ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (data: Buffer) => (stdout += data.toString()));
    child.stderr.on('data', (data: Buffer) => (stderr += data.toString()));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('CLI (dist/cli.js)', function () {
  let core: RunningCoreServer;
  let env: Record<string, string>;
  let reference: string;

  before(async function () {
    if (!existsSync(CLI)) spawnSync(process.execPath, ['esbuild.mjs'], { stdio: 'ignore' });
    core = await startCoreServer({ paceMs: 0 });
    env = { TEJARAT_CORE_URL: core.url, TEJARAT_TOKEN: core.token ?? '' };
    reference = (await askOnce(core, '', QUESTION, { streaming: 'never' })).text;
  });
  after(async () => core.close());
  beforeEach(() => {
    core.setStreaming(true);
    core.resetStats();
  });

  it('ask streams the answer to stdout, sources and details to stderr, and exits 0', async function () {
    const run = await cli(['ask', QUESTION], env);
    assert.equal(run.code, 0, run.stderr);
    assert.equal(run.stdout, `${reference}\n`);
    assert.match(run.stderr, /Sources:\n {2}1\. .+ <https:\/\/docs\.tejarat\.chat\//);
    assert.match(run.stderr, /tejarat-extractive-1 · \d+ tokens · \d+ ms/);
    assert.equal(core.stats.stream, 1);
  });

  it('ask --json prints one normalized event per line', async function () {
    const run = await cli(['ask', '--json', '--conversation', 'c-1', '--language', 'en', QUESTION], env);
    assert.equal(run.code, 0);
    const events = run.stdout.trim().split('\n').map((line) => JSON.parse(line) as { type: string; content?: string; mode?: string });
    assert.equal(events[0]?.type, 'start');
    assert.equal(events.at(-1)?.type, 'end');
    assert.equal(events.filter((event) => event.type === 'chunk').map((event) => event.content).join(''), reference);
    assert.deepEqual(core.lastRequest?.body, { query: QUESTION, conversation_id: 'c-1', language: 'en' });
  });

  it('ask --no-stream uses the normal request and says so; a core without streaming falls back by itself', async function () {
    const forced = await cli(['ask', '--no-stream', QUESTION], env);
    assert.equal(forced.code, 0);
    assert.equal(forced.stdout, `${reference}\n`);
    assert.match(forced.stderr, /non-streaming/);
    assert.deepEqual(core.stats, { stream: 0, query: 1 });
    core.setStreaming(false);
    const fallback = await cli(['ask', '--url', core.url, QUESTION], { TEJARAT_TOKEN: core.token ?? '' });
    assert.equal(fallback.code, 0);
    assert.equal(fallback.stdout, `${reference}\n`);
  });

  it('reads the token from --token-file', async function () {
    const file = join(mkdtempSync(join(tmpdir(), 'tejarat-')), 'token');
    writeFileSync(file, `${core.token ?? ''}\n`);
    const run = await cli(['ask', '--token-file', file, QUESTION], { TEJARAT_CORE_URL: core.url });
    assert.equal(run.code, 0, run.stderr);
  });

  it('exits 3 for a rejected or missing token, without printing the token', async function () {
    const wrong = await cli(['ask', QUESTION], { ...env, TEJARAT_TOKEN: 'wrong-secret-token' });
    assert.equal(wrong.code, 3);
    assert.match(wrong.stderr, /rejected the access token/);
    assert.ok(!`${wrong.stdout}${wrong.stderr}`.includes('wrong-secret-token'));
    const missing = await cli(['ask', QUESTION], { TEJARAT_CORE_URL: core.url });
    assert.equal(missing.code, 3);
    assert.match(missing.stderr, /No access token/);
  });

  it('exits 4 when the core cannot be reached, 5 for a server or protocol error', async function () {
    const unreachable = await cli(['ask', '--url', 'http://127.0.0.1:9', QUESTION], env);
    assert.equal(unreachable.code, 4);
    assert.match(unreachable.stderr, /refused/);
    const server = await cli(['ask', '--header', 'x-tejarat-scenario: status=500', QUESTION], env);
    assert.equal(server.code, 5);
    assert.match(server.stderr, /500/);
    const protocol = await cli(['ask', '--header', 'x-tejarat-scenario: malformed-after=2', QUESTION], env);
    assert.equal(protocol.code, 5);
    assert.match(protocol.stderr, /cut off/);
    assert.ok(protocol.stdout.length > 0 && reference.startsWith(protocol.stdout.trimEnd()), 'the partial answer is printed');
  });

  it('exits 2 for usage errors, and refuses a token given as an argument', async function () {
    for (const args of [[], ['ask'], ['frobnicate'], ['ask', '--language', 'de', 'q'], ['ask', '--bogus', 'q'], ['ask', '--url', 'ftp://x', 'q']]) {
      const run = await cli(args, env);
      assert.equal(run.code, 2, `${args.join(' ')}: ${run.stderr}`);
      assert.match(run.stderr, /tejarat: /);
    }
    const token = await cli(['ask', '--token', 'abc', 'q'], env);
    assert.equal(token.code, 2);
    assert.match(token.stderr, /never as an argument/);
  });

  it('refuses to send the token over plain http to another host (exit 2, no request), unless --allow-insecure-http', async function () {
    // .invalid never resolves: had the CLI tried, it would fail with a network error (exit 4), not a usage error.
    const flag = await cli(['ask', '--url', 'http://core.example.invalid', QUESTION], env);
    assert.equal(flag.code, 2, flag.stderr);
    assert.match(flag.stderr, /--url: Refusing to send your token in clear text to core\.example\.invalid\. .*--allow-insecure-http/);
    const fromEnvironment = await cli(['check'], { ...env, TEJARAT_CORE_URL: 'http://10.1.2.3:8080' });
    assert.equal(fromEnvironment.code, 2);
    assert.match(fromEnvironment.stderr, /TEJARAT_CORE_URL: Refusing to send your token in clear text to 10\.1\.2\.3:8080/);
    assert.equal(fromEnvironment.stdout, '');
    assert.deepEqual(core.stats, { stream: 0, query: 0 });
    // With the flag the URL is used (a loopback port that refuses: exit 4, a network error, not a usage error).
    const allowed = await cli(['ask', '--allow-insecure-http', '--url', 'http://127.0.0.1:9', QUESTION], env);
    assert.equal(allowed.code, 4, allowed.stderr);
  });

  it('check reports reachable, token accepted and streaming or fallback, with exit codes', async function () {
    const active = await cli(['check'], env);
    assert.equal(active.code, 0);
    assert.match(active.stdout, /Reachable: {2}yes\nToken: {6}accepted\nStreaming: {2}active/);
    core.setStreaming(false);
    const fallback = await cli(['check'], env);
    assert.equal(fallback.code, 0);
    assert.match(fallback.stdout, /Streaming: {2}fallback: the stream endpoint answered 404/);
    assert.match(fallback.stdout, /\nTimings: {4}connect \d+ ms, headers \d+ ms, first event -, total \d+ ms\nNetwork: {4}direct\nTrust: {6}no TLS \(plain http\)\n/);
    core.setStreaming(true);
    const timed = await cli(['check'], env);
    assert.match(timed.stdout, /\nTimings: {4}connect \d+ ms, headers \d+ ms, first event \d+ ms, total \d+ ms\n/);
    core.setStreaming(false);
    const json = await cli(['check', '--json'], env);
    const report = JSON.parse(json.stdout) as { streaming: string; timings: Record<string, number>; network: unknown };
    assert.equal(report.streaming, 'fallback');
    assert.deepEqual(Object.keys(report.timings).sort(), ['connectMs', 'headersMs', 'totalMs']);
    assert.deepEqual(report.network, { path: 'direct', trust: 'not-tls' });
    const rejected = await cli(['check'], { ...env, TEJARAT_TOKEN: 'nope' });
    assert.equal(rejected.code, 3);
    assert.match(rejected.stdout, /Token: {6}rejected/);
    const unreachable = await cli(['check', '--url', 'http://127.0.0.1:9'], env);
    assert.equal(unreachable.code, 4);
    assert.match(unreachable.stdout, /Reachable: {2}no/);
  });

  it('Ctrl+C aborts the request at once and exits 130, keeping what was printed', async function () {
    const child = spawn(process.execPath, [CLI, 'ask', '--header', 'x-tejarat-scenario: pace=100', QUESTION], { env: { PATH: process.env.PATH, ...env } });
    let stdout = '';
    let interruptedAt = 0;
    child.stdout.on('data', (data: Buffer) => {
      stdout += data.toString();
      if (!interruptedAt && stdout.length >= 12) {
        interruptedAt = Date.now();
        child.kill('SIGINT');
      }
    });
    const code = await new Promise<number | null>((resolve) => child.on('close', (exitCode) => resolve(exitCode)));
    assert.equal(code, 130);
    assert.ok(Date.now() - interruptedAt < 2000);
    assert.ok(stdout.length < reference.length && reference.startsWith(stdout.trimEnd()));
  });
});

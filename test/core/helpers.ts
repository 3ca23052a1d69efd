// What the client tests share: a client pointed at the local core with a scenario, and one answer read
// whole into what a person would see (its text, sources, end or error).
import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createCoreClient, type AskEvent, type CoreClient, type CoreClientOptions, type CoreErrorInfo, type Source } from '../../src/core';
import type { RunningCoreServer } from '../core-server/server';

export interface Answer {
  events: AskEvent[];
  text: string;
  start?: Extract<AskEvent, { type: 'start' }>;
  sources?: Source[];
  end?: Extract<AskEvent, { type: 'end' }>;
  error?: CoreErrorInfo;
}

let keys = 0;

export function clientFor(server: RunningCoreServer, scenario = '', options: Partial<CoreClientOptions> = {}): CoreClient {
  return createCoreClient({
    baseUrl: server.url,
    getToken: () => server.token ?? undefined,
    retry: { baseDelayMs: 5, maxDelayMs: 50 },
    timeouts: { connectMs: 2_000, answerMs: 2_000, idleMs: 2_000 },
    ...options,
    headers: { 'x-tejarat-scenario': scenario, 'x-tejarat-scenario-key': `key-${process.pid}-${++keys}`, ...options.headers },
  });
}

export async function collect(events: AsyncIterable<AskEvent>): Promise<Answer> {
  const answer: Answer = { events: [], text: '' };
  for await (const event of events) {
    answer.events.push(event);
    if (event.type === 'chunk') answer.text += event.content;
    else if (event.type === 'start') answer.start = event;
    else if (event.type === 'sources') answer.sources = event.sources;
    else if (event.type === 'end') answer.end = event;
    else answer.error = event.error;
  }
  return answer;
}

export async function askOnce(server: RunningCoreServer, scenario: string, query = 'How do I set the access token?', options: Partial<CoreClientOptions> = {}): Promise<Answer> {
  const client = clientFor(server, scenario, options);
  try {
    return await collect(client.ask({ query }));
  } finally {
    await client.close();
  }
}

/** The sequence of event types, chunks collapsed: what "the same sequence" means for a UI. */
export function shape(answer: Answer): string {
  return answer.events
    .map((event) => event.type)
    .filter((type, index, all) => type !== 'chunk' || all[index - 1] !== 'chunk')
    .join(' ');
}

/** A throwaway loopback server for behaviour the RAG Core stand-in does not play (socket close, redirects). */
export async function listen(handler: Parameters<typeof createServer>[1]): Promise<{ url: string; server: Server; close(): Promise<void> }> {
  const server = createServer(handler);
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    server,
    close: async () => {
      server.closeAllConnections();
      server.close();
    },
  };
}

export interface AbortedStream {
  /** The last event the client gave: the error that ends the answer. */
  last: AskEvent | undefined;
  text: string;
  /** From the abort to the server seeing its socket close. */
  closeDelayMs: number;
}

/**
 * Asks a server that streams chunks forever and aborts once `abortAfterChars` of text arrived. A stream that never
 * ends closes only because the client closed it, so how soon it closes after the abort is what Stop costs.
 */
export async function abortMidStream(options: Partial<CoreClientOptions>, abortAfterChars = 5): Promise<AbortedStream> {
  let closedAt = 0;
  const endless = await listen((request, response) => {
    response.writeHead(200, { 'content-type': 'text/event-stream' });
    response.write('data: {"type":"start"}\n\n');
    const timer = setInterval(() => response.write('data: {"type":"chunk","content":"x"}\n\n'), 10);
    request.socket.on('close', () => {
      closedAt = Date.now();
      clearInterval(timer);
    });
  });
  const client = createCoreClient({ baseUrl: endless.url, getToken: () => 't', ...options });
  const controller = new AbortController();
  let text = '';
  let abortedAt = 0;
  let last: AskEvent | undefined;
  try {
    for await (const event of client.ask({ query: 'How do I set the access token?' }, { signal: controller.signal })) {
      last = event;
      if (event.type === 'chunk') text += event.content;
      if (text.length >= abortAfterChars && !abortedAt) {
        abortedAt = Date.now();
        controller.abort();
      }
    }
    // The server notices a closed socket on its next turn of the event loop; a socket left open never closes.
    for (let waited = 0; closedAt === 0 && waited < 5_000; waited += 20) await new Promise((resolve) => setTimeout(resolve, 20));
  } finally {
    await client.close();
    await endless.close();
  }
  return { last, text, closeDelayMs: closedAt === 0 ? Infinity : closedAt - abortedAt };
}


// HTTPS in front of the local core for the certificate tests: a certificate for 127.0.0.1 signed by a given CA, and
// a TLS front that decrypts and passes every connection on to the core's plain-http port (both on loopback).
import { readFileSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { createServer } from 'node:tls';
import { createAuthority, loopbackCertificate, type Identity } from '../../core-server/tls';

export type Authority = Identity;
export { createAuthority, loopbackCertificate };

/** The CA that run.mjs put into the system's bundle for this code-server, or why there is none. */
export function systemAuthority(): Authority | { unavailable: string } {
  const certPath = process.env.TEJARAT_SUITE_SYSTEM_CA;
  const keyPath = process.env.TEJARAT_SUITE_SYSTEM_CA_KEY;
  if (!certPath || !keyPath) {
    return { unavailable: process.env.TEJARAT_SUITE_SYSTEM_CA_UNAVAILABLE ?? 'the suite was not started by test/vscode/run.mjs' };
  }
  return { cert: readFileSync(certPath, 'utf8'), key: readFileSync(keyPath, 'utf8') };
}

export interface TlsFront {
  /** `https://127.0.0.1:PORT` */
  url: string;
  /** TLS handshakes that completed (a refused certificate never completes one). */
  readonly handshakes: number;
  close(): Promise<void>;
}

/** HTTPS on a free loopback port, passed on to the plain-http core at `corePort`. */
export async function startTlsFront(corePort: number, identity: { cert: string; key: string }): Promise<TlsFront> {
  const sockets = new Set<Socket>();
  let handshakes = 0;
  const server = createServer({ cert: identity.cert, key: identity.key }, (client) => {
    handshakes += 1;
    const upstream = connect(corePort, '127.0.0.1');
    client.pipe(upstream).pipe(client);
    for (const socket of [client, upstream]) {
      sockets.add(socket);
      socket.on('error', () => undefined);
      socket.on('close', () => sockets.delete(socket));
    }
  });
  server.on('tlsClientError', () => undefined);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    url: `https://127.0.0.1:${port}`,
    get handshakes() {
      return handshakes;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

// A private certificate authority and a loopback server certificate signed by it, made fresh for each test run,
// like a company CA or a TLS-inspecting proxy's root. Trust comes only from handing `caPem` to the client: nothing
// is written to the machine's trust store.
import selfsigned from 'selfsigned';

export interface TestCertificates {
  /** The CA certificate (PEM): what a client must trust. */
  caPem: string;
  /** The CA's private key (PEM), to sign more certificates with. */
  caKey: string;
  /** The server's private key (PEM), for `startCoreServer({ tls })`. */
  key: string;
  /** The server's certificate (PEM), signed by the CA, for localhost, 127.0.0.1 and ::1. */
  cert: string;
}

const HOUR_MS = 3600_000;

/** A certificate and its private key, both PEM. */
export interface Identity {
  cert: string;
  key: string;
}

function validity(): { notBeforeDate: Date; notAfterDate: Date } {
  const now = Date.now();
  // An hour back, so a clock a little behind does not reject a certificate made a moment ago.
  return { notBeforeDate: new Date(now - HOUR_MS), notAfterDate: new Date(now + 30 * 24 * HOUR_MS) };
}

/**
 * A CA of the test's own, which nothing trusts unless told to (a company CA the machine does not know). EC P-256
 * keys (fast to make) and SHA-256 signatures. The certificates carry no key identifiers (selfsigned cannot add
 * them): Node's TLS and undici verify the chain without them; `openssl verify -x509_strict` does not.
 */
export async function createAuthority(commonName: string): Promise<Identity> {
  const ca = await selfsigned.generate(
    [
      { name: 'commonName', value: commonName },
      { name: 'organizationName', value: 'Tejarat Chat tests' },
    ],
    {
      ...validity(),
      keyType: 'ec',
      algorithm: 'sha256',
      extensions: [
        { name: 'basicConstraints', cA: true, pathLenConstraint: 0, critical: true },
        { name: 'keyUsage', keyCertSign: true, cRLSign: true, digitalSignature: true, critical: true },
      ],
    },
  );
  return { cert: ca.cert, key: ca.private };
}

/** A server certificate for localhost, 127.0.0.1 and ::1, signed by `ca`. */
export async function loopbackCertificate(ca: Identity): Promise<Identity> {
  const leaf = await selfsigned.generate([{ name: 'commonName', value: 'localhost' }], {
    ...validity(),
    keyType: 'ec',
    algorithm: 'sha256',
    ca: { key: ca.key, cert: ca.cert },
    extensions: [
      { name: 'basicConstraints', cA: false, critical: true },
      { name: 'keyUsage', digitalSignature: true, critical: true },
      { name: 'extKeyUsage', serverAuth: true },
      {
        name: 'subjectAltName',
        altNames: [
          { type: 2, value: 'localhost' },
          { type: 7, ip: '127.0.0.1' },
          { type: 7, ip: '::1' },
        ],
      },
    ],
  });
  return { cert: leaf.cert, key: leaf.private };
}

export async function createTestCertificates(): Promise<TestCertificates> {
  const ca = await createAuthority('Tejarat Chat Test Root CA');
  const leaf = await loopbackCertificate(ca);
  return { caPem: ca.cert, caKey: ca.key, key: leaf.key, cert: leaf.cert };
}

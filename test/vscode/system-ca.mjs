// A private CA in "the operating system's certificates" for one code-server, without touching the machine's trust
// store: code-server runs in a private mount namespace in which the CA bundle VS Code reads on Linux
// (@vscode/proxy-agent's readLinuxCaCertificates: the first of these files that exists) is replaced by a bind mount
// of a copy with the test CA appended. Nothing outside that namespace sees the change, and it ends with the process.
// Used by run.mjs for the integration suite; the suite learns the CA from TEJARAT_SUITE_SYSTEM_CA(_KEY), or why
// there is none from TEJARAT_SUITE_SYSTEM_CA_UNAVAILABLE.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import selfsigned from 'selfsigned';

const LINUX_BUNDLES = ['/etc/ssl/certs/ca-certificates.crt', '/etc/ssl/certs/ca-bundle.crt', '/etc/ssl/ca-bundle.pem'];
const HOUR_MS = 3600_000;

/** `unshare` flags that give this process a mount namespace it may bind-mount in, or a reason why there is none. */
function namespaceFlags() {
  if (process.platform !== 'linux') return { reason: `VS Code reads the system's certificates from the keychain or certificate store on ${process.platform}, not from a file` };
  // As root a mount namespace alone; otherwise inside a user namespace of our own, where we may mount.
  for (const flags of [['-m'], ['-r', '-m']]) {
    const probe = spawnSync('unshare', [...flags, '--propagation', 'private', 'true'], { encoding: 'utf8' });
    if (probe.status === 0) return { flags };
  }
  return { reason: 'unshare cannot create a private mount namespace here (not root, and no user namespaces)' };
}

/**
 * Makes the CA and the bundle in `dir`. Returns how to start code-server (`wrapper`, a command prefix) and the
 * environment for the suite.
 * @returns {Promise<{ wrapper?: string[], env: Record<string, string> }>}
 */
export async function privateSystemCa(dir) {
  const target = LINUX_BUNDLES.find((path) => existsSync(path));
  const namespace = namespaceFlags();
  const reason = namespace.reason ?? (target ? undefined : `none of ${LINUX_BUNDLES.join(', ')} exists`);
  if (reason) return { env: { TEJARAT_SUITE_SYSTEM_CA_UNAVAILABLE: reason } };

  const now = Date.now();
  const ca = await selfsigned.generate([{ name: 'commonName', value: 'Tejarat Chat Test System CA' }], {
    notBeforeDate: new Date(now - HOUR_MS),
    notAfterDate: new Date(now + 24 * HOUR_MS),
    keyType: 'ec',
    algorithm: 'sha256',
    extensions: [
      { name: 'basicConstraints', cA: true, pathLenConstraint: 0, critical: true },
      { name: 'keyUsage', keyCertSign: true, cRLSign: true, digitalSignature: true, critical: true },
    ],
  });
  const certPath = join(dir, 'system-ca.pem');
  const keyPath = join(dir, 'system-ca.key');
  const bundlePath = join(dir, 'ca-certificates.crt');
  writeFileSync(certPath, ca.cert);
  writeFileSync(keyPath, ca.private, { mode: 0o600 });
  const system = readFileSync(target, 'utf8');
  writeFileSync(bundlePath, `${system}${system.endsWith('\n') ? '' : '\n'}${ca.cert.trim()}\n`);
  return {
    // unshare and sh exec in turn, so the process started is code-server itself (its group is stopped as usual).
    wrapper: ['unshare', ...namespace.flags, '--propagation', 'private', '--', 'sh', '-c', 'mount --bind "$0" "$1" && shift && exec "$@"', bundlePath, target],
    env: { TEJARAT_SUITE_SYSTEM_CA: certPath, TEJARAT_SUITE_SYSTEM_CA_KEY: keyPath },
  };
}

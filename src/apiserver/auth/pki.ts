// The serving PKI of the apiserver: a self-signed CA and a serving certificate signed
// by it, made on first start and reused afterwards (kubeadm's certs phase, in small:
// ca.crt/ca.key and apiserver.crt/apiserver.key under one directory), plus the admin
// bearer token. Keys are RSA 2048 made by node:crypto (fast, native); node-forge only
// builds and signs the X.509 structures, which node:crypto cannot do.
import { generateKeyPairSync, randomBytes, X509Certificate } from 'node:crypto';
import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import { isIP } from 'node:net';
import { join } from 'node:path';
import forge from 'node-forge';

export interface Pki {
  caCertPem: string;
  certPem: string;
  keyPem: string;
}

export const CA_CERT_FILE = 'ca.crt';
export const CA_KEY_FILE = 'ca.key';
export const SERVING_CERT_FILE = 'apiserver.crt';
export const SERVING_KEY_FILE = 'apiserver.key';
export const TOKEN_FILE = 'admin-token';

/** 10 years for the CA and 1 year for the serving certificate, as kubeadm does. */
const CA_VALIDITY_MS = 10 * 365 * 24 * 3600 * 1000;
const SERVING_VALIDITY_MS = 365 * 24 * 3600 * 1000;

/** The names every serving certificate covers, plus the listen host. */
export function servingNames(host: string): string[] {
  const names = new Set(['127.0.0.1', 'localhost', '::1']);
  if (host && host !== '0.0.0.0' && host !== '::') {
    names.add(host);
  }
  return [...names];
}

async function readIfExists(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') {
      return undefined;
    }
    throw e;
  }
}

function newKeyPair(): { publicKeyPem: string; privateKeyPem: string } {
  const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return {
    publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
    privateKeyPem: privateKey.export({ type: 'pkcs1', format: 'pem' }).toString(),
  };
}

function serial(): string {
  // A positive 16-byte serial (RFC 5280 §4.1.2.2: at most 20 octets, non-negative).
  const b = randomBytes(16);
  b[0] = b[0]! & 0x7f;
  return b.toString('hex');
}

function makeCa(nowMs: number): { certPem: string; keyPem: string } {
  const keys = newKeyPair();
  const cert = forge.pki.createCertificate();
  cert.publicKey = forge.pki.publicKeyFromPem(keys.publicKeyPem);
  cert.serialNumber = serial();
  cert.validity.notBefore = new Date(nowMs - 60_000);
  cert.validity.notAfter = new Date(nowMs + CA_VALIDITY_MS);
  const subject = [{ name: 'commonName', value: 'podbay-ca' }];
  cert.setSubject(subject);
  cert.setIssuer(subject);
  cert.setExtensions([
    { name: 'basicConstraints', cA: true, critical: true },
    { name: 'keyUsage', keyCertSign: true, cRLSign: true, digitalSignature: true, critical: true },
    { name: 'subjectKeyIdentifier' },
  ]);
  cert.sign(forge.pki.privateKeyFromPem(keys.privateKeyPem), forge.md.sha256.create());
  return { certPem: forge.pki.certificateToPem(cert), keyPem: keys.privateKeyPem };
}

function makeServing(
  ca: { certPem: string; keyPem: string },
  names: string[],
  nowMs: number,
): { certPem: string; keyPem: string } {
  const keys = newKeyPair();
  const caCert = forge.pki.certificateFromPem(ca.certPem);
  const cert = forge.pki.createCertificate();
  cert.publicKey = forge.pki.publicKeyFromPem(keys.publicKeyPem);
  cert.serialNumber = serial();
  cert.validity.notBefore = new Date(nowMs - 60_000);
  cert.validity.notAfter = new Date(nowMs + SERVING_VALIDITY_MS);
  cert.setSubject([{ name: 'commonName', value: 'podbay-apiserver' }]);
  cert.setIssuer(caCert.subject.attributes);
  cert.setExtensions([
    { name: 'basicConstraints', cA: false },
    { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true },
    { name: 'extKeyUsage', serverAuth: true },
    {
      name: 'subjectAltName',
      altNames: names.map((n) => (isIP(n) ? { type: 7, ip: n } : { type: 2, value: n })),
    },
  ]);
  cert.sign(forge.pki.privateKeyFromPem(ca.keyPem), forge.md.sha256.create());
  return { certPem: forge.pki.certificateToPem(cert), keyPem: keys.privateKeyPem };
}

/** True when the certificate covers every name and is valid for at least another day. */
function coversNames(certPem: string, names: string[], nowMs: number): boolean {
  const cert = new X509Certificate(certPem);
  if (Date.parse(cert.validTo) < nowMs + 24 * 3600 * 1000) {
    return false;
  }
  return names.every((n) => (isIP(n) ? cert.checkIP(n) !== undefined : cert.checkHost(n) !== undefined));
}

async function writePrivate(path: string, data: string): Promise<void> {
  await writeFile(path, data, { mode: 0o600 });
  await chmod(path, 0o600);
}

/**
 * Loads the CA and serving certificate from dir, making whichever is missing. The
 * serving certificate is made again (by the same CA) when it lacks one of the names
 * (the listen host changed) or is about to expire.
 */
export async function ensurePki(dir: string, host: string, nowMs: number): Promise<Pki> {
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const names = servingNames(host);
  let caCertPem = await readIfExists(join(dir, CA_CERT_FILE));
  let caKeyPem = await readIfExists(join(dir, CA_KEY_FILE));
  if (!caCertPem || !caKeyPem) {
    const ca = makeCa(nowMs);
    caCertPem = ca.certPem;
    caKeyPem = ca.keyPem;
    await writeFile(join(dir, CA_CERT_FILE), caCertPem, { mode: 0o644 });
    await writePrivate(join(dir, CA_KEY_FILE), caKeyPem);
  }
  let certPem = await readIfExists(join(dir, SERVING_CERT_FILE));
  let keyPem = await readIfExists(join(dir, SERVING_KEY_FILE));
  if (!certPem || !keyPem || !coversNames(certPem, names, nowMs)) {
    const serving = makeServing({ certPem: caCertPem, keyPem: caKeyPem }, names, nowMs);
    certPem = serving.certPem;
    keyPem = serving.keyPem;
    await writeFile(join(dir, SERVING_CERT_FILE), certPem, { mode: 0o644 });
    await writePrivate(join(dir, SERVING_KEY_FILE), keyPem);
  }
  return { caCertPem, certPem, keyPem };
}

/** Reads the admin token from dir, or makes a random one (32 bytes, hex) stored 0600. */
export async function ensureToken(dir: string): Promise<string> {
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const path = join(dir, TOKEN_FILE);
  const existing = (await readIfExists(path))?.trim();
  if (existing) {
    return existing;
  }
  const token = randomBytes(32).toString('hex');
  await writePrivate(path, token + '\n');
  return token;
}

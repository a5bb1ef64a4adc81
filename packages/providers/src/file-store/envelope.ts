// The encrypted envelope of a file store: one header line (JSON, authenticated as GCM additional data) and
// one line of base64 ciphertext + tag. Node's crypto only: scrypt (memory-hard) turns a passphrase into
// the AES-256-GCM key; a key file goes through HKDF-SHA256 with the file's salt.
// argon2 from npm was not used: its packages fetch or compile a native binary at install time, which
// the project's machines cannot do; scrypt at N=2^17, r=8, p=1 (128 MiB) meets OWASP's guidance.
import { createCipheriv, createDecipheriv, hkdfSync, randomBytes, scrypt as scryptCb } from 'node:crypto';
import { SvmError } from '@svm/core';

/** How the key was derived, as written in the header. */
export type KdfParams =
  | { name: 'scrypt'; N: number; r: number; p: number; salt: string }
  | { name: 'hkdf-sha256'; salt: string };

/** The header line (authenticated, not encrypted). */
export interface EnvelopeHeader {
  format: 'svm-file-store';
  v: 1;
  cipher: 'aes-256-gcm';
  kdf: KdfParams;
  iv: string;
}

/** What unlocks a store: a passphrase, or the bytes of a key file. */
export type KeySource = { passphrase: string } | { keyFileBytes: Buffer; keyFilePath?: string | undefined };

/** Default scrypt cost (2^17): about 128 MiB and a few hundred ms per open. */
export const DEFAULT_SCRYPT_COST = 2 ** 17;
/** Lowest accepted cost when reading or creating a store (2^14, for tests and small machines). */
export const MIN_SCRYPT_COST = 2 ** 14;
/**
 * Highest accepted cost (2^18, 256 MiB). The header's KDF parameters are read before the file can be
 * authenticated, so only what svm writes is accepted: N a power of two in 2^14 … 2^18, r = 8, p = 1.
 * Anything else is refused before any key derivation, so a tampered header cannot make opening slow or
 * allocate gigabytes.
 */
export const MAX_SCRYPT_COST = 2 ** 18;
const SCRYPT_R = 8;
const SCRYPT_P = 1;
const KDF_REFUSED =
  'cannot open the file store: its header has KDF parameters svm never writes (scrypt N must be a power of two in 2^14…2^18, r = 8, p = 1); the file was modified';

const DECRYPT_MESSAGE = 'cannot open the file store: wrong passphrase or key, or the file was modified';

/** Fresh KDF parameters for a new store. */
export function newKdf(source: KeySource, cost: number = DEFAULT_SCRYPT_COST): KdfParams {
  const salt = randomBytes(16).toString('base64');
  if ('passphrase' in source) {
    if (!Number.isInteger(Math.log2(cost)) || cost < MIN_SCRYPT_COST || cost > MAX_SCRYPT_COST)
      throw new SvmError('INPUT_INVALID', `scrypt cost must be a power of two between 2^14 and 2^18, got ${cost}`);
    return { name: 'scrypt', N: cost, r: SCRYPT_R, p: SCRYPT_P, salt };
  }
  return { name: 'hkdf-sha256', salt };
}

/** Derive the 32-byte key for `kdf` from `source`. Throws DECRYPT_FAILED when the kind does not match. */
export async function deriveKey(source: KeySource, kdf: KdfParams): Promise<Buffer> {
  const salt = Buffer.from(kdf.salt, 'base64');
  if (kdf.name === 'scrypt') {
    if (!('passphrase' in source))
      throw new SvmError(
        'DECRYPT_FAILED',
        'cannot open the file store: it is protected by a passphrase (SVM_FILE_PASSPHRASE), not a key file',
      );
    const { N, r, p } = kdf;
    if (!validKdf(kdf)) throw new SvmError('DECRYPT_FAILED', KDF_REFUSED);
    const passphrase = Buffer.from(source.passphrase.normalize('NFC'), 'utf8');
    return new Promise((resolve, reject) => {
      scryptCb(passphrase, salt, 32, { N, r, p, maxmem: 256 * N * r * p + 1024 * 1024 }, (error, key) =>
        error
          ? reject(
              new SvmError(
                'DECRYPT_FAILED',
                `cannot derive the file store key (${(error as NodeJS.ErrnoException).code ?? 'scrypt'})`,
              ),
            )
          : resolve(key),
      );
    });
  }
  if (!('keyFileBytes' in source))
    throw new SvmError(
      'DECRYPT_FAILED',
      'cannot open the file store: it is protected by a key file (--key-file), not a passphrase',
    );
  return Buffer.from(
    hkdfSync('sha256', parseKeyFile(source.keyFileBytes, source.keyFilePath), salt, 'svm-file-store v1', 32),
  );
}

/**
 * A key file holds 32 random bytes: raw, as 64 hex digits, or base64 (e.g. `openssl rand -hex 32`).
 */
export function parseKeyFile(bytes: Buffer, path?: string): Buffer {
  if (bytes.length === 32) return bytes;
  const text = bytes.toString('utf8').trim();
  if (/^[0-9a-fA-F]{64}$/.test(text)) return Buffer.from(text, 'hex');
  if (/^[A-Za-z0-9+/]{42,44}={0,2}$/.test(text)) {
    const decoded = Buffer.from(text, 'base64');
    if (decoded.length === 32) return decoded;
  }
  throw new SvmError(
    'INPUT_INVALID',
    'a key file must hold 32 bytes: raw, 64 hex digits or base64 (e.g. openssl rand -hex 32)',
    {
      file: path,
    },
  );
}

/** Encrypt `plaintext` under `key`; the header (with a fresh IV) is authenticated too. */
export function seal(plaintext: Buffer, key: Buffer, kdf: KdfParams): Buffer {
  const header: EnvelopeHeader = {
    format: 'svm-file-store',
    v: 1,
    cipher: 'aes-256-gcm',
    kdf,
    iv: randomBytes(12).toString('base64'),
  };
  const headerLine = Buffer.from(JSON.stringify(header), 'utf8');
  const cipher = createCipheriv('aes-256-gcm', key, Buffer.from(header.iv, 'base64'));
  cipher.setAAD(headerLine);
  const body = Buffer.concat([cipher.update(plaintext), cipher.final(), cipher.getAuthTag()]);
  return Buffer.concat([headerLine, Buffer.from('\n'), Buffer.from(body.toString('base64')), Buffer.from('\n')]);
}

/** Split a file into its header (parsed, not yet trusted) and the raw pieces. */
export function readHeader(file: Buffer, path?: string): { header: EnvelopeHeader; headerLine: Buffer; body: Buffer } {
  const nl = file.indexOf(0x0a);
  const headerLine = nl < 0 ? file : file.subarray(0, nl);
  let header: EnvelopeHeader;
  try {
    header = JSON.parse(headerLine.toString('utf8')) as EnvelopeHeader;
  } catch {
    throw new SvmError('DECRYPT_FAILED', 'not an svm file store (the first line is not its header)', { file: path });
  }
  if (
    header?.format !== 'svm-file-store' ||
    header.v !== 1 ||
    header.cipher !== 'aes-256-gcm' ||
    typeof header.iv !== 'string' ||
    !header.kdf
  )
    throw new SvmError('DECRYPT_FAILED', 'not an svm file store, or one of an unknown version', { file: path });
  if (!validKdf(header.kdf)) throw new SvmError('DECRYPT_FAILED', KDF_REFUSED, { file: path });
  // Strict layout: exactly `header\nbase64\n` with canonical base64, so that no byte of the file can change
  // unnoticed (lenient base64 decoding would ignore a changed padding bit or a stray character).
  const rest = file.subarray(nl + 1);
  const bodyText = rest.subarray(0, rest.length - 1).toString('latin1');
  const body = Buffer.from(bodyText, 'base64');
  if (nl < 0 || rest[rest.length - 1] !== 0x0a || body.toString('base64') !== bodyText)
    throw new SvmError('DECRYPT_FAILED', DECRYPT_MESSAGE, { file: path });
  return { header, headerLine, body };
}

function validKdf(kdf: unknown): kdf is KdfParams {
  const k = kdf as Record<string, unknown>;
  if (typeof k !== 'object' || k === null || typeof k.salt !== 'string' || !/^[A-Za-z0-9+/]{22}==$/.test(k.salt))
    return false;
  if (k.name === 'hkdf-sha256') return Object.keys(k).length === 2;
  const int = (v: unknown, min: number, max: number): boolean =>
    Number.isInteger(v) && (v as number) >= min && (v as number) <= max;
  return (
    k.name === 'scrypt' &&
    Object.keys(k).length === 5 &&
    int(k.N, MIN_SCRYPT_COST, MAX_SCRYPT_COST) &&
    Number.isInteger(Math.log2(k.N as number)) &&
    k.r === SCRYPT_R &&
    k.p === SCRYPT_P
  );
}

/** Decrypt and authenticate. Any change to the header or the body, or a wrong key, fails the same way. */
export function unseal(
  parts: { header: EnvelopeHeader; headerLine: Buffer; body: Buffer },
  key: Buffer,
  path?: string,
): Buffer {
  const { header, headerLine, body } = parts;
  const iv = Buffer.from(header.iv, 'base64');
  if (iv.length !== 12 || body.length < 16) throw new SvmError('DECRYPT_FAILED', DECRYPT_MESSAGE, { file: path });
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, iv);
    decipher.setAAD(headerLine);
    decipher.setAuthTag(body.subarray(body.length - 16));
    return Buffer.concat([decipher.update(body.subarray(0, body.length - 16)), decipher.final()]);
  } catch {
    throw new SvmError('DECRYPT_FAILED', DECRYPT_MESSAGE, { file: path });
  }
}

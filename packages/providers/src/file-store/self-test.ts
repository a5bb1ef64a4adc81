import { randomBytes } from 'node:crypto';
import { isSvmError } from '@svm/core';
import { openStore } from '../open-store.js';

/** What {@link selfTestFileStore} found; never a value. */
export interface FileStoreSelfTest {
  /** The version ids of the two writes. */
  written: [string, string];
  /** The version ids read back as current and previous. */
  current: string;
  previous: string;
  /** Both values read back equal to what was written. */
  verified: boolean;
  /** Every version with its stage labels. */
  versions: Array<{ version: string; stages: string[] }>;
  /** A wrong passphrase was refused with `DECRYPT_FAILED`. */
  refused: boolean;
  /** verified, refused, and exactly two versions. */
  ok: boolean;
}

/**
 * Check that the encrypted file store works here: create a store at `path` with a random passphrase, write a random
 * secret twice, read the current and previous values back and compare them (never returning them), list the
 * versions, and check that a wrong passphrase is refused.
 *
 * @example
 * ```ts
 * (await selfTestFileStore(join(tmpdir(), 'check.svm'))).ok; // true
 * ```
 */
export async function selfTestFileStore(path: string, name = 'demo/db-password'): Promise<FileStoreSelfTest> {
  const uri = `file://${path}`;
  const passphrase = randomBytes(18).toString('base64url');
  const values = [randomBytes(24).toString('base64url'), randomBytes(24).toString('base64url')];
  const store = await openStore(uri, { env: {}, file: { passphrase } });
  const first = await store.put(name, values[0] as string);
  const second = await store.put(name, values[1] as string);
  const current = await store.get(name);
  const previous = await store.get(name, { stage: 'previous' });
  const versions = await store.versions(name);
  await store.close();
  const verified = current.value === values[1] && previous.value === values[0];

  let refused = false;
  try {
    const wrong = await openStore(uri, { env: {}, file: { passphrase: `${passphrase}-wrong` } });
    await wrong.get(name);
  } catch (error) {
    refused = isSvmError(error) && error.code === 'DECRYPT_FAILED';
  }
  return {
    written: [first.version, second.version],
    current: current.version,
    previous: previous.version,
    verified,
    versions: versions.map((v) => ({ version: v.version, stages: [...v.stages] })),
    refused,
    ok: verified && refused && versions.length === 2,
  };
}

import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { isSvmError } from '@svm/core';
import type { DemoContext, DemoStep } from './step.js';

/**
 * The file-store demo: create an encrypted store in the work folder, write a secret twice, read it back
 * and check it without printing it, list its versions, and show that a wrong passphrase is refused.
 */
export async function runSecretDemo(d: DemoContext): Promise<DemoStep> {
  const name = 'secret put/get';
  try {
    const { openStore } = await import('@svm/providers');
    const path = join(d.workDir, 'demo-secrets.svm');
    const uri = `file://${path}`;
    const passphrase = randomBytes(18).toString('base64url');
    const values = [randomBytes(24).toString('base64url'), randomBytes(24).toString('base64url')];
    const store = await openStore(uri, { env: {}, file: { passphrase } });
    const first = await store.put('demo/db-password', values[0] as string);
    const second = await store.put('demo/db-password', values[1] as string);
    const current = await store.get('demo/db-password');
    const previous = await store.get('demo/db-password', { stage: 'previous' });
    const versions = await store.versions('demo/db-password');
    await store.close();
    const verified = current.value === values[1] && previous.value === values[0];

    let refused = false;
    try {
      const wrong = await openStore(uri, { env: {}, file: { passphrase: `${passphrase}-wrong` } });
      await wrong.get('demo/db-password');
    } catch (error) {
      refused = isSvmError(error) && error.code === 'DECRYPT_FAILED';
    }

    const ok = verified && refused && versions.length === 2;
    return {
      name,
      status: ok ? 'ok' : 'failed',
      lines: [
        `created an AES-256-GCM file store (scrypt passphrase, mode 0600): ${path}`,
        `put demo/db-password twice: versions ${first.version} and ${second.version}`,
        `read back current (v${current.version}) and previous (v${previous.version}): ${verified ? 'values match' : 'VALUES DIFFER'} (not printed)`,
        `versions: ${versions.map((v) => `${v.version} [${v.stages.join(',') || '-'}]`).join(', ')}`,
        `wrong passphrase: ${refused ? 'refused (DECRYPT_FAILED, exit 2 in the CLI)' : 'NOT REFUSED'}`,
      ],
    };
  } catch (error) {
    const message = isSvmError(error)
      ? `${error.code}: ${error.message}`
      : ((error as Error)?.message ?? String(error));
    return { name, status: 'failed', lines: [message] };
  }
}

// The store-side of a rotation on AWS Secrets Manager (moto): stages map to AWSPENDING → AWSCURRENT → AWSPREVIOUS.
import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openStore } from '@svm/providers';
import { requireService } from '@svm/test-harness';
import { openFileJournal, rotate } from '../src/index.js';

const moto = requireService('moto');

describe.skipIf(!moto)('executor on AWS Secrets Manager (moto)', () => {
  it('overlap-window through a hook module: the new key passes AWSPENDING, becomes AWSCURRENT, the old one AWSPREVIOUS', async () => {
    const store = await openStore(`aws-sm://${moto!.region}?endpoint=${moto!.endpoint}`, {
      aws: { credentials: { accessKeyId: moto!.accessKeyId, secretAccessKey: moto!.secretAccessKey } },
    });
    const dir = mkdtempSync(join(tmpdir(), 'svm-exec-aws-'));
    const journal = await openFileJournal(join(dir, 'journal.jsonl'));
    const name = `svm-exec/${randomBytes(4).toString('hex')}/vendor-key`;
    try {
      await store.put(name, 'key-1');
      const hook = join(dir, 'hook.mjs');
      const { writeFileSync } = await import('node:fs');
      writeFileSync(
        hook,
        "let n = 1;\nexport const create = async () => ({ value: `key-${++n}`, keyId: `id-${n}` });\nexport const test = async ({ value }) => ({ ok: value.startsWith('key-') });\nexport const revoke = async () => ({ ok: true });\n",
      );
      const run = await rotate(
        { id: 'vendor-key', type: 'api-key', name, rotation: { hook, overlap: '1h' } },
        { store, journal },
      );
      expect(run?.outcome).toBe('rotated');
      expect((await store.get(name)).value).toBe('key-2');
      expect((await store.get(name, { stage: 'previous' })).value).toBe('key-1');
      const stages = (await store.versions(name))
        .map((v) => v.stages.join(','))
        .filter(Boolean)
        .sort();
      expect(stages).toEqual(['current', 'previous']);
    } finally {
      await store.destroy(name).catch(() => undefined);
      await store.close();
    }
  });
});

import { mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runSecretDemo } from '../src/demo/steps.ts';

describe('runSecretDemo', () => {
  it('writes two versions, verifies them without printing, and shows a wrong passphrase refused', async () => {
    const workDir = mkdtempSync(join(tmpdir(), 'svm-demo-'));
    const step = await runSecretDemo({ examplesDir: workDir, today: '2026-11-25', workDir });
    expect(step.status).toBe('ok');
    expect(step.lines.length).toBeGreaterThanOrEqual(3);
    expect(step.lines.length).toBeLessThanOrEqual(6);
    expect(step.lines.join('\n').split(workDir).join('<dir>')).toMatchInlineSnapshot(`
      "created an AES-256-GCM file store (scrypt passphrase, mode 0600): <dir>/demo-secrets.svm
      put demo/db-password twice: versions 1 and 2
      read back current (v2) and previous (v1): values match (not printed)
      versions: 2 [current], 1 [previous]
      wrong passphrase: refused (DECRYPT_FAILED, exit 2 in the CLI)"
    `);
    expect(statSync(join(workDir, 'demo-secrets.svm')).mode & 0o777).toBe(0o600);
  });
});

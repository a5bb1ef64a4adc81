import { mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { selfTestFileStore } from './self-test.js';

describe('selfTestFileStore', () => {
  it('round-trips two versions, refuses a wrong passphrase and returns no value', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'svm-self-test-')), 'check.svm');
    const t = await selfTestFileStore(path);
    expect(t).toEqual({
      written: ['1', '2'],
      current: '2',
      previous: '1',
      verified: true,
      versions: [
        { version: '2', stages: ['current'] },
        { version: '1', stages: ['previous'] },
      ],
      refused: true,
      ok: true,
    });
    expect(statSync(path).mode & 0o777).toBe(0o600);
  });
});

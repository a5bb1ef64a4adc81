import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fmtFromFlags } from './format-files.js';

function setup() {
  const cwd = mkdtempSync(join(tmpdir(), 'svm-fmt-'));
  writeFileSync(join(cwd, 'ugly.hcl'), 'path "secret/*" {capabilities=["read"]}\n');
  writeFileSync(join(cwd, 'tidy.hcl'), 'path "sys/*" {\n  capabilities = ["read"]\n}\n');
  return cwd;
}

describe('fmtFromFlags', () => {
  it('prints one file; --check lists the unformatted ones with exit 1; --write rewrites them', async () => {
    const cwd = setup();
    const one = await fmtFromFlags(['ugly.hcl'], {}, { cwd });
    expect(one.print).toMatchObject({ file: 'ugly.hcl', changed: true });
    expect(one.print?.formatted).toBe('path "secret/*" {\n  capabilities = ["read"]\n}\n');

    const check = await fmtFromFlags(['ugly.hcl', 'tidy.hcl'], { check: true }, { cwd });
    if (check.print) throw new Error('expected a check');
    expect(check.document).toEqual({
      files: [
        { file: 'ugly.hcl', changed: true },
        { file: 'tidy.hcl', changed: false },
      ],
      changed: ['ugly.hcl'],
    });
    expect(check.exitCode).toBe(1);
    expect(readFileSync(join(cwd, 'ugly.hcl'), 'utf8')).toContain('{capabilities');

    const write = await fmtFromFlags(['ugly.hcl', 'tidy.hcl'], { write: true }, { cwd });
    expect(write.print ? undefined : write.exitCode).toBe(0);
    expect(readFileSync(join(cwd, 'ugly.hcl'), 'utf8')).toBe('path "secret/*" {\n  capabilities = ["read"]\n}\n');
  });

  it('--check with --write, or several files to print, are usage errors', async () => {
    const cwd = setup();
    await expect(fmtFromFlags(['ugly.hcl'], { check: true, write: true }, { cwd })).rejects.toThrow(
      '--check and --write cannot be combined',
    );
    await expect(fmtFromFlags(['ugly.hcl', 'tidy.hcl'], {}, { cwd })).rejects.toThrow(
      'fmt prints one file; got 2. Use --check or --write for several files',
    );
  });
});

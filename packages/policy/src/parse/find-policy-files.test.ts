import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findPolicyFiles } from './find-policy-files.js';
import { loadPolicies } from './load-policies.js';

describe('findPolicyFiles', () => {
  let dir = '';
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'svm-find-policies-'));
    await mkdir(join(dir, 'team/nested'), { recursive: true });
    await mkdir(join(dir, 'node_modules'), { recursive: true });
    await mkdir(join(dir, '.git'), { recursive: true });
    const rule = 'path "secret/*" { capabilities = ["read"] }';
    for (const f of [
      'b.hcl',
      'a.json',
      'notes.txt',
      '.hidden.hcl',
      'team/c.hcl',
      'team/nested/d.hcl',
      'team/e.tf',
      'node_modules/x.hcl',
      '.git/y.hcl',
    ]) {
      await writeFile(
        join(dir, f),
        f.endsWith('.json') ? JSON.stringify({ path: { 'secret/*': { capabilities: ['read'] } } }) : rule,
      );
    }
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('lists the .hcl and .json files directly in a directory, sorted', async () => {
    expect((await findPolicyFiles(dir)).map((f) => f.slice(dir.length + 1))).toEqual(['a.json', 'b.hcl']);
  });
  it('descends into sub-directories when asked, skipping dot-directories and node_modules', async () => {
    const files = await findPolicyFiles(dir, { recursive: true, match: /\.(hcl|json|tf)$/i });
    expect(files.map((f) => f.slice(dir.length + 1))).toEqual([
      'a.json',
      'b.hcl',
      'team/c.hcl',
      'team/e.tf',
      'team/nested/d.hcl',
    ]);
  });
  it('is what loadPolicies uses for a directory (recursive on request)', async () => {
    expect((await loadPolicies([dir])).map((p) => p.name)).toEqual(['a', 'b']);
    expect((await loadPolicies([dir], { recursive: true })).map((p) => p.name)).toEqual(['a', 'b', 'c', 'd']);
  });
});

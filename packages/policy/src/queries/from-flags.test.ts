import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { changedPermissions, diffFromFlags, evalFromFlags, explainFromFlags, whoCanFromFlags } from './from-flags.js';

const cwd = mkdtempSync(join(tmpdir(), 'svm-policy-flags-'));
writeFileSync(join(cwd, 'app.hcl'), 'path "secret/data/app/*" {\n  capabilities = ["read"]\n}\n');
writeFileSync(join(cwd, 'admin.hcl'), 'path "sys/*" {\n  capabilities = ["read", "update"]\n}\n');
writeFileSync(join(cwd, 'app-v2.hcl'), 'path "secret/data/app/*" {\n  capabilities = ["read", "update"]\n}\n');
writeFileSync(join(cwd, 'cases.ndjson'), '{"path":"secret/data/app/db"}\n{"path":"sys/mounts","op":"update"}\n');
writeFileSync(join(cwd, 'paths.txt'), '# compared\nsecret/data/app/db\n');
const io = { cwd, read: async (file: string) => ({ text: readFileSync(join(cwd, file), 'utf8'), name: file }) };

describe('evalFromFlags', () => {
  it('decides one request, or every case of a --batch file', async () => {
    const one = await evalFromFlags({ policy: ['app.hcl'], path: 'secret/data/app/db' }, io);
    expect(one.batch).toBeUndefined();
    if (!one.batch) expect(one.result).toMatchObject({ path: 'secret/data/app/db', op: 'read', allowed: true });
    const batch = await evalFromFlags({ policy: ['app.hcl', 'admin.hcl'], batch: 'cases.ndjson' }, io);
    expect(batch.batch?.map((r) => r.allowed)).toEqual([true, true]);
  });

  it('checks the flag combination first', async () => {
    await expect(evalFromFlags({ policy: ['app.hcl'], batch: 'cases.ndjson', path: 'x' }, io)).rejects.toThrow(
      'do not combine it with --path, --data or --wrap-ttl',
    );
    await expect(evalFromFlags({ policy: ['app.hcl'] }, io)).rejects.toThrow(
      'give --path <path> (or --batch <cases.ndjson>)',
    );
    await expect(evalFromFlags({ path: 'x' }, io)).rejects.toThrow('--policy is required');
  });
});

describe('explainFromFlags and whoCanFromFlags', () => {
  it('explain names the deciding pattern; who-can lists the policies that allow', async () => {
    const d = await explainFromFlags({ policy: ['app.hcl'], path: 'secret/data/app/db' }, io);
    expect(d.allowed).toBe(true);
    expect(d.explanation).toBeDefined();
    const w = await whoCanFromFlags({ policy: ['app.hcl', 'admin.hcl'], path: 'sys/mounts', op: 'update' }, io);
    expect(w.allowed).toEqual(['admin']);
    expect(w.roles).toBeUndefined();
  });
});

describe('diffFromFlags', () => {
  it('compares the paths of --path, --paths-file and --audit-log, or samples both sets', async () => {
    const flags = { before: ['app.hcl'], after: ['app-v2.hcl'] };
    const given = await diffFromFlags(
      { ...flags, path: ['secret/data/app/x'], pathsFile: ['paths.txt'], auditLog: ['audit.log'] },
      { ...io, auditPaths: async () => ['secret/data/app/from-log'] },
    );
    expect(given.sampled).toBe(false);
    expect(given.report).toMatchObject({ paths: 3, changed: 3 });
    const sampled = await diffFromFlags(flags, io);
    expect(sampled.sampled).toBe(true);
    expect(sampled.report.changed).toBeGreaterThan(0);
    await expect(diffFromFlags({ ...flags, auditLog: ['a.log'] }, io)).rejects.toMatchObject({ code: 'USAGE' });
  });
});

describe('changedPermissions', () => {
  it('lists only the given paths whose capabilities changed between two folders (relative to cwd)', async () => {
    const { mkdirSync } = await import('node:fs');
    mkdirSync(join(cwd, 'old'));
    mkdirSync(join(cwd, 'new'));
    writeFileSync(join(cwd, 'old', 'app.hcl'), readFileSync(join(cwd, 'app.hcl')));
    writeFileSync(
      join(cwd, 'new', 'app.hcl'),
      readFileSync(join(cwd, 'app-v2.hcl')).toString().replace('app-v2', 'app'),
    );
    const changed = await changedPermissions(['old', join(cwd, 'new')], ['secret/data/app/db', 'sys/mounts'], { cwd });
    expect(changed.map((d) => [d.path, d.added, d.removed])).toEqual([['secret/data/app/db', ['update'], []]]);
  });
});

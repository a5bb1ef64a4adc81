import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runAuditDemo } from '../src/demo/steps.ts';
import { runCli } from './run-cli.ts';

const DATA = fileURLToPath(new URL('../../../examples/quickstart/data/', import.meta.url));
const LOG = join(DATA, 'vault-audit.log');
const FIXTURES = fileURLToPath(new URL('../../audit/test/fixtures/', import.meta.url));

function tmp(): string {
  return mkdtempSync(join(tmpdir(), 'svm-cli-audit-'));
}

describe('svm audit analyze', () => {
  it('prints the text report and exits 1 on findings at --fail-on high (the default)', async () => {
    const r = await runCli(['audit', 'analyze', LOG], { cwd: DATA });
    expect(r.code).toBe(1);
    expect(r.stderr).toBe('');
    expect(r.stdout.replace(LOG, '<log>')).toMatchSnapshot();
  });

  it('--json follows the contract', async () => {
    const r = await runCli(['audit', 'analyze', LOG, '--json', '--fail-on', 'none']);
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout) as Record<string, unknown>;
    expect(Object.keys(doc)).toEqual(['lines', 'events', 'malformed', 'sources', 'findings', 'malformedLines']);
    expect(doc).toMatchObject({ lines: 742, events: 371, malformed: 0, sources: { vault: 371 } });
    expect(r.stdout).toMatchSnapshot();
    // HMAC'd values stay out, except the (opaque) accessor that tells tokens sharing a name apart.
    expect(r.stdout.replace(/"accessor": "hmac-sha256:[0-9a-f]{64}"/g, '')).not.toContain('hmac-sha256');
  });

  it('--fail-on critical still exits 1 (audit device disabled); --fail-on none exits 0', async () => {
    expect((await runCli(['audit', 'analyze', LOG, '--json', '--fail-on', 'critical'])).code).toBe(1);
    expect(
      (
        await runCli([
          'audit',
          'analyze',
          join(FIXTURES, 'gcp-secretmanager.ndjson'),
          '--json',
          '--fail-on',
          'critical',
        ])
      ).code,
    ).toBe(0);
  });

  it('reads several sources at once, with --source forcing one', async () => {
    const r = await runCli([
      'audit',
      'analyze',
      join(FIXTURES, '*.ndjson'),
      join(FIXTURES, 'azure-keyvault-PT1H.json'),
      '--json',
      '--fail-on',
      'none',
    ]);
    const doc = JSON.parse(r.stdout) as {
      sources: Record<string, number>;
      malformed: number;
      malformedLines: unknown[];
    };
    expect(doc.sources).toEqual({ cloudtrail: 3, gcp: 3, simple: 4, vault: 7, azure: 6 });
    expect(doc.malformed).toBe(2);
    const forced = await runCli([
      'audit',
      'analyze',
      join(FIXTURES, 'gcp-secretmanager.ndjson'),
      '--source',
      'vault',
      '--json',
      '--fail-on',
      'none',
    ]);
    expect(JSON.parse(forced.stdout)).toMatchObject({ events: 0, malformed: 3 });
  });

  it('reads standard input', async () => {
    const r = await runCli(['audit', 'analyze', '-', '--json', '--fail-on', 'none'], {
      stdin: readFileSync(join(FIXTURES, 'gcp-secretmanager.ndjson'), 'utf8'),
    });
    expect(JSON.parse(r.stdout)).toMatchObject({ events: 3, sources: { gcp: 3 } });
  });

  it('writes md, html and ocsf; nothing but the result on stdout', async () => {
    const dir = tmp();
    const md = await runCli(['audit', 'analyze', LOG, '--format', 'md', '--fail-on', 'none']);
    expect(md.stdout.split('\n')[0]).toBe('# Audit log analysis');
    const html = await runCli([
      'audit',
      'analyze',
      LOG,
      '--format',
      'html',
      '--out',
      join(dir, 'r.html'),
      '--fail-on',
      'none',
      '--quiet',
    ]);
    expect(html.stdout).toBe('');
    expect(readFileSync(join(dir, 'r.html'), 'utf8')).toMatch(/^<!doctype html>/);
    const ocsf = await runCli([
      'audit',
      'analyze',
      join(FIXTURES, 'vault-audit.ndjson'),
      '--format',
      'ocsf',
      '--fail-on',
      'none',
    ]);
    const records = ocsf.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { class_uid: number });
    expect(records.map((r) => r.class_uid)).toEqual([
      3002, 6003, 6003, 3002, 3002, 6003, 6003, 2004, 2004, 2004, 2004, 2004,
    ]);
  });

  it('keeps a baseline in --state between runs', async () => {
    const dir = tmp();
    const db = join(dir, 'state.db');
    const first = await runCli(['audit', 'analyze', LOG, '--state', db, '--json', '--fail-on', 'none']);
    expect(first.code).toBe(0);
    const second = await runCli(['audit', 'analyze', LOG, '--state', db, '--json', '--fail-on', 'none']);
    expect(JSON.parse(second.stdout).events).toBe(371);
  });

  it('errors: one line, exit 2, --json errors on stdout', async () => {
    const missing = await runCli(['audit', 'analyze', 'nope.log'], { cwd: DATA });
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatchSnapshot();
    const json = await runCli(['audit', 'analyze', 'nope.log', '--json'], { cwd: DATA });
    expect(json.code).toBe(2);
    expect(JSON.parse(json.stdout)).toEqual({
      error: { code: 'FILE_NOT_FOUND', kind: 'user', message: 'no such file or directory', file: 'nope.log' },
    });
    const badFormat = await runCli(['audit', 'analyze', LOG, '--format', 'pdf']);
    expect(badFormat.code).toBe(2);
    expect(badFormat.stderr).toMatchSnapshot();
    const badTz = await runCli(['audit', 'analyze', LOG, '--tz', 'Mars/Base']);
    expect(badTz.code).toBe(2);
    expect(badTz.stderr).toMatchSnapshot();
    const conflict = await runCli(['audit', 'analyze', LOG, '--json', '--format', 'md']);
    expect(conflict.code).toBe(2);
  });
});

describe('svm audit report', () => {
  it('access inventory', async () => {
    const r = await runCli(['audit', 'report', LOG, '--type', 'access', '--json']);
    const doc = JSON.parse(r.stdout) as {
      type: string;
      identities: Array<{ identity: string; kind: string; reads: number }>;
    };
    expect(doc.type).toBe('access');
    expect(doc.identities.find((i) => i.identity === 'approle-billing')).toMatchObject({ kind: 'machine' });
    const text = await runCli(['audit', 'report', LOG, '--type', 'access']);
    expect(text.stdout).toMatchSnapshot();
  });

  it('rotation compliance joins the inventory; writes count as rotation evidence', async () => {
    const dir = tmp();
    const inv = join(dir, 'inventory.json');
    writeFileSync(
      inv,
      JSON.stringify([
        { name: 'prod/billing/db', type: 'database', last_rotated: '2025-01-01', interval: '90d' },
        { name: 'team/bob/notes', type: 'password', last_rotated: '2026-02-20' },
        { name: 'never-seen', type: 'api-key' },
      ]),
    );
    const r = await runCli([
      'audit',
      'report',
      LOG,
      '--inventory',
      inv,
      '--type',
      'rotation',
      '--now',
      '2026-03-05',
      '--json',
    ]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatchSnapshot();
  });

  it('orphans: unknown when the logs are too short to tell', async () => {
    const dir = tmp();
    const inv = join(dir, 'inventory.json');
    writeFileSync(inv, JSON.stringify([{ name: 'prod/billing/db' }, { name: 'old/unused' }]));
    const r = await runCli([
      'audit',
      'report',
      LOG,
      '--inventory',
      inv,
      '--type',
      'orphans',
      '--now',
      '2026-03-05',
      '--json',
    ]);
    expect(JSON.parse(r.stdout)).toMatchObject({
      coverageDays: 2,
      items: [
        { secret: 'prod/billing/db', status: 'active' },
        { secret: 'old/unused', status: 'unknown' },
      ],
    });
    const later = await runCli([
      'audit',
      'report',
      LOG,
      '--inventory',
      inv,
      '--type',
      'orphans',
      '--now',
      '2026-09-01',
      '--json',
    ]);
    expect(JSON.parse(later.stdout)).toMatchObject({ items: [{ status: 'orphaned' }, { status: 'orphaned' }] });
  });

  it('drift: changes seen in the logs, and the effective diff with --policies', async () => {
    const r = await runCli(['audit', 'report', LOG, '--type', 'drift']);
    expect(r.stdout).toMatchSnapshot();
    const dir = tmp();
    const oldDir = join(dir, 'old');
    const newDir = join(dir, 'new');
    const { mkdirSync } = await import('node:fs');
    mkdirSync(oldDir);
    mkdirSync(newDir);
    writeFileSync(join(oldDir, 'ops.hcl'), 'path "secret/data/shared/*" { capabilities = ["read"] }\n');
    writeFileSync(
      join(newDir, 'ops.hcl'),
      'path "secret/data/shared/*" { capabilities = ["read", "update", "delete"] }\n',
    );
    const d = await runCli(['audit', 'report', LOG, '--type', 'drift', '--policies', oldDir, newDir, '--json']);
    expect(d.code).toBe(0);
    const doc = JSON.parse(d.stdout) as {
      effectiveDiff: Array<{ path: string; added: string[] }> | null;
      effectiveDiffNote: string | null;
    };
    expect(doc.effectiveDiffNote).toBeNull();
    expect(doc.effectiveDiff).toContainEqual(
      expect.objectContaining({ path: 'secret/data/shared/runbook', added: ['delete', 'update'] }),
    );
  });

  it('rotation without --inventory is a usage error', async () => {
    const r = await runCli(['audit', 'report', LOG, '--type', 'rotation']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatchSnapshot();
  });
});

describe('svm demo: audit step', () => {
  it('summarizes the example log in a few lines', async () => {
    const step = await runAuditDemo({ examplesDir: DATA, today: '2026-03-05', workDir: tmp() });
    expect(step.status).toBe('ok');
    expect(step.lines.length).toBeGreaterThanOrEqual(3);
    expect(step.lines.length).toBeLessThanOrEqual(6);
    expect(step.lines).toMatchSnapshot();
  });
});

describe('svm audit analyze on a damaged gzip file', () => {
  it('analyses what decompresses, warns, lists inputErrors and exits 2 even with --fail-on none', async () => {
    const dir = tmp();
    const { gzipSync } = await import('node:zlib');
    writeFileSync(join(dir, 'bad.log.gz'), Buffer.concat([gzipSync(readFileSync(LOG)), Buffer.from('XYZW')]));
    const r = await runCli(['audit', 'analyze', 'bad.log.gz', '--json', '--fail-on', 'none'], { cwd: dir });
    expect(r.code).toBe(2);
    const doc = JSON.parse(r.stdout) as { lines: number; inputErrors: Array<{ file: string; reason: string }> };
    expect(doc.lines).toBe(742);
    expect(doc.inputErrors).toEqual([
      { file: 'bad.log.gz', reason: expect.stringMatching(/trailing data that is not gzip/) },
    ]);
    const text = await runCli(['audit', 'analyze', 'bad.log.gz', '--fail-on', 'none'], { cwd: dir });
    expect(text.code).toBe(2);
    expect(text.stderr).toMatch(
      /^warning: bad\.log\.gz: damaged gzip input at compressed byte \d+: trailing data that is not gzip/,
    );
    expect(text.stdout).toMatch(/^742 lines/);
    const report = await runCli(['audit', 'report', 'bad.log.gz', '--type', 'access'], { cwd: dir });
    expect(report.code).toBe(2);
    expect(report.stderr).toMatch(/^warning: bad\.log\.gz: damaged gzip input/);
  });
});

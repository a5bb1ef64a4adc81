import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runRotationDemo } from '../src/demo/steps.ts';
import { runCli } from './run-cli.ts';

const DATA = fileURLToPath(new URL('../../../examples/quickstart/data/', import.meta.url));
const INVENTORY = join(DATA, 'inventory.yaml');
const ORIGINAL = join(DATA, 'inventory-original.json');

function tempFile(name: string, text: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'svm-rotation-'));
  const file = join(dir, name);
  writeFileSync(file, text);
  return file;
}

describe('svm rotation plan', () => {
  it('prints the table', async () => {
    const r = await runCli(['rotation', 'plan', INVENTORY, '--now', '2026-03-01', '--capacity', '2']);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    expect(r.stdout).toMatchSnapshot();
  });

  it('--json follows the contract', async () => {
    const r = await runCli(['rotation', 'plan', ORIGINAL, '--now', '2026-03-01', '--max-interval', '30d', '--json']);
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(Object.keys(doc)).toEqual(expect.arrayContaining(['now', 'items', 'summary']));
    expect(doc.now).toBe('2026-03-01');
    for (const item of doc.items) {
      expect(Object.keys(item).slice(0, 9)).toEqual([
        'id',
        'type',
        'lastRotated',
        'intervalDays',
        'due',
        'daysUntilDue',
        'status',
        'owner',
        'method',
      ]);
      expect(item.intervalDays === null || item.intervalDays <= 30).toBe(true);
    }
    const byId = Object.fromEntries(doc.items.map((i: { id: string }) => [i.id, i]));
    expect(byId['ci-service-token']).toMatchObject({
      type: 'service-token',
      lastRotated: '2026-02-28',
      intervalDays: 1,
      due: '2026-03-01',
      daysUntilDue: 0,
      status: 'due-soon',
    });
    expect(byId['legacy-ftp-password']).toMatchObject({
      lastRotated: null,
      status: 'never-rotated',
      due: '2026-03-01',
      owner: 'ops-team',
    });
    expect(byId['vendor-portal-login']).toMatchObject({
      type: 'vendor-credential',
      intervalDays: 30,
      method: 'manual',
    });
    expect(doc).toMatchSnapshot();
  });

  it('--format json equals --json', async () => {
    const a = await runCli(['rotation', 'plan', ORIGINAL, '--now', '2026-03-01', '--json']);
    const b = await runCli(['rotation', 'plan', ORIGINAL, '--now', '2026-03-01', '--format', 'json']);
    expect(b.stdout).toBe(a.stdout);
  });

  it('--fail-on-overdue exits 1 only when something is overdue', async () => {
    expect((await runCli(['rotation', 'plan', ORIGINAL, '--now', '2026-03-01', '--fail-on-overdue'])).code).toBe(1);
    const fresh = tempFile('fresh.json', JSON.stringify([{ name: 'a', type: 'api-key', last_rotated: '2026-02-01' }]));
    expect((await runCli(['rotation', 'plan', fresh, '--now', '2026-03-01', '--fail-on-overdue'])).code).toBe(0);
  });

  it('writes md, csv and ics, and filters by owner', async () => {
    const md = await runCli(['rotation', 'plan', ORIGINAL, '--now', '2026-03-01', '--format', 'md']);
    expect(md.stdout.startsWith('## Rotation plan for 2026-03-01 (UTC): 10 secrets')).toBe(true);
    const csv = await runCli(['rotation', 'plan', ORIGINAL, '--now', '2026-03-01', '--format', 'csv']);
    expect(csv.stdout.split('\n')[0]).toMatch(/^id,name,type,status,due,/);
    const out = join(mkdtempSync(join(tmpdir(), 'svm-ics-')), 'sre.ics');
    const ics = await runCli([
      'rotation',
      'plan',
      ORIGINAL,
      '--now',
      '2026-03-01',
      '--format',
      'ics',
      '--owner',
      'sre-team',
      '--out',
      out,
    ]);
    expect(ics.code).toBe(0);
    const text = readFileSync(out, 'utf8');
    expect(text.match(/BEGIN:VEVENT/g)).toHaveLength(3);
    expect(text).toContain('X-WR-CALNAME:svm rotations: sre-team');
  });

  it('an --out that cannot be written is one line naming the file, exit 2 (not an internal error)', async () => {
    const out = join(mkdtempSync(join(tmpdir(), 'svm-plan-')), 'missing-dir', 'plan.ics');
    const r = await runCli(['rotation', 'plan', ORIGINAL, '--now', '2026-03-01', '--format', 'ics', '--out', out]);
    expect(r.code).toBe(2);
    const lines = r.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain(`cannot write ${out}: ENOENT`);
  });

  it('reads standard input and honours --tz', async () => {
    const text = JSON.stringify([{ name: 'db', type: 'database', last_rotated: '2026-02-28T23:30:00-08:00' }]);
    const utc = JSON.parse(
      (await runCli(['rotation', 'plan', '-', '--now', '2026-03-01', '--json'], { stdin: text })).stdout,
    );
    const la = JSON.parse(
      (
        await runCli(['rotation', 'plan', '-', '--now', '2026-03-01', '--tz', 'America/Los_Angeles', '--json'], {
          stdin: text,
        })
      ).stdout,
    );
    expect(utc.items[0].due).toBe('2026-03-31');
    expect(la.items[0].due).toBe('2026-03-30');
  });

  it('takes --profile comma-separated or repeated, before the inventory too', async () => {
    const a = JSON.parse(
      (
        await runCli([
          'rotation',
          'plan',
          '--profile',
          'pci,nist',
          '--profile',
          'cabf',
          INVENTORY,
          '--now',
          '2026-03-01',
          '--json',
        ])
      ).stdout,
    );
    expect(a.settings.profiles).toEqual(['pci-dss-v4', 'nist-sp-800-57', 'cabf-tls']);
  });

  it('applies a policy file', async () => {
    const policy = tempFile(
      'policy.yaml',
      'defaults:\n  capacity: 1\ntypes:\n  database: { interval: 14d }\nblackouts:\n  - { from: 2026-03-01, to: 2026-03-02, reason: freeze }\nprofiles: [pci-dss-v4]\n',
    );
    const r = await runCli(['rotation', 'plan', ORIGINAL, '--now', '2026-03-01', '--policy-file', policy, '--json']);
    const doc = JSON.parse(r.stdout);
    expect(doc.settings).toMatchObject({ capacity: 1, profiles: ['pci-dss-v4'] });
    expect(doc.items.find((i: { id: string }) => i.id === 'staging-db-password')).toMatchObject({
      intervalDays: 14,
      due: '2026-03-06',
    });
    for (const item of doc.items) if (item.scheduled) expect(item.scheduled >= '2026-03-03').toBe(true);
    expect(doc.summary.violations).toBeGreaterThan(0);
  });

  describe('errors', () => {
    const cases: Array<[string, string[], string?]> = [
      ['bad date in YAML', ['x.yaml'], 'secrets:\n  - name: a\n    type: database\n    last_rotated: 2026-02-30\n'],
      ['bad CSV row', ['x.csv'], 'name,type,last_rotated\na,database,2026-01-01\nb,api-key,yesterday\n'],
      ['dependency cycle', ['x.yaml'], '- name: a\n  depends_on: [b]\n- name: b\n  depends_on: [a]\n'],
      ['unknown dependency', ['x.json'], '[\n  {"name": "a"},\n  {"name": "b", "depends_on": ["zz"]}\n]\n'],
    ];
    for (const [title, [name], text] of cases) {
      it(title, async () => {
        const file = tempFile(name as string, text as string);
        const r = await runCli(['rotation', 'plan', file, '--now', '2026-03-01']);
        expect(r.code).toBe(2);
        expect(r.stdout).toBe('');
        expect(r.stderr.replace(file, `<dir>/${name}`)).toMatchSnapshot();
        const j = await runCli(['rotation', 'plan', file, '--now', '2026-03-01', '--json']);
        expect(j.code).toBe(2);
        const err = JSON.parse(j.stdout).error;
        expect({ ...err, file: `<dir>/${name}`, details: undefined }).toMatchSnapshot();
      });
    }

    it('--format ics with a due date past year 9999, or an absurd interval, is an input error (exit 2), not exit 70', async () => {
      for (const [text, where] of [
        [
          '- name: late\n  type: api-key\n  last_rotated: 9999-01-01\n  interval: 3650d\n',
          ':1: interval: the due date',
        ],
        [
          '- name: huge\n  type: api-key\n  last_rotated: 2026-01-01\n  interval: 100000000000000000000d\n',
          ':4: [0].interval: expected at least 1 day and at most 36500 days',
        ],
        [
          'version: 1\nsecrets:\n  - name: a\n  - name: zero\n    last_rotated: 2026-01-01\n    interval: 0d\n',
          ':6: secrets[1].interval: expected at least 1 day',
        ],
      ] as const) {
        const file = tempFile('x.yaml', text);
        const r = await runCli(['rotation', 'plan', file, '--now', '2026-03-01', '--format', 'ics']);
        expect(r.code).toBe(2);
        expect(r.stderr).toContain(`${file}${where}`);
      }
    });

    it('usage errors', async () => {
      const bad = async (...args: string[]) => {
        const r = await runCli(['rotation', 'plan', ORIGINAL, ...args]);
        expect(r.code).toBe(2);
        return r.stderr.trim();
      };
      expect(await bad('--now', '01/03/2026')).toBe("svm: error: --now: expected YYYY-MM-DD, got '01/03/2026'");
      expect(await bad('--now', '2026-03-01', '--tz', 'Mars/Base')).toMatch(/unknown time zone 'Mars\/Base'/);
      expect(await bad('--now', '2026-03-01', '--capacity', '0')).toMatch(
        /--capacity: expected a whole number of at least 1/,
      );
      expect(await bad('--now', '2026-03-01', '--max-interval', 'soon')).toMatch(
        /--max-interval: expected a whole number of days/,
      );
      expect(await bad('--now', '2026-03-01', '--format', 'xml')).toMatch(/--format/);
      expect(await bad('--now', '2026-03-01', '--profile', 'hipaa')).toMatch(/unknown compliance profile 'hipaa'/);
      const missing = await runCli(['rotation', 'plan', 'nope.yaml', '--now', '2026-03-01']);
      expect(missing.code).toBe(2);
      expect(missing.stderr).toBe('svm: error: nope.yaml: no such file or directory\n');
    });
  });
});

describe('rotation demo step', () => {
  it('summarises the example inventory', async () => {
    const step = await runRotationDemo({ examplesDir: DATA, today: '2026-03-01', workDir: tmpdir() });
    expect(step.status).toBe('ok');
    expect(step.lines.length).toBeGreaterThanOrEqual(3);
    expect(step.lines.length).toBeLessThanOrEqual(6);
    expect(step.lines).toMatchSnapshot();
  });
});

describe('one rotation engine: svm rotation plan and svm audit report --type rotation agree', () => {
  for (const file of [INVENTORY, ORIGINAL]) {
    it(`${file.split('/').pop()}: identical status and due date for every item, with --profile all`, async () => {
      const empty = tempFile('audit.log', '');
      const plan = await runCli(['rotation', 'plan', file, '--now', '2026-03-01', '--profile', 'all', '--json']);
      const report = await runCli([
        'audit',
        'report',
        empty,
        '--inventory',
        file,
        '--type',
        'rotation',
        '--now',
        '2026-03-01',
        '--profile',
        'all',
        '--json',
      ]);
      expect(plan.code).toBe(0);
      expect(report.code).toBe(0);
      const planned = new Map(
        (
          JSON.parse(plan.stdout).items as Array<{ id: string; status: string; due: string; violations: unknown[] }>
        ).map((i) => [i.id, i]),
      );
      const items = JSON.parse(report.stdout).items as Array<{
        secret: string;
        status: string;
        due: string;
        violations: unknown[];
      }>;
      expect(items).toHaveLength(planned.size);
      for (const item of items) {
        const p = planned.get(item.secret);
        expect({ id: item.secret, status: item.status, due: item.due, violations: item.violations }).toEqual({
          id: item.secret,
          status: p?.status,
          due: p?.due,
          violations: p?.violations,
        });
      }
    });
  }
});

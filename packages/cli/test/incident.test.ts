import { describe, expect, it } from 'vitest';
import { runCli } from './run-cli.ts';

describe('svm incident plan', () => {
  it('prints the playbook as text', async () => {
    const r = await runCli([
      'incident',
      'plan',
      '--signal',
      'public-repo',
      '--credential',
      'aws-access-key',
      '--secret',
      'ci-deployer',
      '--detected-at',
      '2026-03-01T10:00:00Z',
    ]);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    expect(r.stdout).toMatchSnapshot();
  });

  it('prints one JSON document with --json', async () => {
    const r = await runCli([
      '--json',
      'incident',
      'plan',
      '--signal',
      'vault-node-compromised',
      '--credential',
      'vault-token',
      '--detected-at',
      '2026-03-01T10:00:00Z',
      '--regulated',
    ]);
    expect(r.code).toBe(0);
    const plan = JSON.parse(r.stdout);
    expect(plan.severity).toBe('P0');
    expect(plan.seal.recommended).toBe(true);
    expect(plan.notify).toEqual([
      'the security team',
      'the owners of the affected services',
      'compliance',
      'executives',
    ]);
    expect(plan.steps.map((s: { id: string }) => s.id)).toEqual([
      'identify',
      'revoke',
      'remove-exposure',
      'deploy',
      'blast-radius',
      'notify',
      'rotate-adjacent',
      'harden',
      'post-mortem',
    ]);
  });

  it('renders the communication template as Markdown', async () => {
    const r = await runCli([
      'incident',
      'plan',
      '--signal',
      'internal-log',
      '--credential',
      'database',
      '--detected-at',
      '2026-03-01T10:00:00Z',
      '--format',
      'md',
    ]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('| Severity | P2 (the secret appeared in an internal log) |');
    expect(r.stdout).toContain('| Respond by | 2026-03-01T14:00:00.000Z |');
  });

  it('rejects an unknown signal with exit 2 and one line', async () => {
    const r = await runCli(['incident', 'plan', '--signal', 'tweeted', '--credential', 'database']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatchInlineSnapshot(`
      "svm: error: option '--signal <signal...>' argument 'tweeted' is invalid. Allowed choices are internal-log, public-repo, public-repo-used, vault-node-compromised, kms-key-compromised, audit-log-gap, failed-auth-unknown-source, beyond-scope, non-production, expired-or-limited.
      "
    `);
  });

  it('rejects a detection time that is not ISO 8601', async () => {
    const r = await runCli([
      'incident',
      'plan',
      '--signal',
      'internal-log',
      '--credential',
      'database',
      '--detected-at',
      'yesterday',
    ]);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(
      "svm: error: --detected-at: expected an ISO 8601 date-time such as 2026-03-01T10:00:00Z, got 'yesterday'\n",
    );
  });
});

describe('svm incident plan names only commands that exist', () => {
  it('every svm command in every playbook has its subcommand and flags in --help', async () => {
    const { CredentialKind } = await import('@svm/core');
    const commands = new Set<string>();
    for (const credential of CredentialKind.options) {
      const r = await runCli([
        '--json',
        'incident',
        'plan',
        '--signal',
        'public-repo-used',
        'vault-node-compromised',
        '--credential',
        credential,
        '--secret',
        'prod/db',
      ]);
      expect(r.code).toBe(0);
      for (const step of JSON.parse(r.stdout).steps as Array<{ commands: string[] }>)
        for (const c of step.commands) if (c.startsWith('svm ')) commands.add(c);
    }
    expect([...commands].some((c) => c.startsWith('svm incident contain '))).toBe(true);
    expect([...commands].some((c) => c.startsWith('svm incident blast-radius '))).toBe(true);
    const helps = new Map<string, string>();
    for (const command of commands) {
      const [, group, sub] = command.split(' ');
      const key = `${group} ${sub}`;
      if (!helps.has(key)) {
        const h = await runCli([group!, sub!, '--help']);
        expect(h.code, `${key} --help`).toBe(0);
        helps.set(key, h.stdout);
      }
      for (const flag of command.match(/--[a-z][a-z-]*/g) ?? [])
        expect(helps.get(key), `${command}: ${flag}`).toMatch(new RegExp(`${flag}\\b`));
    }
  });
});

describe('svm incident blast-radius / contain: usage errors', () => {
  it('say which flag is wrong and what was expected (snapshot)', async () => {
    const cases = [
      ['incident', 'blast-radius', '--secret', 'vault://v:8200/secret', '--since', '2026-03-01', '--audit', 'x.log'],
      ['incident', 'blast-radius', '--secret', 'nope', 'db', '--since', '2026-03-01', '--audit', 'x.log'],
      ['incident', 'blast-radius', '--secret', 'file://./s.svm', 'db', '--since', 'yesterday', '--audit', 'x.log'],
      ['incident', 'contain', '--secret', 'file://./s.svm', 'db', '--audit', 'x.log'],
      ['incident', 'contain', '--store', 'file://./s.svm'],
      [
        'incident',
        'contain',
        '--secret',
        'file://./s.svm',
        'db',
        '--since',
        '2026-03-01',
        '--audit',
        'x.log',
        '--execute',
      ],
    ];
    const out: string[] = [];
    for (const argv of cases) {
      const r = await runCli(argv);
      out.push(`${argv.slice(1).join(' ')}\n  exit ${r.code}: ${r.stderr.trim()}`);
    }
    expect(out.join('\n')).toMatchSnapshot();
  });
});

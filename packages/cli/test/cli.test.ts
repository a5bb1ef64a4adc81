import { describe, expect, it } from 'vitest';
import { runCli } from './run-cli.ts';

describe('svm global behaviour', () => {
  it('exits 2 with one line for an unknown command', async () => {
    const r = await runCli(['nonsense']);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe("svm: error: unknown command 'nonsense' (see svm --help)\n");
  });

  it('prints a JSON error document with --json', async () => {
    const r = await runCli(['--json', 'nonsense']);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('');
    expect(JSON.parse(r.stdout)).toMatchInlineSnapshot(`
      {
        "error": {
          "code": "USAGE",
          "kind": "user",
          "message": "unknown command 'nonsense' (see svm --help)",
        },
      }
    `);
  });

  it('exits 2 for an unknown option, naming it', async () => {
    const r = await runCli(['--frobnicate']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("unknown option '--frobnicate'");
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
  });

  it('lists every command group in --help and exits 0', async () => {
    const r = await runCli(['--help']);
    expect(r.code).toBe(0);
    for (const group of ['policy', 'rotation', 'audit', 'secret', 'inventory', 'incident', 'demo']) {
      expect(r.stdout).toMatch(new RegExp(`^  ${group} `, 'm'));
    }
    expect(r.stdout).toContain('Exit codes: 0 ok');
  });

  it('prints the version', async () => {
    const r = await runCli(['--version']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^\d+\.\d+\.\d+\n$/);
  });
});

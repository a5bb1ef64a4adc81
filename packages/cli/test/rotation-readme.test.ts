import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runCli } from './run-cli.ts';

// Runs every `svm rotation plan` example of the @svm/rotation README (its ```sh blocks) against the quick-start
// data, so README and CLI cannot drift apart (issue 11: the space-separated --profile example failed).
const README = readFileSync(fileURLToPath(new URL('../../rotation/README.md', import.meta.url)), 'utf8');
const DATA = fileURLToPath(new URL('../../../examples/quickstart/data/', import.meta.url));

function examples(): string[] {
  const out: string[] = [];
  for (const block of README.matchAll(/```sh\n([\s\S]*?)```/g)) {
    for (const line of (block[1] as string).split('\n'))
      if (line.startsWith('svm rotation plan ')) out.push(line.trim());
  }
  return out;
}

function workspace(): string {
  const dir = mkdtempSync(join(tmpdir(), 'svm-rotation-readme-'));
  copyFileSync(join(DATA, 'inventory.yaml'), join(dir, 'inventory.yaml'));
  copyFileSync(join(DATA, 'inventory-original.json'), join(dir, 'secrets.json'));
  writeFileSync(
    join(dir, 'inventory.csv'),
    'id,type,last_rotated,owner,compliance\npayments-db,database,2026-01-15,payments-team,pci-dss-v4\nweb-key,api-key,2026-02-01,web-team,\n',
  );
  const policy = /```yaml\n(version: 1[\s\S]*?)```/.exec(README)?.[1];
  if (policy) writeFileSync(join(dir, 'rotation-policy.yaml'), policy);
  return dir;
}

describe('the rotation README examples run as written', () => {
  const list = examples();
  it('finds the examples, including --profile', () => {
    expect(list.length).toBeGreaterThanOrEqual(3);
    expect(list.some((l) => l.includes('--profile'))).toBe(true);
  });
  for (const line of list) {
    it(line, async () => {
      const cwd = workspace();
      const argv = line.split(/\s+/).slice(1);
      const r = await runCli(argv, { cwd });
      // --fail-on-overdue exits 1 when something is overdue (the quick-start data has overdue items).
      expect(r.code, r.stderr).toBe(argv.includes('--fail-on-overdue') ? 1 : 0);
      expect(r.stderr).not.toMatch(/error/);
    });
  }
  it('the space-separated form is refused with a usage error, as the README says', async () => {
    const r = await runCli(['rotation', 'plan', 'inventory.yaml', '--profile', 'pci-dss-v4', 'nist-sp-800-57'], {
      cwd: workspace(),
    });
    expect(r.code).toBe(2);
  });
});

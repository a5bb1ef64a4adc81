import { mkdtempSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { requireService } from '@svm/test-harness';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyFromFlags, generateFromFlags, lintFromFlags, loadRequirementsFrom } from './generate-flags.js';

const requirements = `applications:
  - name: web
    auth: [{ method: approle }]
    secrets: [{ kind: kv, path: config, access: [read] }]
`;

function setup() {
  const cwd = mkdtempSync(join(tmpdir(), 'svm-generate-flags-'));
  writeFileSync(join(cwd, 'requirements.yaml'), requirements);
  const read = async (file: string) => ({ text: readFileSync(join(cwd, file), 'utf8'), name: file });
  const warnings: string[] = [];
  return { cwd, read, warn: (m: string) => warnings.push(m), warnings };
}

describe('loadRequirementsFrom', () => {
  it('reads the file, or takes the shortcut flags, not both', async () => {
    const { read } = setup();
    expect((await loadRequirementsFrom('requirements.yaml', {}, read)).applications[0]?.name).toBe('web');
    const shortcut = await loadRequirementsFrom(
      undefined,
      { appName: 'api', authMethod: 'approle', secrets: 'config' },
      read,
    );
    expect(shortcut.applications[0]?.name).toBe('api');
    await expect(loadRequirementsFrom('requirements.yaml', { appName: 'api' }, read)).rejects.toMatchObject({
      code: 'USAGE',
    });
  });
});

describe('generateFromFlags', () => {
  it('prints, writes under --out, then --check finds the folder up to date (and out of date after an edit)', async () => {
    const io = setup();
    const printed = await generateFromFlags('requirements.yaml', { format: ['hcl'] }, io);
    expect(printed.exitCode).toBe(0);
    expect(printed.text()).toContain('path "');

    const written = await generateFromFlags('requirements.yaml', { format: ['hcl'], out: 'gen' }, io);
    expect(written.data.out).toBe('gen');
    const file = written.data.files[0]?.path as string;
    expect(statSync(join(io.cwd, 'gen', file)).isFile()).toBe(true);

    const check = await generateFromFlags('requirements.yaml', { format: ['hcl'], out: 'gen', check: true }, io);
    expect(check).toMatchObject({ exitCode: 0, data: { upToDate: true, stale: [] } });
    writeFileSync(join(io.cwd, 'gen', file), '# edited\n');
    const stale = await generateFromFlags('requirements.yaml', { format: ['hcl'], out: 'gen', check: true }, io);
    expect(stale.exitCode).toBe(1);
    expect(stale.data.upToDate).toBe(false);
  });

  it('--check without --out and an unknown target are usage errors', async () => {
    const io = setup();
    await expect(generateFromFlags('requirements.yaml', { check: true }, io)).rejects.toThrow('give --out');
    await expect(generateFromFlags('requirements.yaml', { format: ['nope'] }, io)).rejects.toMatchObject({
      code: 'USAGE',
    });
    expect(readdirSync(io.cwd)).toEqual(['requirements.yaml']);
  });
});

describe('lintFromFlags', () => {
  it('lints a directory and a file together; exit 1 at --fail-on; nothing lintable is a usage error', async () => {
    const io = setup();
    writeFileSync(join(io.cwd, 'wide.hcl'), 'path "*" {\n  capabilities = ["read"]\n}\n');
    const isDirectory = async (p: string) => statSync(join(io.cwd, p)).isDirectory();
    const out = await lintFromFlags(['.'], { failOn: 'high' }, { ...io, isDirectory });
    expect(out.data.findings.length).toBeGreaterThan(0);
    expect(out.exitCode).toBe(1);
    expect((await lintFromFlags(['wide.hcl'], { failOn: 'none' }, { ...io, isDirectory })).exitCode).toBe(0);
    const empty = mkdtempSync(join(tmpdir(), 'svm-lint-empty-'));
    await expect(lintFromFlags([empty], { failOn: 'high' }, { ...io, isDirectory: async () => true })).rejects.toThrow(
      'no policy files (.hcl, .json, .yaml, .tf) found in',
    );
  });
});

const bao = requireService('openbao');

describe.skipIf(!bao)('applyFromFlags (OpenBao)', () => {
  const mount = `approle-flags-${Date.now().toString(36)}`;
  const sys = (method: string, body?: unknown) =>
    fetch(`${bao?.addr}/v1/sys/auth/${mount}`, {
      method,
      headers: { 'X-Vault-Token': bao?.token ?? '' },
      ...(body ? { body: JSON.stringify(body) } : {}),
    });
  beforeAll(async () => {
    expect((await sys('POST', { type: 'approle' })).ok).toBe(true);
  });
  afterAll(async () => {
    await sys('DELETE');
  });

  it('a dry run reads the server, says what it would create and writes nothing', async () => {
    const io = setup();
    const text = requirements.replace('{ method: approle }', `{ method: approle, mount: ${mount} }`);
    writeFileSync(join(io.cwd, 'requirements.yaml'), text);
    const log: string[] = [];
    const env = { VAULT_ADDR: bao?.addr, VAULT_TOKEN: bao?.token };
    const { plan, data } = await applyFromFlags(
      'requirements.yaml',
      { dryRun: true },
      { ...io, env, log: (m) => log.push(m) },
    );
    expect(data.dryRun).toBe(true);
    expect(data.written).toBe(0);
    expect(plan.summary.create).toBeGreaterThan(0);
    expect(log[0]).toMatch(/^Reading \d+ engine objects, 1 policies and 1 auth roles from /);
    expect(log).toHaveLength(1);
    await expect(applyFromFlags('requirements.yaml', {}, { ...io, env: {} })).rejects.toMatchObject({ code: 'USAGE' });
  });
});

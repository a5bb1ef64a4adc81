import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { requirementsFromShortcut } from './from-flags.js';
import {
  generateDocument,
  renderGenerateSummary,
  renderGeneratedFiles,
  renderStaleFiles,
  staleGeneratedFiles,
  writeGeneratedFiles,
} from './output.js';
import { generateConfig } from './plan.js';
import { renderTargets } from './targets.js';

describe('requirementsFromShortcut', () => {
  it('converts the flag form, or says the file is to be read', () => {
    const r = requirementsFromShortcut(undefined, { appName: 'web', authMethod: 'approle', secrets: 'config' });
    expect(r?.applications[0]?.name).toBe('web');
    expect(requirementsFromShortcut('requirements.yaml', {})).toBeUndefined();
  });

  it('refuses a mixed or incomplete form with the flags named', () => {
    expect(() => requirementsFromShortcut('r.yaml', { appName: 'web' })).toThrow(
      'give a requirements file or the --app-name/--auth-method/--secrets shortcut, not both',
    );
    expect(() => requirementsFromShortcut(undefined, { appName: 'web' })).toThrow(
      'the shortcut needs --auth-method, --secrets',
    );
    expect(() => requirementsFromShortcut(undefined, {})).toThrow('missing requirements file');
    expect(() => requirementsFromShortcut('r.yaml', { namespace: 'x' })).toThrow(
      '--environment and --namespace belong to the shortcut form',
    );
  });
});

describe('generated files', () => {
  const requirements = requirementsFromShortcut(undefined, {
    appName: 'web',
    authMethod: 'approle',
    secrets: 'config,db-creds',
  });
  if (!requirements) throw new Error('unreachable');
  const config = generateConfig(requirements);
  const files = renderTargets(config, ['hcl', 'vault-script']);

  it('the JSON document lists policies, roles and files with content', () => {
    const doc = generateDocument(requirements, config, files);
    expect(doc.applications).toBe(1);
    expect(doc.policies.map((p) => p.name)).toEqual(config.policies.map((p) => p.name));
    expect(doc.files.every((f) => typeof f.content === 'string')).toBe(true);
    expect('out' in doc).toBe(false);
  });

  it('writes files (scripts executable), then finds none stale until one changes or goes missing', async () => {
    const out = mkdtempSync(join(tmpdir(), 'svm-generated-'));
    expect((await staleGeneratedFiles(out, files)).every((s) => s.state === 'missing')).toBe(true);
    await writeGeneratedFiles(out, files);
    const script = files.find((f) => f.path.endsWith('.sh'));
    expect(script && statSync(join(out, script.path)).mode & 0o777).toBe(0o755);
    expect(await staleGeneratedFiles(out, files)).toEqual([]);
    const first = files[0];
    if (!first) throw new Error('no files');
    writeFileSync(join(out, first.path), `${readFileSync(join(out, first.path), 'utf8')}# edited\n`);
    const stale = await staleGeneratedFiles(out, files);
    expect(stale).toEqual([{ path: first.path, state: 'different' }]);
    expect(renderStaleFiles(stale, files.length, 'gen')).toBe(
      `1 of ${files.length} generated files under gen are out of date (run svm policy generate with --out to update them):\n  different ${first.path}`,
    );
    expect(renderStaleFiles([], 3, 'gen')).toBe('3 generated files under gen are up to date.');
  });

  it('renders one file bare, several under headers, and the --out summary', () => {
    expect(renderGeneratedFiles(files.slice(0, 1))).toBe(files[0]?.content);
    expect(renderGeneratedFiles(files)).toContain(`# ==> ${files[1]?.path} <==\n`);
    const summary = renderGenerateSummary(config, files, 'gen');
    expect(summary.split('\n')[0]).toBe(
      `Generated ${config.policies.length} policies and ${config.roles.length} auth roles for 1 application; wrote ${files.length} files under gen:`,
    );
  });
});

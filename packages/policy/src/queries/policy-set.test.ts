import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Requirements } from '@svm/core';
import { describe, expect, it } from 'vitest';
import { compilePolicies } from '../engine/compile.js';
import { evaluate, explain } from '../engine/evaluate.js';
import { formatPolicyFiles } from '../format/format-files.js';
import { parsePolicy } from '../parse/parse-policy.js';
import {
  renderDecisionText,
  renderExplanationText,
  renderFormatSummary,
  renderPolicyDiffText,
  renderWhoCanText,
} from '../render/engine-text.js';
import {
  diffPolicySets,
  loadPolicySet,
  parseRequestData,
  parseWrapTtl,
  pathsFromList,
  requestFromText,
  requirementPaths,
  toEvalResult,
  whoCanReport,
} from './policy-set.js';

const tag = (name: string) => (s: string) => `<${name}>${s}</${name}>`;

function folder(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'svm-policy-set-'));
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(join(dir, name, '..'), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
  return dir;
}

describe('loadPolicySet', () => {
  it('names files relative to cwd, in policies and in errors, and adds the default policy on request', async () => {
    const cwd = folder({ 'p/app.hcl': 'path "secret/data/app/*" {\n  capabilities = ["read"]\n}\n' });
    const set = await loadPolicySet(['p'], { cwd, withDefault: true });
    expect(set.map((p) => [p.name, p.file])).toEqual([
      ['app', 'p/app.hcl'],
      ['default', '<built-in default>'],
    ]);
    writeFileSync(join(cwd, 'p/bad.hcl'), 'path "x" {\n  capabilities = ["read"\n');
    const error = await loadPolicySet(['p'], { cwd }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'POLICY_INVALID', location: { file: 'p/bad.hcl' } });
    expect(String((error as Error).message)).not.toContain(cwd);
  });

  it('says which flag is missing or empty', async () => {
    const cwd = folder({ 'empty/readme.txt': 'x' });
    await expect(loadPolicySet([], { label: '--before' })).rejects.toThrow(
      '--before is required (a policy file or a directory of policies)',
    );
    await expect(loadPolicySet(['empty'], { cwd, label: '--policy' })).rejects.toThrow(
      '--policy: no .hcl or .json policy files in empty',
    );
  });
});

describe('requests from text', () => {
  it('parses data and wrap TTL, naming the flag on errors', () => {
    expect(requestFromText({ path: 'a', data: '{"x":1}', wrapTtl: '5m' })).toEqual({
      path: 'a',
      operation: 'read',
      data: { x: 1 },
      wrapTtl: 300,
    });
    expect(() => parseRequestData('[1]', '--data')).toThrow('--data: expected a JSON object such as {"ttl":"1h"}');
    expect(() => parseRequestData('{', '--data')).toThrow(/^--data: expected a JSON object, got invalid JSON/);
    expect(() => parseWrapTtl('soon', '--wrap-ttl')).toThrow(
      "--wrap-ttl: expected seconds or a duration such as 300 or 5m, got 'soon'",
    );
  });
});

describe('queries and their renderers', () => {
  const app = parsePolicy('path "secret/data/app/*" {\n  capabilities = ["read"]\n}\n', {
    name: 'app',
    file: 'app.hcl',
  });
  const ops = parsePolicy('path "sys/*" {\n  capabilities = ["read", "sudo"]\n}\n', { name: 'ops' });

  it('toEvalResult keeps the contract fields and renderDecisionText says who decided', () => {
    const d = evaluate(compilePolicies([app]), { path: 'secret/data/app/db', operation: 'read' });
    expect(toEvalResult(d, 'secret/data/app/db')).toEqual({
      path: 'secret/data/app/db',
      op: 'read',
      allowed: true,
      sudo: false,
      capabilities: ['read'],
      decidedBy: { policy: 'app', pattern: 'secret/data/app/*', capabilities: ['read'] },
    });
    const text = renderDecisionText(d, { green: tag('g') });
    expect(text.split('\n')[0]).toBe('<g>ALLOWED</g>  read secret/data/app/db');
    expect(text).toContain('decided by:    policy "app", pattern "secret/data/app/*" (app.hcl:1:6)');
    const denied = evaluate(compilePolicies([app]), { path: 'other', operation: 'read' });
    expect(toEvalResult(denied, 'other').decidedBy).toBeNull();
    expect(renderDecisionText(denied)).toContain('decided by:    no rule (deny by default)');
    expect(renderExplanationText(explain(compilePolicies([app]), { path: 'nope', operation: 'read' }))).toContain(
      'No rule matches this path.',
    );
  });

  it('whoCanReport answers per policy and per generated role; the renderer notes the default policy', () => {
    const request = { path: 'sys/mounts', operation: 'read' as const };
    const report = whoCanReport([app, ops], request, { withDefault: true });
    expect(report.allowed).toEqual(['ops']);
    expect(report.roles).toBeUndefined();
    expect(renderWhoCanText(report, { withDefault: true }).split('\n')[0]).toBe(
      '1 of 2 policies allow read sys/mounts (each with the default policy)',
    );
    const requirements = Requirements.parse({
      applications: [
        { name: 'web', auth: [{ method: 'approle' }], secrets: [{ kind: 'kv', path: 'config', access: ['read'] }] },
      ],
    });
    const withRoles = whoCanReport([app], request, { requirements });
    expect(withRoles.roles?.length).toBeGreaterThan(0);
    expect(renderWhoCanText(withRoles)).toContain('\n\nROLE');
  });

  it('diffPolicySets samples paths when none are given and lists only changes unless all', () => {
    const wider = parsePolicy('path "secret/data/app/*" { capabilities = ["read", "update"] }', { name: 'app' });
    const report = diffPolicySets([app], [wider]);
    expect(report.changed).toBeGreaterThan(0);
    expect(report.entries).toHaveLength(report.changed);
    expect(report.entries.every((e) => e.added.includes('update'))).toBe(true);
    const all = diffPolicySets([app], [wider], { paths: ['secret/data/app/x', 'sys/mounts'], all: true });
    expect(all).toMatchObject({ paths: 2, changed: 1 });
    expect(all.entries).toHaveLength(2);
    expect(renderPolicyDiffText(report, { sampled: true, style: { green: tag('g') } })).toContain('<g>+update</g>');
    expect(renderPolicyDiffText({ paths: 3, changed: 0, entries: [] })).toBe('0 of 3 paths changed (paths given)');
    expect(pathsFromList('a\n # c\n\n b \n#x')).toEqual(['a', 'b']);
    const requirements = Requirements.parse({
      applications: [
        { name: 'web', auth: [{ method: 'approle' }], secrets: [{ kind: 'kv', path: 'config', access: ['read'] }] },
      ],
    });
    const paths = requirementPaths(requirements);
    expect(new Set(paths).size).toBe(paths.length);
    expect(paths.length).toBeGreaterThan(0);
  });
});

describe('formatPolicyFiles', () => {
  it('keeps JSON policies JSON, says which files change, and writes nothing', async () => {
    const cwd = folder({
      'p/a.hcl': 'path "x" {capabilities=["read"]}\n',
      'p/b.json': '{"path":{"y":{"capabilities":["read"]}}}',
    });
    const results = await formatPolicyFiles(['p'], { cwd });
    expect(results.map((r) => [r.file, r.path === join(cwd, r.file), r.changed])).toEqual([
      ['p/a.hcl', true, true],
      ['p/b.json', true, true],
    ]);
    expect(results[1]?.formatted.trimStart().startsWith('{')).toBe(true);
    expect(renderFormatSummary(results)).toBe(
      'p/a.hcl\np/b.json\n2 file(s) not formatted (run svm policy fmt --write)',
    );
    expect(renderFormatSummary(results, { write: true }).endsWith('reformatted 2 file(s)')).toBe(true);
    expect(renderFormatSummary([{ file: 'a', changed: false }])).toBe('1 file(s) already formatted');
  });
});

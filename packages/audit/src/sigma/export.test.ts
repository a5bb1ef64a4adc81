import type { AuditEvent } from '@svm/core';
import { isSvmError } from '@svm/core';
import { afterEach, describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { readFileSync } from 'node:fs';
import { analyzeEvents } from '../analyzer.js';
import { CLOUDTRAIL_LOGGING_CHANGES, CLOUD_DESTROY_OPERATIONS } from '../detectors/catalog.js';
import { DEFAULT_ANALYZER_OPTIONS, type AnalyzerOptions } from '../options.js';
import { SIGMA_NOT_EXPRESSIBLE, SVM_SIGMA_NAMESPACE, exportSigmaRules, sigmaFieldMappingMarkdown } from './export.js';
import { uuidV5 } from './uuid.js';

type Doc = Record<string, unknown> & { correlation?: { timespan: string; condition: Record<string, unknown> } };
const docs = (path: string, options?: AnalyzerOptions): Doc[] => {
  const f = exportSigmaRules({ analyzer: options }).files.find((x) => x.path === path);
  if (!f) throw new Error(`no ${path}`);
  return parseAllDocuments(f.content).map((d) => d.toJS() as Doc);
};
const correlation = (path: string, options?: AnalyzerOptions) => docs(path, options)[0]?.correlation;

const T0 = Date.parse('2026-03-03T12:00:00Z');
const failures = (n: number): AuditEvent[] =>
  Array.from({ length: n }, (_, i) => ({
    time: new Date(T0 + i * 30_000).toISOString(),
    source: 'vault',
    identity: 'userpass-bob',
    identityKind: 'unknown',
    operation: 'update',
    path: 'auth/userpass/login/bob',
    outcome: 'failed-auth',
    sourceIp: '185.220.101.7',
    requestId: `r${i}`,
  }));
const failedAuthFindings = (n: number) => analyzeEvents(failures(n)).findings.filter((f) => f.rule === 'failed-auth');

describe('uuidV5', () => {
  it('matches the RFC test vector (DNS namespace, www.example.com)', () => {
    expect(uuidV5('www.example.com', '6ba7b810-9dad-11d1-80b4-00c04fd430c8')).toBe(
      '2ed6657d-e927-568b-95e1-2665a8aea6a2',
    );
  });
});

describe('exportSigmaRules', () => {
  it('is byte-identical on re-export; ids are UUIDv5 of the svm rule id and source, and unique', () => {
    const a = exportSigmaRules();
    const b = exportSigmaRules();
    expect(b).toEqual(a);
    for (const r of a.rules) expect(r.id).toBe(uuidV5(`${r.rule}/${r.source}`, SVM_SIGMA_NAMESPACE));
    const ids = a.files.flatMap((f) => [...f.content.matchAll(/^id: (.+)$/gm)].map((m) => m[1]));
    expect(new Set(ids).size).toBe(ids.length);
    expect(a.rules.length).toBe(40);
  });

  it('exports a rule for each expressible detection of each source, and lists the rest as not expressible', () => {
    const { rules, notExpressible } = exportSigmaRules();
    const by = (s: string) =>
      rules
        .filter((r) => r.source === s)
        .map((r) => r.rule)
        .sort();
    const vault = [
      'audit-device-change',
      'auth-method-change',
      'bulk-read',
      'denied-access',
      'failed-auth',
      'long-ttl-token',
      'password-spray',
      'policy-change',
      'root-token',
      'secret-destroy',
    ];
    expect(by('vault')).toEqual(vault);
    expect(by('openbao')).toEqual(vault);
    expect(by('cloudtrail')).toEqual(vault.filter((r) => r !== 'auth-method-change' && r !== 'long-ttl-token'));
    const cloud = ['bulk-read', 'denied-access', 'failed-auth', 'password-spray', 'policy-change', 'secret-destroy'];
    expect(by('gcp')).toEqual(cloud);
    expect(by('azure')).toEqual(cloud);
    expect(notExpressible.map((n) => n.rule)).toEqual(['new-source-ip', 'volume-spike', 'off-hours']);
    expect(rules.filter((r) => r.kind === 'correlation').map((r) => r.rule)).toEqual(
      expect.arrayContaining(['failed-auth', 'password-spray', 'denied-access', 'bulk-read']),
    );
  });

  it('limits the export to the sources asked for (the pipeline comes only with Vault/OpenBao)', () => {
    const r = exportSigmaRules({ sources: ['gcp'] });
    expect(new Set(r.rules.map((x) => x.source))).toEqual(new Set(['gcp']));
    expect(r.files.some((f) => f.path.startsWith('pipelines/'))).toBe(false);
  });

  it('rejects a window Sigma cannot state (not whole seconds), naming the option', () => {
    try {
      exportSigmaRules({ analyzer: { failedAuth: { windowMs: 1500 } } });
      expect.unreachable();
    } catch (e) {
      expect(isSvmError(e) && e.code).toBe('INPUT_INVALID');
      expect((e as Error).message).toMatch(/^failedAuth\.windowMs: 1500 ms is not a whole number of seconds/);
    }
  });
});

describe('the exported rules and svm audit analyze read one definition', () => {
  const saved = DEFAULT_ANALYZER_OPTIONS.failedAuth;
  afterEach(() => {
    (DEFAULT_ANALYZER_OPTIONS as { failedAuth: unknown }).failedAuth = saved;
  });

  it('by default, the rules carry the numbers of DEFAULT_ANALYZER_OPTIONS', () => {
    const D = DEFAULT_ANALYZER_OPTIONS;
    expect(correlation('svm_vault_failed_auth.yml')?.condition).toEqual({ gte: D.failedAuth.threshold });
    expect(correlation('svm_vault_failed_auth.yml')?.timespan).toBe(`${D.failedAuth.windowMs / 60_000}m`);
    expect(correlation('svm_gcp_denied_access.yml')?.condition).toEqual({ gte: D.deniedAccess.burst });
    expect(correlation('svm_azure_bulk_read.yml')?.condition).toEqual({
      field: 'properties.id',
      gte: D.bulkRead.distinctSecrets,
    });
    const ttl = (docs('svm_vault_long_ttl_token.yml')[0] as { detection: Record<string, Record<string, unknown>> })
      .detection;
    expect(ttl['over_max']).toEqual({ 'tokenTtl|gt': D.longTtl.maxSeconds });
    expect(ttl['human_login']?.['tokenTtl|gt']).toBe(D.longTtl.humanMaxSeconds);
  });

  it('changing the definition changes both: the failed-auth rule and the analyzer move to the new threshold', () => {
    expect(failedAuthFindings(5)).toHaveLength(1);
    (DEFAULT_ANALYZER_OPTIONS as { failedAuth: unknown }).failedAuth = { windowMs: 10 * 60_000, threshold: 7 };
    expect(correlation('svm_vault_failed_auth.yml')).toMatchObject({ timespan: '10m', condition: { gte: 7 } });
    expect(correlation('svm_cloudtrail_failed_auth.yml')).toMatchObject({ timespan: '10m', condition: { gte: 7 } });
    expect(failedAuthFindings(6)).toHaveLength(0);
    expect(failedAuthFindings(7)).toHaveLength(1);
  });

  it('options given to the export are the analyzer options: same resolution, same numbers', () => {
    const o: AnalyzerOptions = {
      deniedAccess: { burst: 3, windowMs: 2 * 3_600_000 },
      bulkRead: { distinctSecrets: 12, windowMs: 90_000 },
      humanAuthMethods: ['okta'],
    };
    expect(correlation('svm_cloudtrail_denied_access.yml', o)).toMatchObject({ timespan: '2h', condition: { gte: 3 } });
    expect(correlation('svm_vault_bulk_read.yml', o)).toMatchObject({
      timespan: '90s',
      condition: { field: 'path', gte: 12 },
    });
    const ttl = (docs('svm_vault_long_ttl_token.yml', o)[0] as { detection: Record<string, Record<string, unknown>> })
      .detection;
    expect(ttl['human_login']?.['mountType']).toEqual(['okta']);
  });

  it('the event names come from the detectors’ catalog: each one listed is flagged by the analyzer', () => {
    const trail = docs('svm_cloudtrail_audit_device_change.yml')[0] as {
      detection: { change: { eventName: string[] } };
    };
    expect(trail.detection.change.eventName).toEqual([...CLOUDTRAIL_LOGGING_CHANGES]);
    const destroy = docs('svm_azure_secret_destroy.yml')[0] as { detection: { destroy: { operationName: string[] } } };
    expect(destroy.detection.destroy.operationName).toEqual([...CLOUD_DESTROY_OPERATIONS.azure]);
    const events: AuditEvent[] = CLOUDTRAIL_LOGGING_CHANGES.map((name, i) => ({
      time: new Date(T0 + i * 1000).toISOString(),
      source: 'cloudtrail',
      identity: 'ops',
      identityKind: 'machine',
      operation: name,
      path: 'cloudtrail.amazonaws.com',
      outcome: 'success',
    }));
    // One finding per detection (grouping would fold these changes by one identity into one finding).
    expect(
      analyzeEvents(events, { group: false }).findings.filter((f) => f.rule === 'audit-device-change'),
    ).toHaveLength(CLOUDTRAIL_LOGGING_CHANGES.length);
  });
});

describe('README', () => {
  /** Table cells without the padding Biome's Markdown formatter aligns them with. */
  const cells = (md: string) =>
    md
      .split('\n')
      .map((l) =>
        l.startsWith('|')
          ? l
              .split('|')
              .map((c) => c.trim().replace(/^-+$/, '---'))
              .join('|')
          : l,
      )
      .join('\n');
  const readme = cells(readFileSync(new URL('../../README.md', import.meta.url), 'utf8'));
  it('carries the generated field-mapping table and every not-expressible detection', () => {
    expect(readme).toContain(cells(sigmaFieldMappingMarkdown()));
    for (const n of SIGMA_NOT_EXPRESSIBLE) expect(readme).toContain(`\`${n.rule}\``);
  });
});

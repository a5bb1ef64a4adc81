/**
 * The exported single-event Sigma rules select the same events as `svm audit analyze` on the project's own
 * sample logs (Vault, CloudTrail, GCP, Azure Key Vault). The rules are evaluated with the small matcher in
 * sigma-matcher.ts (pySigma converts rules to queries; it has no evaluator), Vault/OpenBao rules through the
 * shipped pipeline's field mapping; the analyzer runs on the same files through analyzeFiles, as the CLI does.
 */
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import type { AuditEvent } from '@svm/core';
import { isSecretRead } from '../src/detectors/types.js';
import { analyzeFiles, exportSigmaRules, vaultPipeline, type RuleId, type SigmaSource } from '../src/index.js';
import { sigmaMatches, vaultCalls } from './sigma-matcher.js';

type Obj = Record<string, unknown>;
type Kind = 'vault' | 'cloudtrail' | 'gcp' | 'azure';

const fixture = (name: string) => fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url));

function records(name: string, kind: Kind): Obj[] {
  const raw = name.endsWith('.gz')
    ? gunzipSync(readFileSync(fixture(name))).toString('utf8')
    : readFileSync(fixture(name), 'utf8');
  if (/^\s*\{\s*"(Records|records)"/.test(raw)) {
    const doc = JSON.parse(raw) as { Records?: Obj[]; records?: Obj[] };
    return doc.Records ?? doc.records ?? [];
  }
  const lines = raw
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as Obj);
  // An EventBridge envelope is unwrapped, as a SIEM's CloudTrail integration does before indexing.
  return kind === 'cloudtrail' ? lines.map((o) => (o['detail-type'] !== undefined ? (o['detail'] as Obj) : o)) : lines;
}

function timeOf(o: Obj, kind: Kind): number {
  const t = kind === 'gcp' ? o['timestamp'] : kind === 'cloudtrail' ? o['eventTime'] : o['time'];
  return Date.parse(String(t));
}

const FIXTURES: { file: string; kind: Kind }[] = [
  { file: 'vault-audit.ndjson', kind: 'vault' },
  { file: 'sigma/vault-sigma.ndjson', kind: 'vault' },
  { file: '210987654321_CloudTrail_eu-west-1_20250212T0125Z_AbCdEfGh12345678.json.gz', kind: 'cloudtrail' },
  { file: 'cloudtrail-eventbridge.ndjson', kind: 'cloudtrail' },
  { file: 'sigma/cloudtrail-sigma.ndjson', kind: 'cloudtrail' },
  { file: 'gcp-secretmanager.ndjson', kind: 'gcp' },
  { file: 'sigma/gcp-sigma.ndjson', kind: 'gcp' },
  { file: 'azure-keyvault-PT1H.json', kind: 'azure' },
  { file: 'sigma/azure-sigma.json', kind: 'azure' },
];

const exported = exportSigmaRules();
const mapping = ((vaultPipeline()['transformations'] as Obj[])[0] as { mapping: Record<string, string> }).mapping;
const singleRules = exported.rules
  .filter((r) => r.kind === 'single')
  .map((r) => {
    const file = exported.files.find((f) => f.path === r.path) as { content: string };
    const [doc] = parseAllDocuments(file.content);
    if (!doc) throw new Error(`${r.path}: no YAML document`);
    return { ...r, detection: (doc.toJS() as { detection: Obj }).detection };
  });
const SINGLE_RULES = [...new Set(singleRules.map((r) => r.rule))];
/** The event rules the correlations count (each correlation file's second document). */
const eventRules = exported.rules
  .filter((r) => r.kind === 'correlation')
  .map((r) => {
    const file = exported.files.find((f) => f.path === r.path) as { content: string };
    const doc = parseAllDocuments(file.content)[1];
    if (!doc) throw new Error(`${r.path}: no event rule`);
    return { ...r, detection: (doc.toJS() as { detection: Obj }).detection };
  });
/** What each threshold detector counts, as the analyzer decides it per event. */
const COUNTED: Record<string, (ev: AuditEvent) => boolean> = {
  'failed-auth': (ev) => ev.outcome === 'failed-auth',
  // The same failures, those with a source address only (password-spray groups by it).
  'password-spray': (ev) => ev.outcome === 'failed-auth' && !!ev.sourceIp,
  'denied-access': (ev) => ev.outcome === 'denied' && ev.deniedBy !== 'firewall',
  // The CloudTrail correlation counts GetSecretValue only (a batch read is its own, not expressible, check).
  'bulk-read': (ev) => ev.outcome === 'success' && isSecretRead(ev) && ev.operation !== 'BatchGetSecretValue',
};
/** `<rule>/<source>` pairs that matched at least one sample event. */
const hitRules = new Set<string>();

function sigmaHits(kind: Kind, source: SigmaSource, recs: Obj[]): Map<RuleId, number[]> {
  const out = new Map<RuleId, number[]>();
  const calls = kind === 'vault' ? vaultCalls(recs) : recs;
  const mapField = kind === 'vault' ? (f: string) => mapping[f] ?? f : (f: string) => f;
  for (const r of singleRules.filter((x) => x.source === source)) {
    const hits = calls.filter((o) => sigmaMatches(r.detection, o, mapField)).map((o) => timeOf(o, kind));
    out.set(
      r.rule,
      hits.sort((a, b) => a - b),
    );
  }
  return out;
}

describe('exported single-event Sigma rules select the events svm audit analyze flags', () => {
  it('every single-event detection svm exports is covered by these fixtures', async () => {
    expect(SINGLE_RULES.sort()).toEqual(
      [
        'audit-device-change',
        'auth-method-change',
        'long-ttl-token',
        'policy-change',
        'root-token',
        'secret-destroy',
      ].sort(),
    );
  });

  for (const { file, kind } of FIXTURES) {
    it(`${file}`, async () => {
      const { result } = await analyzeFiles([fixture(file)], { source: kind });
      const recs = records(file, kind);
      const sources: SigmaSource[] = kind === 'vault' ? ['vault', 'openbao'] : [kind];
      let compared = 0;
      for (const source of sources) {
        const hits = sigmaHits(kind, source, recs);
        for (const rule of SINGLE_RULES) {
          const findings = result.findings.filter((f) => f.rule === rule);
          const got = hits.get(rule);
          if (got === undefined) {
            // No rule for this source: the analyzer has nothing to flag there either.
            expect(findings, `${rule} on ${source}: no Sigma rule, so no finding expected`).toEqual([]);
            continue;
          }
          // Same number of events: a finding folds `count` events (first at `time`, last at `lastTime`).
          const expected = findings.reduce((n, f) => n + f.count, 0);
          expect(got.length, `${rule} on ${source}: Sigma hits vs analyzer events`).toBe(expected);
          for (const f of findings) {
            const first = Date.parse(f.time);
            const last = f.lastTime ? Date.parse(f.lastTime) : first;
            expect(got, `${rule} on ${source}: the finding's first event is a hit`).toContain(first);
            expect(got.filter((t) => t >= first && t <= last).length).toBeGreaterThanOrEqual(1);
          }
          for (const t of got)
            expect(
              findings.some((f) => t >= Date.parse(f.time) && t <= Date.parse(f.lastTime ?? f.time)),
              `${rule} on ${source}: Sigma hit at ${new Date(t).toISOString()} has a finding`,
            ).toBe(true);
          compared++;
          if (got.length > 0) hitRules.add(`${rule}/${source}`);
        }
      }
      expect(compared, `${file}: at least one rule compared`).toBeGreaterThan(0);
    });
  }

  for (const { file, kind } of FIXTURES) {
    it(`${file}: the correlations' event rules select the events the threshold detectors count`, async () => {
      const events: AuditEvent[] = [];
      await analyzeFiles([fixture(file)], { source: kind, onEvent: (ev) => events.push(ev) });
      const recs = records(file, kind);
      const calls = kind === 'vault' ? vaultCalls(recs) : recs;
      const mapField = kind === 'vault' ? (f: string) => mapping[f] ?? f : (f: string) => f;
      const sources: SigmaSource[] = kind === 'vault' ? ['vault', 'openbao'] : [kind];
      for (const r of eventRules.filter((x) => sources.includes(x.source))) {
        const counted = COUNTED[r.rule] as (ev: AuditEvent) => boolean;
        const want = events
          .filter(counted)
          .map((ev) => Date.parse(ev.time))
          .sort((a, b) => a - b);
        const got = calls
          .filter((o) => sigmaMatches(r.detection, o, mapField))
          .map((o) => timeOf(o, kind))
          .sort((a, b) => a - b);
        expect(got, `${r.rule} event rule on ${r.source}`).toEqual(want);
        if (got.length > 0) hitRules.add(`${r.rule}/${r.source}/event`);
      }
    });
  }

  it('every exported single-event rule matched at least one sample event (no rule is vacuous)', () => {
    expect([...hitRules].sort()).toEqual(
      [
        ...singleRules.map((r) => `${r.rule}/${r.source}`),
        ...eventRules.map((r) => `${r.rule}/${r.source}/event`),
      ].sort(),
    );
  });
});

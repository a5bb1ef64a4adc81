// The OCSF output (`--format ocsf`) validates against the published OCSF schema version it names (1.3.0): every
// event and finding the project's own sample logs produce (Vault, CloudTrail, GCP, Azure, the original format)
// is checked with ajv against the JSON Schemas generated from the official OCSF 1.3.0 schema
// (test/fixtures/ocsf-1.3.0/, see generate.py there).
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Ajv2020 from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { describe, expect, it } from 'vitest';
import { gunzipSync } from 'node:zlib';
import {
  analyzeEvents,
  analyzeFiles,
  loadSuppressions,
  normalizeCloudTrail,
  toOcsfEvent,
  toOcsfFinding,
} from '../src/index.js';
import { cloudTrailDay } from './cloudtrail-day.js';

const fixtures = fileURLToPath(new URL('./fixtures/', import.meta.url));
const schemaDir = join(fixtures, 'ocsf-1.3.0');

function validators() {
  const ajv = new Ajv2020.default({ allErrors: true, strict: false });
  addFormats.default(ajv);
  // `<class_uid>-<name>[.cloud].schema.json`: keyed `3002` or `3002+cloud`.
  const byClass = new Map<string, ReturnType<typeof ajv.compile>>();
  for (const f of readdirSync(schemaDir).filter((n) => n.endsWith('.schema.json'))) {
    const key = `${f.slice(0, 4)}${f.includes('.cloud.') ? '+cloud' : ''}`;
    byClass.set(key, ajv.compile(JSON.parse(readFileSync(join(schemaDir, f), 'utf8'))));
  }
  return byClass;
}

describe('OCSF output against the OCSF 1.3.0 schema', () => {
  const byClass = validators();
  const check = (record: Record<string, unknown>) => {
    const profiles = ((record['metadata'] as { profiles?: string[] }).profiles ?? []).join('+');
    const validate = byClass.get(`${record['class_uid']}${profiles ? `+${profiles}` : ''}`);
    expect(validate, `no schema for class ${record['class_uid']}`).toBeDefined();
    const ok = (validate as NonNullable<typeof validate>)(record);
    return ok
      ? []
      : (validate?.errors ?? []).map(
          (e) => `${record['class_uid']} ${e.instancePath} ${e.message} ${JSON.stringify(e.params)}`,
        );
  };

  it('every event and finding of the sample logs of every source validates', async () => {
    const records: Array<Record<string, unknown>> = [];
    const inputs = readdirSync(fixtures)
      .filter((f) => /\.(ndjson|json|gz)$/.test(f))
      .map((f) => join(fixtures, f));
    // The quick-start log: 371 Vault calls over two days with eleven planted incidents (every Vault rule).
    inputs.push(fileURLToPath(new URL('../../../examples/quickstart/data/vault-audit.log', import.meta.url)));
    // The real OpenBao setup burst: grouped findings (first/last seen, one resource per policy).
    inputs.push(join(fixtures, 'openbao-setup-burst.log'));
    // Some of them suppressed: Detection Findings with status Suppressed (status_id 3) and a status_detail.
    const suppressions = loadSuppressions(
      'suppressions:\n  - rule: policy-change\n    expires: 2099-01-01\n    reason: Terraform\n',
      { file: 's.yaml' },
    );
    const { result } = await analyzeFiles(inputs, {
      suppressions,
      onEvent: (ev) => records.push(toOcsfEvent(ev)),
    });
    for (const f of [...result.findings, ...result.suppressed]) records.push(toOcsfFinding(f));
    expect(result.suppressed.length).toBeGreaterThan(0);
    // And a day of CloudTrail with its planted incidents (more finding types).
    const day = cloudTrailDay({ everyMin: 60 });
    const events = day.flatMap((f) =>
      (JSON.parse(gunzipSync(f.body).toString()) as { Records: Array<Record<string, unknown>> }).Records.map((r) =>
        normalizeCloudTrail(r),
      ),
    );
    const ct = analyzeEvents(
      events.filter((e) => e !== undefined),
      { onEvent: (ev) => records.push(toOcsfEvent(ev)) },
    );
    for (const f of ct.findings) records.push(toOcsfFinding(f));
    const classes = new Set(records.map((r) => r['class_uid']));
    expect([...classes].sort()).toEqual([2004, 3002, 6003]);
    // Distinct errors (the same mistake in many records is listed once).
    expect([...new Set(records.flatMap(check))]).toEqual([]);
    expect(records.length).toBeGreaterThan(1000);
    const rules = new Set(
      records.filter((r) => r['class_uid'] === 2004).map((r) => (r['finding_info'] as { title: string }).title),
    );
    expect(rules.size).toBeGreaterThanOrEqual(11);
  });

  it('the schemas reject what the output used to write (so the test above can fail)', () => {
    const api = toOcsfEvent({
      time: '2026-03-03T00:00:00Z',
      source: 'vault',
      identity: 'approle-x',
      identityKind: 'machine',
      operation: 'read',
      path: 'secret/data/a',
      outcome: 'success',
    });
    expect(check(api)).toEqual([]);
    expect(check({ ...api, src_endpoint: {} }).join('\n')).toMatch(/src_endpoint must have required property 'ip'/);
    const ctEvent = toOcsfEvent({
      time: '2026-03-03T00:00:00Z',
      source: 'cloudtrail',
      identity: 'ci',
      identityKind: 'machine',
      operation: 'GetSecretValue',
      path: 'prod/db',
      outcome: 'success',
      sourceIp: '10.0.0.1',
    });
    expect(check(ctEvent)).toEqual([]);
    const noProfile = { ...ctEvent, metadata: { ...(ctEvent['metadata'] as object), profiles: undefined } };
    expect(check(noProfile).join('\n')).toMatch(/additional properties.*cloud/);
    const finding = toOcsfFinding({
      rule: 'root-token',
      severity: 'high',
      time: '2026-03-03T00:00:00Z',
      identity: 'root',
      sourceIp: '10.0.0.1',
      path: 'sys/x',
      count: 1,
      message: 'm',
    } as Parameters<typeof toOcsfFinding>[0]);
    expect(check(finding)).toEqual([]);
    expect(check({ ...finding, actor: { user: { name: 'root' } } }).join('\n')).toMatch(/additionalProperty":"actor/);
  });
});

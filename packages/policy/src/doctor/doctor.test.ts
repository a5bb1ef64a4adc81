import { DoctorReport } from '@svm/core';
import { describe, expect, it } from 'vitest';
import type { VaultHttp } from '../apply/client.js';
import { vaultDoctor } from './doctor.js';
import { renderDoctorText } from './render.js';

// The branches a test server cannot reach cheaply (auto-unseal, a failing audit device, irrevocable leases, lease
// explosions, an unhealthy Raft peer, thousands of accessors). The answers are the shapes OpenBao 2.7.2 returned
// for the same endpoints (packages/cli/test/vault-doctor.test.ts drives the real servers); only values differ.
type Answer = { status: number; json: unknown };
const ok = (data: unknown): Answer => ({ status: 200, json: { data } });
const denied: Answer = { status: 403, json: { errors: ['1 error occurred:\n\t* permission denied\n\n'] } };

function server(overrides: Record<string, Answer> = {}): VaultHttp & { calls: string[] } {
  const base: Record<string, Answer> = {
    'GET sys/seal-status': {
      status: 200,
      json: {
        type: 'awskms',
        recovery_seal: true,
        t: 3,
        n: 5,
        sealed: false,
        initialized: true,
        version: '2.7.2',
        storage_type: 'raft',
      },
    },
    'GET sys/leader': { status: 200, json: { ha_enabled: true } },
    'GET sys/ha-status': ok({ nodes: [{ api_address: 'https://a:8200', active_node: true }, {}, {}] }),
    'GET sys/storage/raft/configuration': ok({
      config: {
        servers: [
          { node_id: 'a', leader: true, voter: true },
          { node_id: 'b', voter: true },
          { node_id: 'c', voter: true },
        ],
      },
    }),
    'GET sys/storage/raft/autopilot/state': ok({ healthy: true, failure_tolerance: 1, servers: {} }),
    'GET sys/audit': ok({ 'file/': { type: 'file' }, 'syslog/': { type: 'syslog' } }),
    'GET sys/auth': ok({ 'token/': { type: 'token', options: null } }),
    'LIST auth/token/roles': { status: 404, json: { errors: [] } },
    'GET sys/mounts': ok({ 'kv/': { type: 'kv', options: { version: '2' } } }),
    'GET sys/mounts/auth/token/tune': ok({ default_lease_ttl: 3600, max_lease_ttl: 86400 }),
    'LIST sys/policies/acl': ok({ keys: ['default', 'root'] }),
    'GET sys/policies/acl/default': ok({ policy: 'path "auth/token/lookup-self" {\n  capabilities = ["read"]\n}\n' }),
    'LIST auth/token/accessors': ok({ keys: ['acc-1'] }),
    'GET auth/token/lookup-self': ok({ accessor: 'acc-1' }),
    'POST auth/token/lookup-accessor': ok({ policies: ['default', 'ops-doctor-audit'] }),
    'GET sys/internal/counters/tokens': ok({ counters: { service_tokens: { total: 12 } } }),
    'GET sys/metrics': {
      status: 200,
      json: {
        Gauges: [{ Name: 'vault.expire.num_leases', Value: 40 }],
        Counters: [{ Name: 'vault.audit.log_request_failure', Count: 9, Sum: 0 }],
      },
    },
    'GET sys/leases/count?type=irrevocable': ok({ lease_count: 0, counts: {} }),
  };
  const answers = { ...base, ...overrides };
  const calls: string[] = [];
  return {
    calls,
    async request(method, path) {
      calls.push(`${method} ${path}`);
      return answers[`${method} ${path}`] ?? { status: 404, json: { errors: ['unexpected call'] } };
    },
  };
}

describe('vaultDoctor', () => {
  it('a healthy auto-unsealed Raft cluster passes every check; audit failure counters count failures in Sum, not Count', async () => {
    const report = DoctorReport.parse(await vaultDoctor(server()));
    expect(report.findings).toEqual([]);
    expect(report.summary).toMatchObject({ passed: 12, failed: 0, notChecked: 0, notApplicable: 0 });
    expect(report.checks.find((c) => c.id === 'seal')?.notes).toEqual(['auto-unseal (awskms seal, recovery keys)']);
  });

  it('reports audit write failures, irrevocable leases, lease and token counts over the thresholds, an unhealthy peer', async () => {
    const report = await vaultDoctor(
      server({
        'GET sys/metrics': {
          status: 200,
          json: {
            Gauges: [{ Name: 'vault.expire.num_leases', Value: 300_000 }],
            Counters: [
              { Name: 'vault.audit.log_request_failure', Count: 9, Sum: 2 },
              { Name: 'vault.audit.log_response_failure', Count: 9, Sum: 1 },
            ],
          },
        },
        'GET sys/leases/count?type=irrevocable': ok({ lease_count: 4 }),
        'GET sys/internal/counters/tokens': ok({ counters: { service_tokens: { total: 60_001 } } }),
        'GET sys/storage/raft/autopilot/state': ok({
          healthy: false,
          servers: { c: { id: 'c', healthy: false } },
        }),
      }),
    );
    expect(report.findings.map((f) => `${f.severity} ${f.rule}: ${f.message}`)).toEqual([
      'high autopilot-unhealthy: autopilot reports the cluster unhealthy; unhealthy servers: c',
      'high audit-device-failures: 3 audit writes failed in the current metrics interval',
      'medium token-count-high: 60001 service tokens exist (threshold 50000)',
      'medium lease-count-high: 300000 leases exist (threshold 256000)',
      'medium irrevocable-leases: 4 irrevocable leases',
    ]);
  });

  it('accessors beyond maxAccessors are reported as not looked up, so the check is not passed', async () => {
    const keys = Array.from({ length: 5 }, (_, i) => `acc-${i}`);
    const client = server({ 'LIST auth/token/accessors': ok({ keys }) });
    const report = await vaultDoctor(client, { maxAccessors: 3 });
    expect(report.checks.find((c) => c.id === 'root-tokens')).toMatchObject({
      status: 'not-checked',
      unchecked: ['2 of 5 token accessors not looked up (limit 3)'],
    });
    expect(client.calls.filter((c) => c === 'POST auth/token/lookup-accessor')).toHaveLength(3);
  });

  it('a refused read is not-checked with the reason; the text output says NOT CHECKED and never passed', async () => {
    const report = await vaultDoctor(server({ 'GET sys/audit': denied }));
    expect(report.checks.find((c) => c.id === 'audit-devices')).toMatchObject({
      status: 'not-checked',
      unchecked: ['GET sys/audit: permission denied (403)'],
    });
    expect(report.summary.passed).toBe(11);
    const text = renderDoctorText(report);
    expect(text).toContain('NOT CHECKED audit-devices');
    expect(text).toContain('not read: GET sys/audit: permission denied (403)');
    expect(text).toContain('11 passed, 0 failed, 1 not checked, 0 not applicable; no findings');
  });
});

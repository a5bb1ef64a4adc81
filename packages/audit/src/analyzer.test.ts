import type { AuditEvent } from '@svm/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PLANTED, generateVaultTraffic } from '../test/traffic.js';
import { AuditAnalyzer, analyzeEvents } from './analyzer.js';
import { parseLines } from './internal/parse-batch.js';

function vaultEvents(lines: string[]): AuditEvent[] {
  // Parse each line alone (batch of one) so request entries reach the analyzer for pairing.
  return lines.flatMap((l, i) => parseLines([l], 'traffic', i + 1, 'auto').events);
}

describe('AuditAnalyzer on generated traffic', () => {
  const lines: string[] = [];
  generateVaultTraffic({ days: 2, machines: 8, humans: 6 }, (l) => lines.push(l));
  const result = analyzeEvents(vaultEvents(lines));

  it('finds every planted incident, by rule and identity, and nothing else', () => {
    const found = result.findings.map((f) => `${f.rule} ${f.identity}`).sort();
    const expected = Object.entries(PLANTED)
      .map(([rule, who]) => `${rule} ${who}`)
      .sort();
    expect(found).toEqual(expected);
  });

  it('machine identities working at night are never flagged off-hours', () => {
    const machinesAtNight = result.aggregates.identities.filter((i) => i.kind === 'machine');
    expect(machinesAtNight.length).toBe(8);
    expect(result.findings.filter((f) => f.rule === 'off-hours').map((f) => f.identity)).toEqual(['userpass-carol']);
  });

  it('pairs every request with its response (one event per API call)', () => {
    expect(result.events).toBe(lines.length / 2);
    expect(result.state['pendingRequests']).toBe(0);
  });

  it('every contract field is present on every finding', () => {
    for (const f of result.findings) {
      expect(Object.keys(f)).toEqual(
        expect.arrayContaining(['rule', 'severity', 'time', 'identity', 'sourceIp', 'path', 'count', 'message']),
      );
      expect(f.count).toBeGreaterThan(0);
    }
  });
});

describe('pairing', () => {
  const lines: string[] = [];
  generateVaultTraffic({ days: 2, machines: 3, humans: 4, incidents: false }, (l) => lines.push(l));
  const events = vaultEvents(lines.slice(0, 600));
  const baseline = analyzeEvents(events.map((e) => ({ ...e })));

  it('property: order within the pairing window does not change the events or findings', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.nat(), fc.nat()), { maxLength: 60 }), (swaps) => {
        const shuffled = events.map((e) => ({ ...e }));
        for (const [a, b] of swaps) {
          // Swap only neighbours within 4 positions (entries of one call are written within milliseconds).
          const i = a % shuffled.length;
          const j = Math.min(shuffled.length - 1, i + (b % 4));
          [shuffled[i], shuffled[j]] = [shuffled[j] as AuditEvent, shuffled[i] as AuditEvent];
        }
        const r = analyzeEvents(shuffled);
        expect(r.events).toBe(baseline.events);
        expect(r.findings).toEqual(baseline.findings);
        expect(r.aggregates.identities).toEqual(baseline.aggregates.identities);
      }),
      { numRuns: 40 },
    );
  });

  it('a request whose response never comes is analysed on its own', () => {
    const req: AuditEvent = {
      time: '2026-03-02T10:00:00Z',
      source: 'vault',
      identity: 'root',
      identityKind: 'unknown',
      operation: 'delete',
      path: 'sys/audit/file',
      outcome: 'success',
      entry: 'request',
      requestId: 'r1',
      policies: ['root'],
    };
    const r = analyzeEvents([req]);
    expect(r.events).toBe(1);
    expect(r.findings.map((f) => f.rule).sort()).toEqual(['audit-device-change', 'root-token']);
  });
});

describe('state bounds', () => {
  it('property: every structure stays within its configured cap', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 20 }),
        fc.array(fc.tuple(fc.nat(200), fc.nat(50), fc.nat(255), fc.boolean()), { minLength: 1, maxLength: 400 }),
        (cap, specs) => {
          const a = new AuditAnalyzer({
            limits: { identities: cap, keys: cap, pendingRequests: cap, accessors: cap, secrets: cap },
          });
          const t0 = Date.parse('2026-03-02T00:00:00Z');
          a.push(
            specs.map(([who, path, ip, req], i) => ({
              time: new Date(t0 + i * 7_000).toISOString(),
              source: 'vault' as const,
              identity: `id-${who}`,
              identityKind: 'unknown' as const,
              operation: 'read',
              path: `secret/data/p${path}`,
              secret: `secret/p${path}`,
              outcome: (ip % 7 === 0 ? 'failed-auth' : ip % 5 === 0 ? 'denied' : 'success') as AuditEvent['outcome'],
              sourceIp: `10.${ip}.0.1`,
              requestId: `r${i}`,
              entry: (req ? 'request' : 'response') as 'request' | 'response',
              issuedAccessor: `acc-${i}`,
              tokenTtl: 3600,
            })),
          );
          const r = a.finish();
          for (const [k, v] of Object.entries(r.state)) expect(v, k).toBeLessThanOrEqual(cap);
          expect(r.aggregates.identities.length).toBeLessThanOrEqual(cap);
          expect(r.aggregates.secrets.length).toBeLessThanOrEqual(cap);
          expect(a.snapshot().identities.length).toBeLessThanOrEqual(cap);
        },
      ),
      { numRuns: 60 },
    );
  });
});

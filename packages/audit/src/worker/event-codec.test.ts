import type { AuditEvent } from '@svm/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeEvents, encodeEvents } from './event-codec.js';

const maybe = <T>(a: fc.Arbitrary<T>) => fc.option(a, { nil: undefined });
const text = fc.oneof(fc.string({ maxLength: 12 }), fc.constantFrom('approle-web', 'secret/data/a', '10.0.0.7', ''));
const event = fc.record({
  time: text,
  source: fc.constantFrom('vault', 'cloudtrail', 'gcp'),
  identity: text,
  identityKind: fc.constantFrom('human', 'machine', 'unknown'),
  authMethod: maybe(text),
  sourceIp: fc.option(text, { nil: undefined }).chain((v) => fc.constantFrom(v, null)),
  operation: text,
  path: text,
  secret: maybe(text),
  outcome: fc.constantFrom('success', 'denied', 'error', 'failed-auth'),
  statusCode: maybe(fc.integer()),
  errorMessage: maybe(text),
  tokenTtl: maybe(fc.double({ noNaN: true })),
  policies: maybe(fc.array(text, { maxLength: 3 })),
  requestId: maybe(text),
  accessor: maybe(text),
  issuedPolicies: maybe(fc.array(text, { maxLength: 3 })),
  issuedAccessor: maybe(text),
  leaseId: maybe(text),
  deniedBy: maybe(fc.constantFrom('policy', 'firewall')),
  mountType: maybe(text),
  batchSize: maybe(fc.integer()),
  entry: maybe(fc.constantFrom('request', 'response')),
  file: maybe(text),
  line: maybe(fc.nat()),
  ms: fc.nat(),
}) as fc.Arbitrary<AuditEvent & { ms: number }>;

describe('event codec (parse worker → main thread)', () => {
  it('property: every event comes back with every member equal, absent ones undefined, lists not shared', () => {
    fc.assert(
      fc.property(fc.array(event, { maxLength: 20 }), (events) => {
        const back = decodeEvents(encodeEvents(events));
        expect(back).toEqual(events);
        for (const [i, e] of back.entries()) {
          expect(Object.keys(e)).toHaveLength(26);
          if (e.policies) expect(e.policies).not.toBe(events[i]?.policies);
        }
        const shared = back.filter((e) => e.policies).map((e) => e.policies);
        expect(new Set(shared).size).toBe(shared.length);
      }),
      { numRuns: 300 },
    );
  });

  it('sends an event with members of its own, or of another type, whole', () => {
    const base = {
      time: 't',
      source: 'vault',
      identity: 'a',
      identityKind: 'unknown',
      operation: 'read',
      path: 'p',
      outcome: 'success',
    } as AuditEvent;
    const odd = [{ ...base, custom: { x: 1 } }, { ...base, statusCode: '500' as unknown as number }, base];
    const back = decodeEvents(encodeEvents(odd));
    expect(back[0]).toEqual(odd[0]);
    expect(back[1]).toEqual(odd[1]);
    expect(back[2]).toMatchObject(base);
  });

  it('repeated strings are one string in the table', () => {
    const e = {
      time: 't',
      source: 'vault',
      identity: 'approle-web',
      identityKind: 'machine',
      operation: 'read',
      path: 'secret/data/a',
      outcome: 'success',
    } as AuditEvent;
    const policies = ['default', 'web'];
    const enc = encodeEvents([
      { ...e, policies },
      { ...e, policies },
      { ...e, time: 'u', policies: [...policies] },
    ]);
    expect(enc.strings.filter((s) => s === 'approle-web')).toHaveLength(1);
    expect(enc.strings.filter((s) => s === '["default","web"]')).toHaveLength(1);
    const back = decodeEvents(enc);
    expect(back.map((b) => b.policies)).toEqual([policies, policies, policies]);
    expect(back[0]?.policies).not.toBe(back[1]?.policies);
  });
});

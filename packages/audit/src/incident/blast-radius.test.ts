import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AuditEvent } from '@svm/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { containConfirmation, containExitCode } from './contain.js';
import { containCategory } from './contain-store.js';
import {
  BlastRadiusCollector,
  blastRadius,
  blastRadiusFromFlags,
  parseSecretFlag,
  parseWindowTime,
  secretMatchKeys,
} from './blast-radius.js';

const STORE = 'vault+http://127.0.0.1:8200/secret';
const since = new Date('2026-03-01T10:00:00Z');

function ev(o: Partial<AuditEvent> & { time: string; identity: string }): AuditEvent {
  return {
    source: 'vault',
    identityKind: 'unknown',
    operation: 'read',
    path: 'secret/data/prod/db',
    secret: 'secret/prod/db',
    outcome: 'success',
    sourceIp: '10.0.0.1',
    ...o,
  } as AuditEvent;
}

describe('secretMatchKeys', () => {
  it('names the secret as each source logs it', () => {
    expect(secretMatchKeys(STORE, 'prod/db')).toEqual(['secret/prod/db']);
    expect(secretMatchKeys('vault://v:8200/kv/team', '/app/')).toEqual(['kv/team/app']);
    expect(secretMatchKeys('aws-sm://eu-west-1', 'arn:aws:secretsmanager:eu-west-1:1:secret:prod/db-AbC123')).toEqual([
      'prod/db',
      'arn:aws:secretsmanager:eu-west-1:1:secret:prod/db-AbC123',
    ]);
    expect(secretMatchKeys('gcp-sm://my-project', 'stripe-key')).toEqual(['stripe-key']);
    expect(secretMatchKeys('azure-kv://kv-pay-prod', 'db-password')).toEqual(['kv-pay-prod/db-password']);
  });
  it('refuses an empty name and a bad store URI', () => {
    expect(() => secretMatchKeys(STORE, '/')).toThrow(/expected a secret name/);
    expect(() => parseSecretFlag(['nope', 'x'])).toThrow(/expected <scheme>:\/\//);
    expect(() => parseSecretFlag([STORE])).toThrow(/expected a store URI and a secret name.*got 1 value/);
  });
});

describe('parseWindowTime', () => {
  it('takes ISO date-times and dates, and names the flag otherwise', () => {
    expect(parseWindowTime('2026-03-01', '--since').toISOString()).toBe('2026-03-01T00:00:00.000Z');
    expect(parseWindowTime('2026-03-01T10:00:00+02:00', '--since').toISOString()).toBe('2026-03-01T08:00:00.000Z');
    expect(() => parseWindowTime('yesterday', '--until')).toThrow(
      "--until: expected an ISO 8601 date-time such as 2026-03-01T10:00:00Z, got 'yesterday'",
    );
  });
});

describe('BlastRadiusCollector', () => {
  it('counts readers in the window only, by identity, token and address, with what they read afterwards', () => {
    const c = new BlastRadiusCollector({ store: STORE, name: 'prod/db', since });
    const events = [
      ev({ time: '2026-03-01T09:59:00Z', identity: 'approle-early', accessor: 'a0' }),
      ev({
        time: '2026-03-01T10:00:05Z',
        identity: 'approle-web',
        accessor: 'a1',
        path: 'database/creds/ro',
        secret: undefined,
        leaseId: 'database/creds/ro/L1',
      }),
      ev({ time: '2026-03-01T10:01:00Z', identity: 'approle-web', accessor: 'a1' }),
      ev({ time: '2026-03-01T10:02:00Z', identity: 'approle-web', accessor: 'a1' }),
      ev({
        time: '2026-03-01T10:03:00Z',
        identity: 'approle-web',
        accessor: 'a1',
        path: 'secret/data/prod/cache',
        secret: 'secret/prod/cache',
      }),
      ev({
        time: '2026-03-01T10:04:00Z',
        identity: 'userpass-alice',
        accessor: 'hmac-sha256:ab',
        sourceIp: '10.0.0.2',
        path: 'secret/metadata/prod/db',
      }),
      ev({
        time: '2026-03-01T10:05:00Z',
        identity: 'userpass-alice',
        accessor: 'hmac-sha256:ab',
        sourceIp: '10.0.0.2',
        operation: 'list',
        path: 'secret/metadata/prod/db/',
      }),
      ev({ time: '2026-03-01T10:06:00Z', identity: 'userpass-bob', accessor: 'a2', outcome: 'denied' }),
      ev({ time: '2026-03-01T10:07:00Z', identity: 'userpass-carol', accessor: 'a3', operation: 'update' }),
      ev({
        time: '2026-03-01T10:08:00Z',
        identity: 'approle-other',
        accessor: 'a4',
        path: 'secret/data/prod/dbx',
        secret: 'secret/prod/dbx',
      }),
    ];
    for (const e of events) c.add(e);
    const r = c.result();
    expect(r).toMatchObject({ accesses: 4, outsideWindow: 1, events: 10, hashedAccessors: 2 });
    expect(r.identities.map((i) => [i.identity, i.count, i.kinds])).toEqual([
      ['approle-web', 2, { read: 2, metadata: 0, list: 0 }],
      ['userpass-alice', 2, { read: 0, metadata: 1, list: 1 }],
    ]);
    const web = r.tokens.find((t) => t.accessor === 'a1');
    expect(web).toMatchObject({
      hashed: false,
      leases: ['database/creds/ro/L1'],
      afterwards: [{ target: 'secret/prod/cache', count: 1 }],
    });
    expect(r.tokens.find((t) => t.accessor === 'hmac-sha256:ab')?.hashed).toBe(true);
    expect(r.addresses).toEqual([
      { address: '10.0.0.1', count: 2, identities: ['approle-web'] },
      { address: '10.0.0.2', count: 2, identities: ['userpass-alice'] },
    ]);
    expect(r.denied).toEqual([{ identity: 'userpass-bob', count: 1, last: '2026-03-01T10:06:00Z' }]);
    expect(r.timeline.map((t) => t.kind)).toEqual(['read', 'read', 'metadata', 'list']);
  });

  it('the identities are exactly those with a successful read, metadata read or list of the secret in the window (property)', () => {
    const identity = fc.constantFrom('approle-a', 'approle-b', 'userpass-c', 'userpass-d', 'token');
    const event = fc.record({
      minute: fc.integer({ min: -30, max: 90 }),
      identity,
      op: fc.constantFrom('read', 'list', 'update', 'delete'),
      target: fc.constantFrom('secret/data/prod/db', 'secret/metadata/prod/db', 'secret/data/prod/other'),
      outcome: fc.constantFrom('success', 'success', 'denied', 'error'),
    });
    fc.assert(
      fc.property(fc.array(event, { maxLength: 60 }), fc.integer({ min: 10, max: 90 }), (list, untilMin) => {
        const until = new Date(since.getTime() + untilMin * 60_000);
        const c = new BlastRadiusCollector({ store: STORE, name: 'prod/db', since, until });
        const expected = new Set<string>();
        for (const e of list) {
          const time = new Date(since.getTime() + e.minute * 60_000).toISOString();
          const secret = e.target.endsWith('/other') ? 'secret/prod/other' : 'secret/prod/db';
          c.add(
            ev({
              time,
              identity: e.identity,
              accessor: `acc-${e.identity}`,
              operation: e.op,
              path: e.target,
              secret,
              outcome: e.outcome as AuditEvent['outcome'],
            }),
          );
          const inWindow = e.minute >= 0 && e.minute <= untilMin;
          if (
            inWindow &&
            secret === 'secret/prod/db' &&
            (e.op === 'read' || e.op === 'list') &&
            e.outcome === 'success'
          )
            expected.add(e.identity);
        }
        const r = c.result();
        expect(new Set(r.identities.map((i) => i.identity))).toEqual(expected);
        expect(r.identities.reduce((n, i) => n + i.count, 0)).toBe(r.accesses);
        expect(r.tokens.map((t) => t.identity).sort()).toEqual([...expected].sort());
      }),
    );
  });
});

describe('containConfirmation', () => {
  it('a P0 never waits; anything else asks on a terminal unless --yes, and refuses without one', () => {
    const base = { execute: true, yes: false, interactive: false };
    expect(containConfirmation({ ...base, signals: ['public-repo-used'] }).action).toBe('proceed');
    expect(containConfirmation({ ...base, signals: ['public-repo'] })).toMatchObject({ action: 'refuse' });
    expect(containConfirmation({ ...base, signals: ['public-repo'] }).reason).toContain('P1');
    expect(containConfirmation({ ...base, severity: 'P2', interactive: true }).action).toBe('ask');
    expect(containConfirmation({ ...base, severity: null, yes: true }).action).toBe('proceed');
    expect(containConfirmation({ ...base, execute: false }).action).toBe('proceed');
  });
  it('exit codes: 0 contained or planned, 1 incomplete, 3 interrupted', () => {
    expect(
      ['contained', 'planned', 'incomplete', 'interrupted'].map((outcome) => containExitCode({ outcome })),
    ).toEqual([0, 0, 1, 3]);
  });
});

describe('containCategory', () => {
  it('reads the category tag (synonyms too), else the type', () => {
    expect(containCategory({ name: 'x', tags: { category: 'Integration' } })).toBe('integrations');
    expect(containCategory({ name: 'x', tier: 'infra' } as never)).toBe('infrastructure');
    expect(containCategory({ name: 'db', type: 'database' })).toBe('infrastructure');
    expect(containCategory({ name: 'k', type: 'api-key' })).toBe('integrations');
    expect(containCategory({ name: 'p', type: 'password' })).toBe('humans');
    expect(containCategory({ name: 'w' })).toBe('services');
  });
});

describe('blastRadius over cloud logs', () => {
  const fx = (name: string) => new URL(`../../test/fixtures/${name}`, import.meta.url).pathname;
  /** The fixture's first record with its error removed: a successful read. */
  function succeeded(name: string): string {
    const rec = JSON.parse(readFileSync(fx(name), 'utf8').split('\n')[0] as string);
    const body = rec.detail ?? rec;
    delete body.errorCode;
    delete body.errorMessage;
    if (body.protoPayload) delete body.protoPayload.status;
    const file = join(mkdtempSync(join(tmpdir(), 'svm-br-')), name);
    writeFileSync(file, `${JSON.stringify(rec)}\n`);
    return file;
  }

  it('CloudTrail: the GetSecretValue reader and its access key; denied probes apart', async () => {
    const r = await blastRadius([succeeded('cloudtrail-eventbridge.ndjson'), fx('cloudtrail-eventbridge.ndjson')], {
      store: 'aws-sm://eu-west-1',
      name: 'prod/payments/db',
      since: new Date('2025-02-01T00:00:00Z'),
    });
    expect(r.identities.map((i) => [i.identity, i.kinds.read])).toEqual([['AWSReservedSSO_ReadOnly_1a2b/dana', 1]]);
    expect(r.tokens).toEqual([
      expect.objectContaining({ accessor: 'ASIAEXAMPLE', source: 'cloudtrail', hashed: false }),
    ]);
    expect(r.denied).toEqual([expect.objectContaining({ identity: 'AWSReservedSSO_ReadOnly_1a2b/dana', count: 1 })]);
  });

  it('GCP: AccessSecretVersion of the secret in the window; the denied one apart', async () => {
    const r = await blastRadius([succeeded('gcp-secretmanager.ndjson'), fx('gcp-secretmanager.ndjson')], {
      store: 'gcp-sm://my-project-1',
      name: 'stripe-key',
      since: new Date('2025-04-01T00:00:00Z'),
      until: new Date('2025-04-03T00:00:00Z'),
    });
    expect(r.accesses).toBe(1);
    expect(r.timeline[0]).toMatchObject({ kind: 'read', operation: 'AccessSecretVersion' });
    expect(r.denied).toHaveLength(1);
  });

  it('blastRadiusFromFlags: the same answer from the flags as typed; a bad flag is a usage error naming it', async () => {
    const logs = [succeeded('gcp-secretmanager.ndjson'), fx('gcp-secretmanager.ndjson')];
    const flags = {
      secret: ['gcp-sm://my-project-1', 'stripe-key'],
      since: '2025-04-01',
      until: '2025-04-03',
      audit: logs,
    };
    const r = await blastRadiusFromFlags(flags);
    expect(r.accesses).toBe(1);
    expect(r.denied).toHaveLength(1);
    await expect(blastRadiusFromFlags({ ...flags, until: 'tomorrow' })).rejects.toThrow('--until');
    await expect(blastRadiusFromFlags({ ...flags, secret: ['gcp-sm://my-project-1'] })).rejects.toMatchObject({
      code: 'USAGE',
    });
  });
});

describe('lease ids', () => {
  it('a Vault response that issued a lease carries its id; the token that got it has it in the blast radius', async () => {
    const { normalizeVault } = await import('../sources/vault.js');
    const line = {
      time: '2026-03-01T10:00:01Z',
      type: 'response',
      auth: { accessor: 'acc-web', display_name: 'approle', metadata: { role_name: 'web' }, policies: ['db'] },
      request: {
        id: 'r1',
        operation: 'read',
        path: 'database/creds/ro',
        mount_type: 'database',
        remote_address: '10.0.0.9',
      },
      response: { secret: { lease_id: 'database/creds/ro/AbC' }, data: { username: 'hmac-sha256:aa' } },
    };
    const issued = normalizeVault(line);
    expect(issued?.leaseId).toBe('database/creds/ro/AbC');
    const c = new BlastRadiusCollector({ store: STORE, name: 'prod/db', since });
    c.add(issued as AuditEvent);
    c.add(ev({ time: '2026-03-01T10:02:00Z', identity: 'approle-web', accessor: 'acc-web' }));
    expect(c.result().tokens[0]?.leases).toEqual(['database/creds/ro/AbC']);
  });
});

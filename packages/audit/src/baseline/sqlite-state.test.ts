import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isSvmError } from '@svm/core';
import type { AuditEvent } from '@svm/core';
import { describe, expect, it } from 'vitest';
import { AuditAnalyzer } from '../analyzer.js';
import { openStateStore } from './sqlite-state.js';

const dir = mkdtempSync(join(tmpdir(), 'svm-audit-state-'));
const day = (d: number, h: number, ip: string, i: number): AuditEvent => ({
  time: new Date(Date.parse('2026-03-02T00:00:00Z') + d * 86_400_000 + h * 3_600_000 + i * 60_000).toISOString(),
  source: 'vault',
  identity: 'userpass-alice',
  identityKind: 'human',
  authMethod: 'userpass',
  operation: 'read',
  path: 'secret/data/a',
  secret: 'secret/a',
  outcome: 'success',
  sourceIp: ip,
});

describe('SQLite state', () => {
  it('a nightly job keeps learning: the second run flags a new network only because of the saved baseline', async () => {
    const db = join(dir, 'state.db');
    // Night 1: alice's usual network.
    let store = await openStateStore(db);
    expect(store.load()).toBeUndefined();
    const a1 = new AuditAnalyzer({ baseline: store.load() });
    a1.push(Array.from({ length: 15 }, (_, i) => day(0, 10, '10.1.2.3', i)));
    expect(a1.finish().findings).toEqual([]);
    store.save(a1.snapshot());
    store.close();

    // Night 2: one request from elsewhere. Without state it is a first sighting; with state it is new.
    const night2 = [day(1, 10, '45.77.12.9', 0)];
    const fresh = new AuditAnalyzer();
    fresh.push(night2.map((e) => ({ ...e })));
    expect(fresh.finish().findings).toEqual([]);

    store = await openStateStore(db);
    const loaded = store.load();
    expect(loaded?.identities[0]).toEqual([
      'userpass-alice',
      { firstMs: Date.parse(day(0, 10, '', 0).time), events: 15, networks: ['10.1.2.0/24'] },
    ]);
    const a2 = new AuditAnalyzer({ baseline: loaded });
    a2.push(night2.map((e) => ({ ...e })));
    expect(a2.finish().findings.map((f) => [f.rule, f.sourceIp])).toEqual([['new-source-ip', '45.77.12.9']]);
    store.save(a2.snapshot());
    store.close();
  });

  it('a file that is not a state database is INPUT_INVALID', async () => {
    const bad = join(dir, 'bad.db');
    writeFileSync(bad, 'this is not sqlite at all, just text that is long enough to look like a header');
    const err = await openStateStore(bad).catch((e: unknown) => e);
    expect(isSvmError(err) && err.code).toBe('INPUT_INVALID');
  });
});

import type { AuditEvent } from '@svm/core';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { AuditAnalyzer, analyzeEvents, type AuditAnalyzerOptions } from '../analyzer.js';
import { openStateStore } from '../baseline/sqlite-state.js';
import { parseTimeBound } from '../objstore/time-bound.js';

const T0 = Date.parse('2026-12-01T00:00:00Z');
const H = 3_600_000;
const SINCE = T0 + 12 * H;

const ev = (at: number, over: Partial<AuditEvent> = {}): AuditEvent => ({
  time: new Date(at).toISOString(),
  source: 'vault',
  identity: 'approle-billing',
  identityKind: 'machine',
  authMethod: 'approle',
  operation: 'read',
  path: 'secret/data/billing/db',
  secret: 'secret/billing/db',
  outcome: 'success',
  sourceIp: '10.0.0.5',
  ...over,
});

// Twelve hours of reads from the usual network, then one read from a new network after SINCE.
const history = Array.from({ length: 24 }, (_, i) => ev(T0 + i * (H / 2)));
const intruder = ev(SINCE + H, { sourceIp: '203.0.113.9' });
const late = ev(SINCE + 5 * H, { sourceIp: '198.51.100.7' });
const all = [...history, intruder, late];

const run = (events: AuditEvent[], options: AuditAnalyzerOptions = {}) => {
  const a = new AuditAnalyzer({ rules: ['new-source-ip', 'failed-auth'], ...options });
  a.addLines(events.length);
  a.push(events.map((e) => ({ ...e })));
  return { result: a.finish(), snapshot: a.snapshot() };
};
const ips = (r: ReturnType<typeof run>) => r.result.findings.map((f) => f.sourceIp);
const learnedEvents = (r: ReturnType<typeof run>) =>
  r.snapshot.identities.find(([k]) => k === 'approle-billing')?.[1].events;

describe('--since / --until', () => {
  it('earlier events in the same log still teach the baseline (warm-up), but are not reported or counted', () => {
    const windowed = run(all, { since: SINCE, until: SINCE + 4 * H });
    expect(ips(windowed)).toEqual(['203.0.113.9']);
    expect(windowed.result.events).toBe(1);
    expect(windowed.result.window).toEqual({
      since: '2026-12-01T12:00:00.000Z',
      until: '2026-12-01T16:00:00.000Z',
      warmup: 24,
      alreadyLearned: 0,
      after: 1,
    });
    expect(windowed.result.aggregates.firstTime).toBe(intruder.time);
    // Without the warm-up (only the window's events, no state) the identity has no baseline yet: nothing found.
    expect(ips(run([intruder]))).toEqual([]);
    // Events at or after --until are not learned either.
    expect(learnedEvents(windowed)).toBe(25);
  });

  it('with a --state baseline, earlier events come from the state, and events it already learned are not learned twice', () => {
    const first = run(history); // the nightly run of yesterday
    expect(first.snapshot.learnedUntil).toBe(Date.parse(history.at(-1)!.time));
    expect(learnedEvents(first)).toBe(24);

    // Today's log holds only today's events: the state supplies the baseline (and the snapshot passed in is
    // not changed by the run).
    const fromState = run([intruder, late], { baseline: first.snapshot, since: SINCE });
    expect(ips(fromState)).toEqual(['203.0.113.9', '198.51.100.7']);
    expect(learnedEvents(first)).toBe(24);

    // Today's log still holds yesterday's events (a growing file): they are skipped, not counted twice.
    const again = run(all, { baseline: first.snapshot, since: SINCE });
    expect(again.result.window).toMatchObject({ warmup: 0, alreadyLearned: 24, after: 0 });
    expect(ips(again)).toEqual(['203.0.113.9', '198.51.100.7']);
    expect(learnedEvents(again)).toBe(26);
    expect(again.snapshot.learnedUntil).toBe(Date.parse(late.time));
  });

  it('the SQLite state keeps learnedUntil: two nightly --since runs over a growing log learn each event once', async () => {
    const db = join(mkdtempSync(join(tmpdir(), 'svm-window-')), 'state.db');
    const nightly = async (events: AuditEvent[], since: number) => {
      const store = await openStateStore(db);
      try {
        const r = run(events, { baseline: store.load(), since });
        store.save(r.snapshot);
        return r;
      } finally {
        store.close();
      }
    };
    const first = await nightly(history, T0 + 6 * H);
    expect(first.result.window).toMatchObject({ warmup: 12, alreadyLearned: 0 });
    const second = await nightly(all, SINCE);
    expect(second.result.window).toMatchObject({ warmup: 0, alreadyLearned: 24, after: 0 });
    expect(ips(second)).toEqual(['203.0.113.9', '198.51.100.7']);
    const store = await openStateStore(db);
    expect(store.load()?.learnedUntil).toBe(Date.parse(late.time));
    expect(store.load()?.identities.find(([k]) => k === 'approle-billing')?.[1].events).toBe(26);
    store.close();
  });

  it('a finding is in the window when its last event is: a burst crossing --since is reported, one before it is not', () => {
    const fail = (at: number, ip: string) =>
      ev(at, {
        identity: 'userpass-mallory',
        identityKind: 'human',
        outcome: 'failed-auth',
        sourceIp: ip,
        path: 'auth/userpass/login/mallory',
        operation: 'update',
        secret: undefined,
      });
    const before = [0, 1, 2, 3, 4, 5].map((i) => fail(SINCE - 2 * H + i * 1000, '192.0.2.1'));
    const crossing = [0, 1, 2, 3, 4, 5].map((i) => fail(SINCE - 3000 + i * 1000, '192.0.2.2'));
    const r = run([...before, ...crossing], { since: SINCE, group: false });
    expect(r.result.findings.map((f) => [f.rule, f.sourceIp, f.count])).toEqual([['failed-auth', '192.0.2.2', 6]]);
    expect(r.result.findings[0]?.time).toBe(crossing[0]?.time);
  });

  it('analyzeEvents takes the same bounds as strings relative to now', () => {
    const r = analyzeEvents(all, { since: '12h', now: SINCE + 12 * H, rules: ['new-source-ip'] });
    expect(r.window?.since).toBe('2026-12-01T12:00:00.000Z');
    expect(r.findings.map((f) => f.sourceIp)).toEqual(['203.0.113.9', '198.51.100.7']);
  });
});

describe('parseTimeBound', () => {
  const now = Date.parse('2026-12-05T12:00:00Z');
  it.each([
    ['24h', '2026-12-04T12:00:00.000Z'],
    ['7d', '2026-11-28T12:00:00.000Z'],
    ['1h30m', '2026-12-05T10:30:00.000Z'],
    ['2026-12-01', '2026-12-01T00:00:00.000Z'],
    ['2026-12-01 08:30', '2026-12-01T08:30:00.000Z'],
    ['2026-12-01T08:30:00+02:00', '2026-12-01T06:30:00.000Z'],
    ['2026-12-01T08:30:00Z', '2026-12-01T08:30:00.000Z'],
    ['2026-12-01T08:30:00', '2026-12-01T08:30:00.000Z'],
  ])('%s → %s', (text, iso) => {
    expect(new Date(parseTimeBound(text, now, '--since')).toISOString()).toBe(iso);
  });
  it.each(['yesterday', '', '-3h', '2026-13-01', '2026-12-01T08:30:00+5', '2026-12-01T08:30 in Berlin'])(
    'rejects %j naming the flag',
    (text) => {
      expect(() => parseTimeBound(text, now, '--since')).toThrow(/^--since: expected an ISO date or instant/);
    },
  );
});

import { describe, expect, it } from 'vitest';
import { JournalEntry, RotationRun } from './rotation-run.js';

describe('rotation run schemas', () => {
  it('accept a run with steps and reject an unknown outcome', () => {
    const run = {
      runId: 'r1',
      itemId: 'orders-db',
      strategy: 'dual-account',
      startedAt: '2026-03-01T10:00:00.000Z',
      outcome: 'rotated',
      resumed: false,
      steps: [{ id: 'promote', title: 'Publish', status: 'done', facts: { newVersion: '3' } }],
    };
    expect(RotationRun.parse(run).steps[0]?.facts).toEqual({ newVersion: '3' });
    expect(RotationRun.safeParse({ ...run, outcome: 'maybe' }).success).toBe(false);
  });

  it('journal facts are scalars only (no nested values that could carry a secret document)', () => {
    const entry = {
      runId: 'r',
      itemId: 'i',
      strategy: 's',
      seq: 0,
      at: '2026-03-01T10:00:00Z',
      kind: 'after',
      step: 'x',
    };
    expect(JournalEntry.safeParse({ ...entry, facts: { v: '1' } }).success).toBe(true);
    expect(JournalEntry.safeParse({ ...entry, facts: { v: { password: 'p' } } }).success).toBe(false);
  });
});

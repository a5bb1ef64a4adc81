import { fixedClock } from '@svm/core';
import { describe, expect, it } from 'vitest';
import { planRotations } from '../plan/plan.js';
import { renderPlan } from '../render/render-plan.js';
import { loadInventory } from './load-inventory.js';

const located = (fn: () => unknown) => {
  try {
    fn();
  } catch (error) {
    const e = error as { code: string; location?: { file?: string; line?: number; field?: string }; message: string };
    return { code: e.code, ...e.location, message: e.message };
  }
  throw new Error('expected an error');
};

describe('interval bounds and error lines (issue 11)', () => {
  it('interval: 0d names the line of the interval field, in YAML, JSON and CSV', () => {
    const yaml =
      'version: 1\nsecrets:\n  - name: a\n    type: api-key\n  - name: b\n    type: api-key\n    last_rotated: 2026-01-01\n    interval: 0d\n';
    expect(located(() => loadInventory(yaml, { file: 'inv.yaml' }))).toMatchObject({
      code: 'INPUT_INVALID',
      file: 'inv.yaml',
      line: 8,
      field: 'secrets[1].interval',
    });
    const json =
      '[\n  {"name": "a"},\n  {\n    "name": "b",\n    "last_rotated": "2026-01-01",\n    "interval": "0d"\n  }\n]\n';
    expect(located(() => loadInventory(json, { file: 'inv.json' }))).toMatchObject({
      code: 'INPUT_INVALID',
      line: 6,
      field: '[1].interval',
    });
    const csv = 'name,type,interval\na,api-key,30d\nb,api-key,0d\n';
    expect(located(() => loadInventory(csv, { file: 'inv.csv' }))).toMatchObject({
      code: 'INPUT_INVALID',
      line: 3,
      field: 'interval',
    });
    expect(located(() => loadInventory('- name: b\n  interval: 0\n', { file: 'n.yaml' }))).toMatchObject({
      line: 2,
      field: '[0].interval',
    });
  });

  it('intervals above 100 years are input errors, located', () => {
    const huge = '- name: b\n  type: api-key\n  last_rotated: 2026-01-01\n  interval: 100000000000000000000d\n';
    const e = located(() => loadInventory(huge, { file: 'h.yaml' }));
    expect(e).toMatchObject({ code: 'INPUT_INVALID', line: 4, field: '[0].interval' });
    expect(e.message).toMatch(/at most 36500 days \(100 years\)/);
    expect(loadInventory('- name: b\n  interval: 36500d\n', { file: 'ok.yaml' }).items).toHaveLength(1);
    expect(located(() => loadInventory('- name: b\n  renew_before: 36501\n', { file: 'r.yaml' }))).toMatchObject({
      field: '[0].renew_before',
    });
    // Unvalidated items given to the API directly are checked too.
    expect(located(() => planRotations([{ name: 'x', interval: '99999999d' }], { now: '2026-03-01' }))).toMatchObject({
      code: 'INPUT_INVALID',
      field: 'interval',
    });
  });

  it('a due date past 9999-12-31 is an input error naming the field, not an internal error in the ics renderer', () => {
    const text = '- name: late\n  type: api-key\n  last_rotated: 9999-01-01\n  interval: 3650d\n';
    const inv = loadInventory(text, { file: 'late.yaml' });
    expect(
      located(() => renderPlan(planRotations(inv.items, { now: '2026-03-01', source: inv }), 'ics')),
    ).toMatchObject({
      code: 'INPUT_INVALID',
      file: 'late.yaml',
      line: 1,
      field: 'interval',
    });
    // A date near the end of the calendar with a short interval still plans and renders.
    const near = loadInventory('- name: ok\n  type: api-key\n  last_rotated: 9999-01-01\n', { file: 'near.yaml' });
    expect(renderPlan(planRotations(near.items, { clock: fixedClock('2026-03-01T00:00:00Z') }), 'ics')).toContain(
      'DTSTART;VALUE=DATE:99990401',
    );
  });
});

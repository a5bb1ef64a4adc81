import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { RotationPlanDocument } from '../plan/plan.js';
import { planRotations } from '../plan/plan.js';
import { renderPlanJson, renderPlanJsonChunks } from './json.js';

/** The document as renderPlanJsonChunks defines it, written the plain way: one JSON.stringify per item. */
function reference(plan: RotationPlanDocument): string {
  let out = '{';
  const keys = Object.keys(plan) as Array<keyof RotationPlanDocument>;
  keys.forEach((key, k) => {
    const value = plan[key];
    if (value === undefined) return;
    out += `${k === 0 ? '' : ','}\n  ${JSON.stringify(key)}: `;
    if (key === 'items' && plan.items.length > 0)
      out += `[${plan.items.map((item) => `\n    ${JSON.stringify(item)}`).join(',')}\n  ]`;
    else out += JSON.stringify(value, null, 2).replace(/\n/g, '\n  ');
  });
  return `${out}\n}\n`;
}

const base = planRotations(
  Array.from({ length: 4100 }, (_, i) => ({
    id: `s-${i}`,
    type: ['database', 'api-key', 'tls-certificate'][i % 3],
    last_rotated: i % 11 === 0 ? undefined : `2026-0${1 + (i % 2)}-1${i % 10}`,
    owner: `t${i % 5}`,
  })),
  { now: '2026-03-01', profiles: ['pci-dss-v4'] },
);

describe('renderPlanJsonChunks', () => {
  it('writes the plan item by item (in chunks of 100 items, each stringified at once)', () => {
    expect(renderPlanJson(base)).toBe(reference(base));
    expect([...renderPlanJsonChunks(base)].length).toBeGreaterThan(3);
  });

  it('is the same text for items the fast path must not take (property)', () => {
    // Items a caller built or changed: id not first or not a string, toJSON, nested lists of objects keyed
    // `id` first, strings holding `},{"id":`, non-objects. Spliced into a real plan at random places.
    const odd = fc.oneof(
      fc.constant({ type: 'x', id: 'late-id' }),
      fc.constant({ id: 7, type: 'x' }),
      fc.constant({ id: 'json', toJSON: () => ({ id: 'other' }) }),
      fc.constant({ id: 'nested', list: [{ id: 'a' }, { id: 'b' }] }),
      fc.constant({ id: 'tricky },{"id": here', note: '},{"id":' }),
      fc.constant({ id: 'proto', __proto__: { id: 'inherited' } }),
      fc.constant(Object.create({ id: 'only-inherited' })),
      fc.constant(null),
      fc.constant('a string'),
      fc.constant([1, 2]),
      fc.constant(Object.defineProperty({}, 'id', { value: 'hidden', enumerable: false })),
      fc.string().map((id) => ({ id })),
    );
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.nat(4099), odd), { maxLength: 5 }), (spliced) => {
        const items = [...base.items] as unknown[];
        for (const [at, item] of spliced) items[at] = item;
        const plan = { ...base, items } as RotationPlanDocument;
        expect(renderPlanJson(plan)).toBe(reference(plan));
      }),
      { seed: 20261206, numRuns: 60 },
    );
  });
});

import { describe, expect, it } from 'vitest';
import { planRotations } from '../plan/plan.js';
import { renderPlanBrief } from './brief.js';

describe('renderPlanBrief', () => {
  it('counts, then the most urgent items, then violations', () => {
    const plan = planRotations(
      [
        { id: 'old', type: 'api-key', owner: 'alice', last_rotated: '2025-01-01' },
        { id: 'new', type: 'api-key', last_rotated: '2026-02-28' },
        { id: 'never', type: 'api-key' },
      ],
      { now: '2026-03-01' },
    );
    const lines = renderPlanBrief(plan);
    expect(lines[0]).toBe('3 secrets as of 2026-03-01: 1 overdue, 0 due soon, 1 never rotated, 1 ok');
    expect(lines[1]).toMatch(/^ {2}old \(api-key, \d+d overdue\): alice by /);
    expect(lines[2]).toMatch(/^ {2}never \(api-key, never rotated\): unassigned by /);
  });
});

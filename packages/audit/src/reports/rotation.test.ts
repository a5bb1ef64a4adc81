import { fixedClock } from '@svm/core';
import { expect, it } from 'vitest';
import type { AnalysisResult } from '../analyzer.js';
import { rotationReport } from './rotation.js';

const noActivity = { aggregates: { secrets: [] } } as unknown as AnalysisResult;
const clock = fixedClock('2026-03-01T00:00:00Z');

it('reads an inventory interval as days, like @svm/rotation, and an empty last_rotated as never rotated', () => {
  const report = rotationReport(
    noActivity,
    [
      { name: 'a', type: 'api-key', last_rotated: '2026-02-01', interval: 30 },
      { name: 'b', type: 'api-key', last_rotated: '2026-02-01', interval: '60d' },
      { name: 'c', type: 'api-key', last_rotated: '' as unknown as string },
    ],
    clock,
  );
  const [a, b, c] = report.items;
  expect(a?.intervalDays).toBe(30);
  expect(a?.status).toBe('compliant');
  expect(b?.intervalDays).toBe(60);
  expect(c?.status).toBe('never-rotated');
});

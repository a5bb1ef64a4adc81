import { expect, it } from 'vitest';
import { runExample } from './run-example.ts';

it('runs the @svm/core quick start as documented', () => {
  expect(runExample('core')).toBe(
    "inventory.yaml:4: secrets[0].last_rotated: expected YYYY-MM-DD, got '2026-13-01'\n1\n",
  );
});

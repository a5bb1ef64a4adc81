import { expect, it } from 'vitest';
import { runExample } from './run-example.ts';

it('runs the @svm/policy engine quick start as documented', () => {
  expect(runExample('policy-engine')).toBe(
    [
      "true secret/data/payments/+/config [ 'read' ]",
      'false explicit-deny',
      "[ 'list' ]",
      'lost secret/*: only the longest matching * prefix ("secret/app/*") is considered; its capabilities are not added',
      'decided secret/app/*: highest-priority wildcard match at the non-exact step; "secret/app/*" does not grant read (only list)',
      '',
    ].join('\n'),
  );
});

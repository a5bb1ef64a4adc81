import { isSvmError } from '@svm/core';
import { describe, expect, it } from 'vitest';
import { loadRotationPolicy } from './rotation-policy.js';

describe('loadRotationPolicy', () => {
  it('loads a full policy', () => {
    const policy = loadRotationPolicy(
      'version: 1\ndefaults: { capacity: 3, within: 7d }\ntypes:\n  database: { interval: 14d, strategy: dual-account }\nteams:\n  payments: { capacity: 1 }\nblackouts:\n  - { from: 2026-12-20, to: 2027-01-03, reason: freeze }\nmaintenance:\n  - { days: [tue, thu], teams: [payments] }\n',
      'policy.yaml',
    );
    expect(policy.blackouts?.[0]).toEqual({ from: '2026-12-20', to: '2027-01-03', reason: 'freeze' });
    expect(policy.teams?.payments?.capacity).toBe(1);
  });

  it('names file, line and field on errors', () => {
    const cases: Array<[string, RegExp]> = [
      ['types:\n  database:\n    strategy: yolo\n', /^policy\.yaml:3: types\.database\.strategy: /],
      [
        'blackouts:\n  - { from: 2026-12-20, to: 2026-12-01 }\n',
        /^policy\.yaml:2: blackouts\[0\]\.to: expected from <= to/,
      ],
      ['maintenance:\n  - { days: [funday] }\n', /^policy\.yaml:2: maintenance\[0\]\.days\[0\]: /],
      ['defaults:\n  capacity: 0\n', /^policy\.yaml:2: defaults\.capacity: /],
      ['defaults:\n  colour: blue\n', /^policy\.yaml:\d: defaults: unknown field 'colour'/],
    ];
    for (const [text, pattern] of cases) {
      try {
        loadRotationPolicy(text, 'policy.yaml');
        expect.unreachable(text);
      } catch (error) {
        expect(isSvmError(error) && error.code).toBe('INPUT_INVALID');
        expect(String(error)).toMatch(pattern);
      }
    }
  });
});

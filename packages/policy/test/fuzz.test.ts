// `pnpm fuzz`: HCL and JSON policies, mutated from the example policies, parse or fail with a coded SvmError
// (POLICY_INVALID with a line and a column ≥ 1); lint never throws an untyped error either.
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isSvmError } from '@svm/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fuzzRuns, mutated, typedOrOk } from '../../../scripts/fuzz-kit.ts';
import { lintSources, parsePolicy } from '../src/index.ts';

const DIR = fileURLToPath(new URL('../../../examples/quickstart/data/policies/', import.meta.url));
const SEEDS = [
  ...readdirSync(DIR).map((f) => readFileSync(join(DIR, f), 'utf8')),
  'path "secret/data/+/x" {\n  capabilities = ["read"]\n  allowed_parameters = { "a" = ["1", "*"] }\n  min_wrapping_ttl = "1m"\n}\n',
  'path "a" {\n  capabilities = ["read"]\n  x = <<EOF\nbody\nEOF\n}\n',
];

describe('fuzz: policies', () => {
  it(`parsePolicy: ok or POLICY_INVALID at a real position (${fuzzRuns(4)} inputs)`, () => {
    fc.assert(
      fc.property(mutated(SEEDS), (text) => {
        try {
          parsePolicy(text, { name: 'fuzz', file: 'fuzz.hcl' });
        } catch (e) {
          if (!isSvmError(e) || e.code !== 'POLICY_INVALID') throw e;
          expect(e.location.line).toBeGreaterThanOrEqual(1);
          if (e.location.column !== undefined) expect(e.location.column).toBeGreaterThanOrEqual(1);
        }
      }),
      { numRuns: fuzzRuns(4) },
    );
  });

  it(`lintSources: findings or a coded error (${fuzzRuns(0.2)} inputs)`, () => {
    fc.assert(
      fc.property(mutated(SEEDS), (text) => typedOrOk(() => lintSources([{ file: 'fuzz.hcl', text }]))),
      { numRuns: fuzzRuns(0.2) },
    );
  });
});

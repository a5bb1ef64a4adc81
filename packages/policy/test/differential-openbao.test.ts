import { requireService } from '@svm/test-harness';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import type { Operation } from '@svm/core';
import { capabilities, compilePolicies, evaluate, parsePolicy } from '../src/index.ts';
import { type GenRule, pathArb, policySetArb, toHcl } from './arbitraries.ts';
import { createToken, deletePolicy, putPolicy, revokeToken, sysCapabilities } from './openbao-client.ts';

// Differential test: our `capabilities()` (flavor openbao), and the `capabilities` field of `evaluate()`
// for a random operation, against the real OpenBao `sys/capabilities` for random policy sets and paths.
// The policies include `+` inside segments (literal), rules on one base with colliding tails (`a`, `a/`,
// `a/*`, `a*`, `a/+`) and overlapping globs. Each run writes the policies, creates a token holding exactly
// them (no default policy) and asks for 16 paths in one call. 150 runs × 16 paths = 2,400 cases. The seed
// is the suite's fixed fast-check seed (SVM_FC_SEED), so a run is reproducible.
const OPS: Operation[] = ['read', 'list', 'update', 'create', 'delete', 'patch', 'scan', 'help'];

const svc = requireService('openbao');
const RUNS = Number(process.env.SVM_DIFF_RUNS ?? 150);
const PATHS_PER_RUN = 16;
const prefix = `svmdiff-${process.pid}-`;

describe.skipIf(!svc)('capabilities() agrees with OpenBao sys/capabilities', () => {
  const server = svc as NonNullable<typeof svc>;
  const written = new Set<string>();
  afterAll(async () => {
    for (const name of written) await deletePolicy(server, name);
  });

  it(`agrees on ${RUNS * PATHS_PER_RUN} generated cases`, async () => {
    let cases = 0;
    await fc.assert(
      fc.asyncProperty(
        policySetArb,
        fc.uniqueArray(pathArb, { minLength: PATHS_PER_RUN, maxLength: PATHS_PER_RUN }),
        fc.array(fc.constantFrom(...OPS), { minLength: PATHS_PER_RUN, maxLength: PATHS_PER_RUN }),
        async (sets: GenRule[][], paths: string[], ops: Operation[]) => {
          const names = sets.map((_, i) => `${prefix}${i}`);
          const texts = sets.map(toHcl);
          const policies = texts.map((text, i) => parsePolicy(text, { name: names[i] as string, flavor: 'openbao' }));
          for (let i = 0; i < texts.length; i++) {
            await putPolicy(server, names[i] as string, texts[i] as string);
            written.add(names[i] as string);
          }
          const token = await createToken(server, names);
          try {
            const theirs = await sysCapabilities(server, token, paths);
            const acl = compilePolicies(policies, { flavor: 'openbao' });
            paths.forEach((path, i) => {
              cases++;
              const op = ops[i] as Operation;
              const expected = JSON.stringify(theirs[path]);
              const ours = JSON.stringify(capabilities(acl, path));
              const fromEvaluate = JSON.stringify(evaluate(acl, { path, operation: op }).capabilities);
              if (ours !== expected || fromEvaluate !== expected) {
                throw new Error(
                  `disagreement on path ${JSON.stringify(path)}: capabilities() ${ours}, evaluate(${op}).capabilities ${fromEvaluate}, OpenBao ${expected}\n` +
                    texts.map((t, j) => `# policy ${names[j]}\n${t}`).join('\n'),
                );
              }
            });
          } finally {
            await revokeToken(server, token);
          }
        },
      ),
      { numRuns: RUNS, endOnFailure: false },
    );
    expect(cases).toBeGreaterThanOrEqual(2000);
  }, 120_000);
});

import { type Operation, Requirements } from '@svm/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compilePolicies } from '../src/engine/compile.js';
import { evaluate } from '../src/engine/evaluate.js';
import { generateConfig } from '../src/generate/plan.js';
import { GENERATE_TARGETS, renderTargets } from '../src/generate/targets.js';
import type { GeneratedPolicy } from '../src/generate/types.js';
import { lintGeneratedConfig } from '../src/lint/lint.js';
import { parsePolicy } from '../src/parse/parse-policy.js';
import { requirementsArbitrary } from './generate-arbitraries.js';

// The generator's promise, proved with the policy engine over arbitrary requirements: every requirement is
// allowed; another app, another environment, sys/ and the KV mount root are denied; the output lints clean.
// The properties run with the suite's fixed fast-check seed (scripts/vitest-fast-check-seed.ts); `pnpm
// test:explore` tries new seeds, and each counterexample found that way is kept below as a fixed case.

function aclOf(policy: GeneratedPolicy) {
  // Parse the HCL exactly as written to the server, not the in-memory model.
  return compilePolicies([parsePolicy(policy.hcl, { name: policy.name, file: `${policy.name}.hcl` })], {
    flavor: 'openbao',
  });
}

const SYS_PROBES = [
  { path: 'sys/mounts/secret', operation: 'update' },
  { path: 'sys/policies/acl/anything', operation: 'update' },
  { path: 'sys/auth/approle', operation: 'update' },
  { path: 'sys/seal', operation: 'update' },
  { path: 'sys/raw/logical', operation: 'read' },
  { path: 'sys/mounts', operation: 'read' },
] as const;

describe('generator regressions (counterexamples found by the proofs, kept as fixed cases)', () => {
  it('issue 10: kv team-a/* [list, read] + kv team-a [destroy] allows the folder LIST, and nothing else', () => {
    const requirements = Requirements.parse({
      applications: [
        {
          name: 'app',
          environments: ['prod'],
          auth: [{ method: 'approle' }],
          secrets: [
            { kind: 'kv', path: 'team-a/*', access: ['list', 'read'] },
            { kind: 'kv', path: 'team-a', access: ['destroy'] },
          ],
        },
      ],
    });
    const config = generateConfig(requirements);
    const [policy] = config.policies;
    if (!policy) throw new Error('no policy');
    const acl = aclOf(policy);
    for (const probe of config.probes)
      expect(
        evaluate(acl, { path: probe.path, operation: probe.operation }).allowed,
        `${probe.operation} ${probe.path}`,
      ).toBe(true);
    const m = 'secret/metadata/prod/app';
    const d = 'secret/data/prod/app';
    const allowed = (path: string, operation: Operation) => evaluate(acl, { path, operation }).allowed;
    // Requested: list and read the folder, destroy team-a (metadata delete + destroy/ update).
    expect(allowed(`${m}/team-a/`, 'list')).toBe(true);
    expect(allowed(`${m}/team-a/sub/`, 'list')).toBe(true);
    expect(allowed(`${d}/team-a/x`, 'read')).toBe(true);
    expect(allowed(`${m}/team-a`, 'delete')).toBe(true);
    expect(allowed('secret/destroy/prod/app/team-a', 'update')).toBe(true);
    // Not requested.
    expect(allowed(`${m}/team-a`, 'read')).toBe(false);
    expect(allowed(`${m}/team-a/x`, 'delete')).toBe(false);
    expect(allowed(`${d}/team-a`, 'read')).toBe(false);
    expect(allowed(`${d}/team-a/x`, 'update')).toBe(false);
    expect(allowed(`${m}/`, 'list')).toBe(false);
    expect(lintGeneratedConfig(config).filter((f) => f.rule === 'rule-blocks-grant')).toEqual([]);
  });

  it("a longer folder inside a folder keeps the outer folder's access (team-a/* read + team-a/b/* delete)", () => {
    const requirements = Requirements.parse({
      applications: [
        {
          name: 'app',
          environments: ['prod'],
          auth: [{ method: 'approle' }],
          secrets: [
            { kind: 'kv', path: 'team-a/*', access: ['read'] },
            { kind: 'kv', path: 'team-a/b/*', access: ['delete'] },
          ],
        },
      ],
    });
    const acl = aclOf(generateConfig(requirements).policies[0] as GeneratedPolicy);
    expect(evaluate(acl, { path: 'secret/data/prod/app/team-a/b/x', operation: 'read' }).allowed).toBe(true);
    expect(evaluate(acl, { path: 'secret/data/prod/app/team-a/b/x', operation: 'delete' }).allowed).toBe(true);
    expect(evaluate(acl, { path: 'secret/data/prod/app/team-a/x', operation: 'delete' }).allowed).toBe(false);
  });
});

describe('generator proofs (fast-check, engine-checked)', () => {
  it('allows every requirement and nothing next to it', () => {
    fc.assert(
      fc.property(requirementsArbitrary, (requirements) => {
        const config = generateConfig(requirements);
        for (const policy of config.policies) {
          const acl = aclOf(policy);
          const mine = config.probes.filter((p) => p.policy === policy.name);
          for (const probe of mine) {
            const d = evaluate(acl, { path: probe.path, operation: probe.operation });
            if (!d.allowed)
              throw new Error(
                `${policy.name} refuses its own requirement ${probe.operation} ${probe.path} (${probe.reason}): ${d.message}`,
              );
          }
          const myPaths = new Set(mine.map((p) => p.path));
          // Another application (same or other environment) and the same application in another environment.
          for (const other of config.probes) {
            if (other.policy === policy.name || myPaths.has(other.path)) continue;
            if (other.shared && other.environment === policy.environment) continue; // shared on purpose within one environment
            const d = evaluate(acl, { path: other.path, operation: other.operation });
            if (d.allowed)
              throw new Error(
                `${policy.name} also allows ${other.operation} ${other.path}, which belongs to ${other.policy}`,
              );
          }
          for (const probe of SYS_PROBES) expect(evaluate(acl, probe).allowed).toBe(false);
          const kvMount = requirements.defaults.kv_mount;
          for (const probe of [
            { path: `${kvMount}/data/`, operation: 'read' },
            { path: `${kvMount}/metadata/`, operation: 'list' },
            { path: `${kvMount}/metadata/${policy.environment}/`, operation: 'list' },
            { path: `${kvMount}/data/${policy.environment}/svm-not-granted`, operation: 'read' },
            { path: `${kvMount}/config`, operation: 'update' },
            { path: `${kvMount}/data/svm-other-env/${policy.app}/api-keys`, operation: 'read' },
          ] as const) {
            expect(evaluate(acl, probe).allowed, `${policy.name}: ${probe.operation} ${probe.path}`).toBe(false);
          }
        }
      }),
      { numRuns: 150 },
    );
  });

  it('emits configurations that lint clean (nothing at medium or above)', () => {
    fc.assert(
      fc.property(requirementsArbitrary, (requirements) => {
        const findings = lintGeneratedConfig(generateConfig(requirements));
        const serious = findings.filter(
          (f) => f.severity === 'medium' || f.severity === 'high' || f.severity === 'critical',
        );
        expect(serious).toEqual([]);
      }),
      { numRuns: 150 },
    );
  });

  it('is deterministic: the same input gives byte-identical files for every target', () => {
    fc.assert(
      fc.property(requirementsArbitrary, (requirements) => {
        const a = renderTargets(generateConfig(requirements), GENERATE_TARGETS);
        const b = renderTargets(generateConfig(structuredClone(requirements)), GENERATE_TARGETS);
        expect(b).toEqual(a);
      }),
      { numRuns: 60 },
    );
  });

  it('never writes a wildcard wider than the requirement', () => {
    fc.assert(
      fc.property(requirementsArbitrary, (requirements) => {
        const config = generateConfig(requirements);
        for (const policy of config.policies) {
          for (const rule of policy.rules) {
            if (rule.path === 'sys/*') continue;
            // Only KV folders (`<folder>/*`) are globs, and they sit below <mount>/<data|metadata|delete|destroy>/<env>/….
            if (rule.path.includes('+')) throw new Error(`unexpected + in ${rule.path}`);
            if (rule.path.endsWith('*'))
              expect(rule.path).toMatch(/^[^/]+\/(data|metadata|delete|destroy)\/[^/]+\/.+\/\*$/);
          }
        }
      }),
      { numRuns: 100 },
    );
  });
});

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compilePolicies } from '../src/engine/compile.js';
import { evaluate } from '../src/engine/evaluate.js';
import { lintPolicies, lintSources } from '../src/lint/lint.js';
import { LINT_RULES, type LintRule } from '../src/lint/rules.js';
import { patternMatches } from '../src/lint/internal/match.js';
import { parsePolicy } from '../src/parse/parse-policy.js';

// Linter invariants over random policies: findings are well-formed and deterministic, and a rule reported as
// shadowed really never decides a request (checked with the engine on random concrete paths).

const segment = fc.constantFrom('secret', 'data', 'metadata', 'app', 'team', 'sys', 'x', 'y');
const patternSegment = fc.oneof({ weight: 5, arbitrary: segment }, { weight: 2, arbitrary: fc.constant('+') });
const pattern = fc
  .tuple(fc.array(patternSegment, { minLength: 1, maxLength: 4 }), fc.constantFrom('', '*', '/*', 'a*'))
  .map(([segs, tail]) => `${segs.join('/')}${tail}`)
  .filter((p) => !p.includes('+*'));
const caps = fc.uniqueArray(fc.constantFrom('create', 'read', 'update', 'patch', 'delete', 'list', 'sudo', 'deny'), {
  minLength: 1,
  maxLength: 4,
});
const policyText = fc
  .array(fc.tuple(pattern, caps), { minLength: 1, maxLength: 8 })
  .map((rules) =>
    rules.map(([p, c]) => `path "${p}" {\n  capabilities = [${c.map((x) => `"${x}"`).join(', ')}]\n}`).join('\n'),
  );
// Rules sharing a prefix, with the wildcard shapes whose priorities interact (this is where shadowing happens).
const shadowProne = fc
  .array(
    fc.tuple(
      fc.constantFrom('secret', 'secret/data', '+', '+/data', 'secret/+'),
      fc.constantFrom('*', '+/*', '+', '+/+', '+/x', 'x/*', 'x', '+/+/*', 'x/+/*', 'x/+', 'a*'),
      caps,
    ),
    { minLength: 2, maxLength: 6 },
  )
  .map((rules) =>
    rules
      .map(([b, t, c]) => `path "${b}/${t}" {\n  capabilities = [${c.map((x) => `"${x}"`).join(', ')}]\n}`)
      .join('\n'),
  );
const concretePath = fc
  .array(fc.oneof(segment, fc.constantFrom('a', 'ab', 'other', '')), { minLength: 1, maxLength: 6 })
  .map((s) => s.join('/'));

const BY_ID = new Map<string, LintRule>(LINT_RULES.map((r) => [r.id, r]));

describe('linter properties', () => {
  it('every finding names a known rule, its category, a severity, a fix and a line; output is deterministic', () => {
    fc.assert(
      fc.property(policyText, (text) => {
        const a = lintSources([{ file: 'p-read.hcl', text }]);
        const b = lintSources([{ file: 'p-read.hcl', text }]);
        expect(b).toEqual(a);
        for (const f of a.findings) {
          const rule = BY_ID.get(f.rule);
          expect(rule, f.rule).toBeDefined();
          expect(f.category).toBe(rule?.category);
          expect(['info', 'low', 'medium', 'high', 'critical']).toContain(f.severity);
          expect(f.fix).toBe(rule?.fix);
          expect(f.file).toBe('p-read.hcl');
          expect(f.line).toBeGreaterThanOrEqual(1);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('a rule reported as shadowed never decides any request (engine, random concrete paths)', () => {
    let reported = 0;
    fc.assert(
      fc.property(
        fc.oneof(policyText, shadowProne),
        fc.array(concretePath, { minLength: 20, maxLength: 40 }),
        (text, paths) => {
          let policy: ReturnType<typeof parsePolicy>;
          try {
            policy = parsePolicy(text, { name: 'p-read', file: 'p-read.hcl' });
          } catch {
            fc.pre(false); // e.g. `+*`, which Vault forbids
            return;
          }
          const shadowed = lintPolicies([policy])
            .filter((f) => f.rule === 'shadowed-rule')
            .map((f) => /^path "([^"]+)"/.exec(f.message)?.[1] as string);
          if (shadowed.length === 0) return;
          reported++;
          const acl = compilePolicies([policy]);
          for (const s of shadowed) {
            // Paths the rule matches: random ones, plus the rule's own body with fresh segments.
            for (const path of [
              ...paths,
              s.replaceAll('+', 'zz').replace(/\*$/, ''),
              s.replaceAll('+', 'q').replace(/\*$/, 'tail/more'),
            ]) {
              if (!patternMatches(s, path)) continue;
              const by = evaluate(acl, { path, operation: 'read' }).decidedBy?.pattern;
              expect(by, `${s} decided ${path}`).not.toBe(s);
            }
          }
        },
      ),
      { numRuns: 400 },
    );
    // The property must actually meet shadowed rules, or it proves nothing.
    expect(reported).toBeGreaterThan(20);
  });

  it('adding an explicit sys/* deny only ever removes the no-deny-sys finding', () => {
    fc.assert(
      fc.property(policyText, (text) => {
        const before = lintSources([{ file: 'p-read.hcl', text }]).findings.map((f) => f.rule);
        const after = lintSources([
          { file: 'p-read.hcl', text: `${text}\npath "sys/*" {\n  capabilities = ["deny"]\n}` },
        ]).findings.map((f) => f.rule);
        expect(after).not.toContain('no-deny-sys');
        for (const r of after) if (r !== 'shadowed-rule') expect(before).toContain(r);
      }),
      { numRuns: 200 },
    );
  });
});

import fc from 'fast-check';

// Generators for policy sets and request paths over a tiny alphabet, so patterns and paths collide often:
// exact vs prefix vs `+` rules, empty segments, trailing `/`, and merges of the same pattern.

const SEGMENTS = ['a', 'b', 'ab', 'abc', '', 'a*'];
const CAPS_OPENBAO = ['read', 'list', 'update', 'create', 'delete', 'patch', 'sudo', 'scan', 'deny'] as const;

/** A pattern: segments joined by `/`, some `+`, optionally ending in `*` or `/`; sometimes templated. */
const plainPatternArb: fc.Arbitrary<string> = fc
  .tuple(
    fc.array(fc.oneof({ weight: 3, arbitrary: fc.constantFrom(...SEGMENTS) }, { weight: 2, arbitrary: fc.constant('+') }), { minLength: 1, maxLength: 4 }),
    fc.constantFrom('', '', '*', '*', '/', '/*'),
  )
  .map(([segs, tail]) => segs.join('/') + tail)
  .filter((p) => p.length > 0 && !p.includes('+*'));

/** Templated patterns: a token without an entity cannot resolve them, so Vault drops the block. */
export const patternArb: fc.Arbitrary<string> = fc.oneof(
  { weight: 12, arbitrary: plainPatternArb },
  { weight: 1, arbitrary: fc.constantFrom('a/{{identity.entity.id}}', '{{identity.entity.name}}/*', 'a/+/{{identity.entity.id}}') },
);

/** One rule: a pattern and a set of capabilities (sometimes the legacy `policy` form). */
export interface GenRule {
  path: string;
  capabilities: string[];
  legacy?: 'read' | 'write' | 'sudo' | 'deny' | undefined;
}

export const ruleArb: fc.Arbitrary<GenRule> = fc.record({
  path: patternArb,
  capabilities: fc.subarray([...CAPS_OPENBAO], { minLength: 0, maxLength: 4 }),
  legacy: fc.option(fc.constantFrom('read', 'write', 'sudo', 'deny'), { freq: 8, nil: undefined }),
});

/** 1–3 policies of 1–6 rules; a shared pool of patterns makes cross-policy merges likely. */
export const policySetArb: fc.Arbitrary<GenRule[][]> = fc.array(fc.array(ruleArb, { minLength: 1, maxLength: 6 }), { minLength: 1, maxLength: 3 });

/** A request path over the same alphabet, with optional leading and trailing `/`. */
export const pathArb: fc.Arbitrary<string> = fc
  .tuple(fc.constantFrom('', '', '', '/'), fc.array(fc.constantFrom(...SEGMENTS, 'x', 'abcd', '+', 'a*'), { minLength: 1, maxLength: 5 }), fc.constantFrom('', '', '/'))
  .map(([lead, segs, trail]) => lead + segs.join('/') + trail)
  .filter((p) => p.replace(/^\/+/, '').length > 0);

/** Render generated rules as HCL. */
export function toHcl(rules: GenRule[]): string {
  return rules
    .map((r) => {
      const lines = [`path ${JSON.stringify(r.path)} {`];
      if (r.legacy) lines.push(`  policy = ${JSON.stringify(r.legacy)}`);
      lines.push(`  capabilities = ${JSON.stringify(r.capabilities)}`);
      lines.push('}');
      return lines.join('\n');
    })
    .join('\n');
}

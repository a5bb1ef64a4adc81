import fc from 'fast-check';

// Generators for policy sets and request paths over a tiny alphabet, so patterns and paths collide often:
// exact vs prefix vs `+` rules, empty segments, trailing `/`, and merges of the same pattern.

const SEGMENTS = ['a', 'b', 'ab', 'abc', '', 'a*'];
/** Segments with a `+` that is not the whole segment: literal on the servers (issue 10). */
const PLUS_IN_SEGMENT = ['+a', 'a+', '+ab', 'a+b'];
const CAPS_OPENBAO = ['read', 'list', 'update', 'create', 'delete', 'patch', 'sudo', 'scan', 'deny'] as const;

/** A pattern: segments joined by `/`, some `+`, optionally ending in `*` or `/`; sometimes templated. */
const plainPatternArb: fc.Arbitrary<string> = fc
  .tuple(
    fc.array(
      fc.oneof(
        { weight: 6, arbitrary: fc.constantFrom(...SEGMENTS) },
        { weight: 4, arbitrary: fc.constant('+') },
        { weight: 1, arbitrary: fc.constantFrom(...PLUS_IN_SEGMENT) },
      ),
      { minLength: 1, maxLength: 4 },
    ),
    fc.constantFrom('', '', '*', '*', '/', '/*'),
  )
  .map(([segs, tail]) => segs.join('/') + tail)
  .filter((p) => p.length > 0 && !p.includes('+*'));

/** Templated patterns: a token without an entity cannot resolve them, so Vault drops the block. */
export const patternArb: fc.Arbitrary<string> = fc.oneof(
  { weight: 12, arbitrary: plainPatternArb },
  {
    weight: 1,
    arbitrary: fc.constantFrom('a/{{identity.entity.id}}', '{{identity.entity.name}}/*', 'a/+/{{identity.entity.id}}'),
  },
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

/**
 * Rules on one base path with colliding tails: `base`, `base/`, `base/*`, `base*`, `base/+`, so the
 * trailing-slash fallbacks of LIST and overlapping globs decide often.
 */
export const collidingRulesArb: fc.Arbitrary<GenRule[]> = fc
  .tuple(
    plainPatternArb.map((p) => p.replace(/[*/]+$/, '')).filter((p) => p.length > 0),
    fc.subarray(['', '/', '/*', '*', '/+', '/a*'], { minLength: 2 }),
  )
  .chain(([base, tails]) =>
    fc.tuple(
      ...tails.map((tail) =>
        fc.record({
          path: fc.constant(base + tail),
          capabilities: fc.subarray([...CAPS_OPENBAO], { minLength: 0, maxLength: 3 }),
        }),
      ),
    ),
  )
  .map((rules) => rules.filter((r) => !r.path.includes('+*')));

/** 1–3 policies of 1–6 rules; a shared pool of patterns makes cross-policy merges likely; some add colliding rules. */
export const policySetArb: fc.Arbitrary<GenRule[][]> = fc.array(
  fc
    .tuple(fc.array(ruleArb, { minLength: 1, maxLength: 6 }), fc.option(collidingRulesArb, { freq: 3, nil: undefined }))
    .map(([rules, more]) => (more ? [...rules, ...more] : rules)),
  { minLength: 1, maxLength: 3 },
);

/** A request path over the same alphabet, with optional leading and trailing `/`. */
export const pathArb: fc.Arbitrary<string> = fc
  .tuple(
    fc.constantFrom('', '', '', '/'),
    fc.array(fc.constantFrom(...SEGMENTS, 'x', 'abcd', '+', 'a*', ...PLUS_IN_SEGMENT), { minLength: 1, maxLength: 5 }),
    fc.constantFrom('', '', '/'),
  )
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

import { requireService } from '@svm/test-harness';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { compilePolicies, evaluate, parsePolicy } from '../src/index.ts';
import { createToken, deletePolicy, putPolicy, revokeToken } from './openbao-client.ts';

// Differential test of evaluate() against real requests to OpenBao. Every path lives under `zz/`, where
// nothing is mounted: OpenBao checks the ACL first and answers 403 when the policy refuses the request,
// and 404 ("no handler for route") when the policy allows it. That makes the server's ACL decision
// observable for operations (GET, POST, DELETE, LIST, PATCH), parameters (body or query) and response
// wrapping (X-Vault-Wrap-TTL). 120 runs × 18 requests = 2,160 cases per run.

const svc = requireService('openbao');
const RUNS = Number(process.env.SVM_DIFF_RUNS ?? 120);
const REQUESTS_PER_RUN = 18;
const prefix = `svmreq-${process.pid}-`;

const SEGMENTS = ['a', 'b', 'ab', 'a*', '+'];
const VALUES = ['1', '2', 'a-1', 'b-2', 'x'];
const KEYS = ['x', 'y', 'X'];

const patternArb = fc
  .tuple(
    fc.array(
      fc.oneof({ weight: 3, arbitrary: fc.constantFrom('a', 'b', 'ab') }, { weight: 2, arbitrary: fc.constant('+') }),
      { minLength: 1, maxLength: 3 },
    ),
    fc.constantFrom('', '', '*', '/', '/*'),
  )
  .map(([segs, tail]) => `zz/${segs.join('/')}${tail}`)
  .filter((p) => !p.includes('+*'));

const valueListArb = fc.subarray(['1', 'a-*', '*-2', '*b*', 'x', '*'], { maxLength: 2 });

/** `arb` one time in `oneIn`, else undefined. */
const sometimes = <T>(arb: fc.Arbitrary<T>, oneIn: number): fc.Arbitrary<T | undefined> =>
  fc.oneof({ weight: oneIn - 1, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: arb });

const ruleArb = fc.record({
  path: patternArb,
  caps: fc.oneof(
    {
      weight: 1,
      arbitrary: fc.subarray(['read', 'update', 'delete', 'list', 'patch', 'sudo', 'deny'], { maxLength: 3 }),
    },
    { weight: 3, arbitrary: fc.subarray(['read', 'update', 'delete', 'list', 'patch', 'sudo'], { minLength: 3 }) },
  ),
  allowed: sometimes(fc.dictionary(fc.constantFrom('x', 'y', '*'), valueListArb, { maxKeys: 2 }), 4),
  denied: sometimes(fc.dictionary(fc.constantFrom('x', 'y', '*'), valueListArb, { maxKeys: 1 }), 4),
  required: sometimes(fc.subarray(['x', 'y'], { minLength: 1 }), 5),
  minWrap: sometimes(fc.constantFrom(30, 60), 6),
  maxWrap: sometimes(fc.constantFrom(60, 120), 6),
});
type Rule = typeof ruleArb extends fc.Arbitrary<infer T> ? T : never;

const hclMap = (m: Record<string, string[]>) =>
  `{ ${Object.entries(m)
    .map(([k, v]) => `${JSON.stringify(k)} = ${JSON.stringify(v)}`)
    .join(' ')} }`;
function toHcl(rules: Rule[]): string {
  return rules
    .map((r) => {
      const lines = [`path ${JSON.stringify(r.path)} {`, `  capabilities = ${JSON.stringify(r.caps)}`];
      if (r.allowed) lines.push(`  allowed_parameters = ${hclMap(r.allowed)}`);
      if (r.denied) lines.push(`  denied_parameters = ${hclMap(r.denied)}`);
      if (r.required) lines.push(`  required_parameters = ${JSON.stringify(r.required)}`);
      if (r.minWrap && !(r.maxWrap && r.maxWrap < r.minWrap)) lines.push(`  min_wrapping_ttl = ${r.minWrap}`);
      if (r.maxWrap) lines.push(`  max_wrapping_ttl = ${r.maxWrap}`);
      lines.push('}');
      return lines.join('\n');
    })
    .join('\n');
}

/** A path under one of the rules' patterns (each `+` a segment, `*` nothing or more), or a random one. */
function pathArbFor(rules: Rule[]): fc.Arbitrary<string> {
  const random = fc
    .tuple(fc.array(fc.constantFrom(...SEGMENTS), { minLength: 1, maxLength: 4 }), fc.constantFrom('', '', '/'))
    .map(([segs, tail]) => `zz/${segs.join('/')}${tail}`);
  const under = fc
    .tuple(
      fc.constantFrom(...rules.map((r) => r.path)),
      fc.array(fc.constantFrom('a', 'b', 'ab'), { minLength: 4, maxLength: 4 }),
      fc.constantFrom('', 'a', '/b', 'b/c/'),
    )
    .map(([pattern, fill, rest]) => {
      let i = 0;
      const body = pattern.endsWith('*') ? pattern.slice(0, -1) : pattern;
      const concrete = body
        .split('/')
        .map((seg) => (seg === '+' ? (fill[i++ % 4] as string) : seg))
        .join('/');
      return pattern.endsWith('*') ? concrete + rest : concrete;
    });
  return fc.oneof({ weight: 2, arbitrary: under }, { weight: 1, arbitrary: random }).filter((p) => !p.includes('//'));
}

function requestArbFor(rules: Rule[]) {
  return (
    fc
      .record({
        method: fc.constantFrom('GET', 'POST', 'DELETE', 'LIST', 'PATCH'),
        path: pathArbFor(rules),
        data: sometimes(
          fc.dictionary(fc.constantFrom(...KEYS), fc.constantFrom(...VALUES), { minKeys: 1, maxKeys: 2 }),
          2,
        ),
        wrapTtl: sometimes(fc.constantFrom(30, 90, 200), 3),
      })
      // OpenBao answers 400 "cannot write to a path ending in '/'" before any ACL check.
      .map((r) =>
        (r.method === 'POST' || r.method === 'PATCH') && r.path.endsWith('/') ? { ...r, path: r.path.slice(0, -1) } : r,
      )
  );
}
const caseArb = fc
  .array(fc.array(ruleArb, { minLength: 1, maxLength: 5 }), { minLength: 1, maxLength: 2 })
  .chain((sets) =>
    fc.tuple(
      fc.constant(sets),
      fc.array(requestArbFor(sets.flat()), { minLength: REQUESTS_PER_RUN, maxLength: REQUESTS_PER_RUN }),
    ),
  );
type Req = ReturnType<typeof requestArbFor> extends fc.Arbitrary<infer T> ? T : never;

const OP: Record<string, 'read' | 'update' | 'delete' | 'list' | 'patch'> = {
  GET: 'read',
  POST: 'update',
  DELETE: 'delete',
  LIST: 'list',
  PATCH: 'patch',
};

async function send(addr: string, token: string, r: Req): Promise<number> {
  const headers: Record<string, string> = { 'X-Vault-Token': token };
  if (r.wrapTtl) headers['X-Vault-Wrap-TTL'] = String(r.wrapTtl);
  let url = `${addr}/v1/${r.path}`;
  let body: string | undefined;
  if (r.data && (r.method === 'POST' || r.method === 'PATCH')) {
    body = JSON.stringify(r.data);
    headers['Content-Type'] = r.method === 'PATCH' ? 'application/merge-patch+json' : 'application/json';
  } else if (r.data && r.method === 'GET') url += `?${new URLSearchParams(r.data).toString()}`;
  if (r.method === 'PATCH' && body === undefined) {
    body = '{}';
    headers['Content-Type'] = 'application/merge-patch+json';
  }
  const res = await fetch(url, { method: r.method, headers, body });
  await res.arrayBuffer();
  return res.status;
}

/** What our engine sees for an HTTP request (LIST gets a trailing slash; GET query and bodies are data). */
function toRequest(r: Req) {
  const path = r.method === 'LIST' && !r.path.endsWith('/') ? `${r.path}/` : r.path;
  const data = r.data && r.method !== 'DELETE' && r.method !== 'LIST' ? r.data : undefined;
  return { path, operation: OP[r.method] as 'read', data, wrapTtl: r.wrapTtl };
}

describe.skipIf(!svc)('evaluate() agrees with OpenBao on real requests', () => {
  const server = svc as NonNullable<typeof svc>;
  const written = new Set<string>();
  afterAll(async () => {
    for (const name of written) await deletePolicy(server, name);
  });

  it(`agrees on ${RUNS * REQUESTS_PER_RUN} generated requests (403 = refused, 404 = allowed)`, async () => {
    let cases = 0;
    const reasons = new Map<string, number>();
    await fc.assert(
      fc.asyncProperty(caseArb, async ([sets, requests]) => {
        const names = sets.map((_, i) => `${prefix}${i}`);
        const texts = sets.map(toHcl);
        const acl = compilePolicies(
          texts.map((t, i) => parsePolicy(t, { name: names[i] as string })),
          { flavor: 'openbao' },
        );
        for (let i = 0; i < texts.length; i++) {
          await putPolicy(server, names[i] as string, texts[i] as string);
          written.add(names[i] as string);
        }
        const token = await createToken(server, names);
        try {
          for (const r of requests) {
            cases++;
            const status = await send(server.addr, token, r);
            if (status !== 403 && status !== 404)
              throw new Error(`unexpected HTTP ${status} for ${r.method} ${r.path}`);
            const ours = evaluate(acl, toRequest(r));
            reasons.set(ours.reason, (reasons.get(ours.reason) ?? 0) + 1);
            if (ours.allowed !== (status === 404)) {
              throw new Error(
                `disagreement on ${r.method} ${r.path} data=${JSON.stringify(r.data ?? null)} wrap=${r.wrapTtl ?? '-'}: ours ${ours.allowed ? 'allowed' : `refused (${ours.reason})`}, OpenBao HTTP ${status}\n` +
                  texts.map((t, i) => `# policy ${names[i]}\n${t}`).join('\n'),
              );
            }
          }
        } finally {
          await revokeToken(server, token);
        }
      }),
      { numRuns: RUNS },
    );
    expect(cases).toBeGreaterThanOrEqual(2000);
    if (process.env.SVM_DIFF_STATS) console.log(Object.fromEntries(reasons));
    // The generated cases must exercise both outcomes and the interesting refusals, or agreement means little.
    expect(reasons.get('allowed') ?? 0).toBeGreaterThan(cases * 0.05);
    for (const reason of [
      'no-matching-rule',
      'missing-capability',
      'explicit-deny',
      'required-parameter-missing',
      'wrapping-required',
      'wrapping-ttl-too-long',
    ]) {
      expect(reasons.get(reason) ?? 0, reason).toBeGreaterThan(0);
    }
  }, 120_000);
});

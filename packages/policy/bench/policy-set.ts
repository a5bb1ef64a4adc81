import type { Policy, PolicyRule } from '@svm/core';

// A deterministic, realistic 10,000-rule policy set: 20 policies × 500 rules over teams and apps on a
// KV v2 mount, database creds and auth roles; half exact rules, 30% `*` prefixes, 20% `+` patterns.

/** Mulberry32: a tiny seeded PRNG so every run benches the same set. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const CAPS = ['read', 'list', 'create', 'update', 'delete', 'patch', 'sudo'] as const;

export function benchPolicies(totalRules = 10_000, policyCount = 20, seed = 42): Policy[] {
  const rnd = prng(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)] as T;
  const n = (max: number) => Math.floor(rnd() * max);
  const perPolicy = Math.ceil(totalRules / policyCount);
  const policies: Policy[] = [];
  for (let p = 0; p < policyCount; p++) {
    const rules: PolicyRule[] = [];
    for (let r = 0; r < perPolicy && policies.length * perPolicy + r < totalRules; r++) {
      const team = `team-${n(40)}`;
      const app = `app-${n(250)}`;
      const roll = rnd();
      let path: string;
      if (roll < 0.5)
        path = pick([
          `secret/data/${team}/${app}/config-${n(10)}`,
          `secret/metadata/${team}/${app}`,
          `db/creds/${app}-ro`,
          `auth/approle/role/${app}/secret-id`,
          `pki/issue/${app}`,
        ]);
      else if (roll < 0.8)
        path = pick([
          `secret/data/${team}/${app}/*`,
          `secret/metadata/${team}/*`,
          `kv/${team}/${app}/*`,
          `db/creds/${app}-*`,
          `transit/encrypt/${app}*`,
        ]);
      else
        path = pick([
          `secret/data/+/${app}/shared`,
          `auth/+/role/${app}`,
          `secret/metadata/${team}/+/*`,
          `secret/data/${team}/+/config-${n(10)}`,
          `+/${team}/${app}/+`,
        ]);
      const caps = rnd() < 0.05 ? ['deny'] : CAPS.filter(() => rnd() < 0.3);
      rules.push({ path, capabilities: (caps.length ? caps : ['read']) as PolicyRule['capabilities'] });
    }
    policies.push({ name: `bench-${p}`, rules });
  }
  return policies;
}

/** Request paths: under rules (hits), near them (neighbours) and unrelated (misses). */
export function benchPaths(count = 10_000, seed = 7): string[] {
  const rnd = prng(seed);
  const n = (max: number) => Math.floor(rnd() * max);
  const out: string[] = [];
  for (let i = 0; i < count; i++) {
    const team = `team-${n(45)}`;
    const app = `app-${n(260)}`;
    const shapes = [
      `secret/data/${team}/${app}/config-${n(12)}`,
      `secret/data/${team}/${app}/db/password`,
      `secret/metadata/${team}/${app}/`,
      `secret/data/${team}/${app}/shared`,
      `kv/${team}/${app}/x`,
      `db/creds/${app}-ro`,
      `auth/approle/role/${app}`,
      `transit/encrypt/${app}-key`,
      `sys/mounts/${app}`,
      `cubbyhole/${app}`,
    ];
    out.push(shapes[n(shapes.length)] as string);
  }
  return out;
}

export function toHcl(policy: Policy): string {
  return policy.rules
    .map((r) => `path ${JSON.stringify(r.path)} {\n  capabilities = ${JSON.stringify(r.capabilities)}\n}\n`)
    .join('');
}

// One command: `pnpm --filter @svm/policy bench`. Measures, in the same run:
//   1. compiling a 10,000-rule policy set;
//   2. evaluations per second with the compiled matcher (capabilities() and evaluate());
//   3. the same lookups with a linear scan over the same rules (the baseline);
//   4. the same checks through OpenBao's sys/capabilities (the reference), when the test server is up.
// Prints ratios. Single-threaded (one core). No assertions: figures go in the README.
// OpenBao builds the ACL from the token's policies on every sys/capabilities call, so with 10,000 rules
// each call is slow: the reference samples 1,000 paths (BENCH_OPENBAO_PATHS).
import { requireService } from '@svm/test-harness';
import { capabilities, compilePolicies, evaluate } from '../src/index.ts';
import { createToken, deletePolicy, putPolicy, revokeToken, sysCapabilities } from '../test/openbao-client.ts';
import { linearScanAcl } from './linear-scan.ts';
import { benchPaths, benchPolicies, toHcl } from './policy-set.ts';

const MIN_MS = Number(process.env.BENCH_MIN_MS ?? 1500);

function rate(label: string, fn: (i: number) => unknown, units: number): number {
  for (let i = 0; i < 20_000; i++) fn(i); // warm up the JIT
  let ops = 0;
  const start = process.hrtime.bigint();
  let elapsed = 0;
  while (elapsed < MIN_MS) {
    for (let i = 0; i < 10_000; i++) fn(ops + i);
    ops += 10_000;
    elapsed = Number(process.hrtime.bigint() - start) / 1e6;
  }
  const perSecond = (ops * units * 1000) / elapsed;
  console.log(`${label.padEnd(52)} ${fmt(perSecond)} /s`);
  return perSecond;
}

const fmt = (n: number) => (n >= 1e6 ? `${(n / 1e6).toFixed(2)}M` : n >= 1e3 ? `${(n / 1e3).toFixed(1)}k` : n.toFixed(1));

async function main(): Promise<void> {
  const policies = benchPolicies();
  const paths = benchPaths();
  const ruleCount = policies.reduce((s, p) => s + p.rules.length, 0);
  console.log(`policy set: ${policies.length} policies, ${ruleCount} rules; ${paths.length} request paths; node ${process.version}, 1 thread`);
  console.log('machine: 2 cores shared with other engineers\' builds and tests during the run\n');

  const compileRuns: number[] = [];
  for (let i = 0; i < 7; i++) {
    const t = process.hrtime.bigint();
    compilePolicies(policies);
    compileRuns.push(Number(process.hrtime.bigint() - t) / 1e6);
  }
  compileRuns.sort((a, b) => a - b);
  console.log(`${'compile 10,000 rules (median of 7)'.padEnd(52)} ${compileRuns[3]?.toFixed(1)} ms`);

  const acl = compilePolicies(policies);
  const linear = linearScanAcl(policies);
  for (const p of paths) {
    const a = capabilities(acl, p).join(',');
    const b = linear(p).join(',');
    if (a !== b) throw new Error(`bench sanity: compiled and linear scan disagree on ${p}: ${a} vs ${b}`);
  }
  const N = paths.length;
  const ours = rate('capabilities() compiled matcher', (i) => capabilities(acl, paths[i % N] as string), 1);
  const evalRate = rate('evaluate() read, compiled matcher', (i) => evaluate(acl, { path: paths[i % N] as string, operation: 'read' }), 1);
  const base = rate('capabilities() linear scan (baseline)', (i) => linear(paths[i % N] as string), 1);
  console.log(`\nratio compiled / linear scan: ${(ours / base).toFixed(1)}x (evaluate(): ${(evalRate / base).toFixed(1)}x)`);

  const bao = requireService('openbao');
  if (!bao) {
    console.log('\nOpenBao reference: skipped (scripts/services.sh up openbao)');
    return;
  }
  const names = policies.map((p) => `svmbench-${process.pid}-${p.name}`);
  try {
    for (let i = 0; i < policies.length; i++) await putPolicy(bao, names[i] as string, toHcl(policies[i] as (typeof policies)[number]));
    const token = await createToken(bao, names);
    const baoAcl = compilePolicies(policies, { flavor: 'openbao' });
    const batch = 100;
    let checked = 0;
    let disagreements = 0;
    const start = process.hrtime.bigint();
    const sample = paths.slice(0, Number(process.env.BENCH_OPENBAO_PATHS ?? 1000));
    for (let i = 0; i < sample.length; i += batch) {
      const chunk = [...new Set(sample.slice(i, i + batch))];
      const theirs = await sysCapabilities(bao, token, chunk);
      for (const p of chunk) {
        checked++;
        if (JSON.stringify(theirs[p]) !== JSON.stringify(capabilities(baoAcl, p))) disagreements++;
      }
    }
    const batchedMs = Number(process.hrtime.bigint() - start) / 1e6;
    const batched = (checked * 1000) / batchedMs;
    const singleStart = process.hrtime.bigint();
    const singles = 20;
    for (let i = 0; i < singles; i++) await sysCapabilities(bao, token, [paths[i] as string]);
    const single = (singles * 1000) / (Number(process.hrtime.bigint() - singleStart) / 1e6);
    await revokeToken(bao, token);
    console.log(`\n${'OpenBao sys/capabilities, 100 paths per request'.padEnd(52)} ${fmt(batched)} /s  (${checked} paths, ${disagreements} disagreements)`);
    console.log(`${'OpenBao sys/capabilities, 1 path per request'.padEnd(52)} ${fmt(single)} /s`);
    console.log(`ratio compiled / OpenBao batched: ${(ours / batched).toFixed(0)}x; / OpenBao single: ${(ours / single).toFixed(0)}x`);
  } finally {
    for (const n of names) await deletePolicy(bao, n);
  }
}

await main();

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

/**
 * Operations per second of `batch`, which runs BATCH operations starting at an offset. Each benchmark
 * passes its own closure so its hot loop stays monomorphic (a shared loop calling different functions
 * would penalise whichever runs second).
 */
const BATCH = 10_000;
function rate(label: string, batch: (start: number) => void, perBatch = BATCH): number {
  for (let i = 0; i < 5; i++) batch(i * perBatch); // warm up the JIT
  let ops = 0;
  const cpu0 = process.cpuUsage();
  const start = process.hrtime.bigint();
  let elapsed = 0;
  while (elapsed < MIN_MS) {
    batch(ops);
    ops += perBatch;
    elapsed = Number(process.hrtime.bigint() - start) / 1e6;
  }
  const perSecond = (ops * 1000) / elapsed;
  // CPU time of this process: on a shared machine it shows what one core does when it is not taken away.
  const cpu = process.cpuUsage(cpu0);
  const perCpuSecond = (ops * 1e6) / (cpu.user + cpu.system);
  console.log(`${label.padEnd(52)} ${fmt(perSecond)} /s  (${fmt(perCpuSecond)} per CPU-second)`);
  return perSecond;
}

const fmt = (n: number) =>
  n >= 1e6 ? `${(n / 1e6).toFixed(2)}M` : n >= 1e3 ? `${(n / 1e3).toFixed(1)}k` : n.toFixed(1);

async function main(): Promise<void> {
  const policies = benchPolicies();
  const paths = benchPaths();
  const ruleCount = policies.reduce((s, p) => s + p.rules.length, 0);
  console.log(
    `policy set: ${policies.length} policies, ${ruleCount} rules; ${paths.length} request paths; node ${process.version}, 1 thread`,
  );
  console.log("machine: 2 cores shared with other engineers' builds and tests during the run\n");

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
  const ours = rate('capabilities() compiled matcher', (start) => {
    for (let i = start; i < start + BATCH; i++) capabilities(acl, paths[i % N] as string);
  });
  const evalRate = rate('evaluate() read, compiled matcher', (start) => {
    for (let i = start; i < start + BATCH; i++) evaluate(acl, { path: paths[i % N] as string, operation: 'read' });
  });
  const base = rate(
    'capabilities() linear scan (baseline)',
    (start) => {
      for (let i = start; i < start + 500; i++) linear(paths[i % N] as string);
    },
    500,
  );
  console.log(
    `\nratio compiled / linear scan: ${(ours / base).toFixed(1)}x (evaluate(): ${(evalRate / base).toFixed(1)}x)`,
  );

  const bao = requireService('openbao');
  if (!bao) {
    console.log('\nOpenBao reference: skipped (scripts/services.sh up openbao)');
    return;
  }
  const names = policies.map((p) => `svmbench-${process.pid}-${p.name}`);
  try {
    for (let i = 0; i < policies.length; i++)
      await putPolicy(bao, names[i] as string, toHcl(policies[i] as (typeof policies)[number]));
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
    console.log(
      `\n${'OpenBao sys/capabilities, 100 paths per request'.padEnd(52)} ${fmt(batched)} /s  (${checked} paths, ${disagreements} disagreements)`,
    );
    console.log(`${'OpenBao sys/capabilities, 1 path per request'.padEnd(52)} ${fmt(single)} /s`);
    console.log(
      `ratio compiled / OpenBao batched: ${(ours / batched).toFixed(0)}x; / OpenBao single: ${(ours / single).toFixed(0)}x`,
    );
  } finally {
    for (const n of names) await deletePolicy(bao, n);
  }
}

await main();

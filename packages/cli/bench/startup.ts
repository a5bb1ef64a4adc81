// Start-up cost of the `svm` binary against a bare `node -e 0`, measured in the same run, interleaved
// so machine noise hits both alike. Needs a build (`pnpm --filter @svm/cli build`).
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const bin = fileURLToPath(new URL('../bin/svm.js', import.meta.url));
const runs = Number(process.env.BENCH_RUNS ?? 40);

const cases: Array<[string, string[]]> = [
  ['node -e 0 (baseline)', ['-e', '0']],
  ['svm --version', [bin, '--version']],
  ['svm --help', [bin, '--help']],
  ['svm policy --help', [bin, 'policy', '--help']],
  ['svm secret --help', [bin, 'secret', '--help']],
];

const samples = new Map<string, number[]>(cases.map(([name]) => [name, []]));
for (let i = 0; i < runs + 3; i++) {
  for (const [name, args] of cases) {
    const start = process.hrtime.bigint();
    const r = spawnSync(process.execPath, args, { stdio: 'ignore' });
    const ms = Number(process.hrtime.bigint() - start) / 1e6;
    if (r.status !== 0) throw new Error(`${name} exited ${r.status}`);
    if (i >= 3) samples.get(name)?.push(ms); // the first runs warm the file cache
  }
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] ?? Number.NaN;
};
const base = median(samples.get('node -e 0 (baseline)') ?? []);
console.log(`svm start-up, median of ${runs} runs each (node ${process.version})`);
for (const [name] of cases) {
  const m = median(samples.get(name) ?? []);
  console.log(`${name.padEnd(24)} ${m.toFixed(1).padStart(7)} ms   ${(m / base).toFixed(2)}× baseline`);
}

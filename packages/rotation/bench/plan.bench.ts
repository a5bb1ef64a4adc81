// Rotation planner benchmark: `pnpm --filter @svm/rotation bench`.
// Plans 100,000 generated inventory items and prints timings with ratios against baselines measured in the
// same run: a plain Node loop over the same parsed items doing the original script's interval arithmetic,
// and the original rotation_planner.py when SVM_ORIGINAL_SCRIPTS names the folder that holds it.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { InventoryItem } from '@svm/core';
import { loadInventory, planRotations, renderPlanJson } from '../src/index.js';

const N = Number(process.env.SVM_BENCH_ITEMS ?? 100_000);
const RUNS = Number(process.env.SVM_BENCH_RUNS ?? 5);
const NOW = '2026-03-01';
const TYPES = [
  'database',
  'password',
  'tls-certificate',
  'api-key',
  'ssh-key',
  'encryption-key',
  'oauth-secret',
  'service-token',
  'vendor-credential',
];

function generate(n: number): InventoryItem[] {
  let seed = 42;
  const rand = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
  const base = Date.UTC(2025, 0, 1);
  const items: InventoryItem[] = [];
  for (let i = 0; i < n; i++) {
    const type = TYPES[Math.floor(rand() * TYPES.length)] as string;
    const item: InventoryItem = {
      name: `secret-${i}`,
      type,
      store: rand() < 0.5 ? 'vault' : 'aws',
      owner: `team-${Math.floor(rand() * 50)}`,
      environment: rand() < 0.7 ? 'production' : 'staging',
    };
    if (rand() > 0.02)
      item.last_rotated = new Date(base + Math.floor(rand() * 425) * 86_400_000).toISOString().slice(0, 10);
    items.push(item);
  }
  return items;
}

/** The original script's arithmetic in plain JS (Date objects, floor of the millisecond difference). */
function originalLoop(items: readonly InventoryItem[], policyDays: number, now: Date): unknown[] {
  const defaults: Record<string, number> = {
    database: 30,
    'api-key': 90,
    'tls-certificate': 60,
    'ssh-key': 90,
    'service-token': 1,
    'encryption-key': 90,
    'oauth-secret': 90,
    password: 30,
  };
  const out = items.map((s, i) => {
    const interval = Math.min(policyDays, defaults[s.type ?? 'unknown'] ?? 90);
    let daysUntil = -999;
    let next = now;
    if (s.last_rotated) {
      next = new Date(new Date(`${s.last_rotated}T00:00:00`).getTime() + interval * 86_400_000);
      daysUntil = Math.floor((next.getTime() - now.getTime()) / 86_400_000);
    }
    const urgency = daysUntil <= 0 ? 'CRITICAL' : daysUntil <= 7 ? 'HIGH' : daysUntil <= 14 ? 'MEDIUM' : 'LOW';
    return {
      name: s.name ?? `unnamed-${i}`,
      next_rotation: next.toISOString().slice(0, 10),
      days_until_due: daysUntil,
      urgency,
    };
  });
  const rank: Record<string, number> = { CRITICAL: 0, HIGH: 1, MEDIUM: 2, LOW: 3 };
  out.sort((a, b) => (rank[a.urgency] as number) - (rank[b.urgency] as number) || a.days_until_due - b.days_until_due);
  return out;
}

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] as number;
}

interface Timing {
  wall: number;
  /** CPU time (user + system) of this process: steadier than wall time on a shared, loaded machine. */
  cpu: number;
}

function time(fn: () => unknown): Timing {
  fn(); // warm-up
  const wall: number[] = [];
  const cpu: number[] = [];
  for (let r = 0; r < RUNS; r++) {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    fn();
    wall.push(performance.now() - t0);
    const c = process.cpuUsage(c0);
    cpu.push((c.user + c.system) / 1000);
  }
  return { wall: median(wall), cpu: median(cpu) };
}

// Runs the original script in-process under python3 (stdout to /dev/null) and reports its own CPU time,
// interpreter start-up included, like the wall time a user sees.
const PY_WRAPPER = `
import os, resource, runpy, sys, time
script, inventory = sys.argv[1], sys.argv[2]
sys.argv = [script, "--inventory", inventory, "--policy", "90d", "--json"]
sys.stdout = open(os.devnull, "w")
t0 = time.perf_counter()
runpy.run_path(script, run_name="__main__")
wall = (time.perf_counter() - t0) * 1000
ru = resource.getrusage(resource.RUSAGE_SELF)
sys.stderr.write(f"{wall} {(ru.ru_utime + ru.ru_stime) * 1000}\\n")
`;

function timePython(script: string, inventory: string): Timing {
  const once = (): Timing => {
    const r = spawnSync('python3', ['-c', PY_WRAPPER, script, inventory], { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`original script failed (${r.status}): ${r.stderr.slice(0, 300)}`);
    const [wall, cpu] = r.stderr.trim().split(/\s+/).slice(-2).map(Number);
    return { wall: wall as number, cpu: cpu as number };
  };
  const samples = Array.from({ length: RUNS }, once);
  return { wall: median(samples.map((s) => s.wall)), cpu: median(samples.map((s) => s.cpu)) };
}

const dir = mkdtempSync(join(tmpdir(), 'svm-rotation-bench-'));
const file = join(dir, 'inventory.json');
const items = generate(N);
writeFileSync(file, JSON.stringify(items));
const text = readFileSync(file, 'utf8');
const parsed = loadInventory(text, { file }).items;

const rows: Array<[string, Timing]> = [];
rows.push([
  'node loop, original arithmetic (parsed items)',
  time(() => originalLoop(parsed, 90, new Date(`${NOW}T12:00:00`))),
]);
rows.push([
  'svm planRotations (parsed items, no capacity)',
  time(() => planRotations(parsed, { now: NOW, maxIntervalDays: 90 })),
]);
rows.push([
  'svm planRotations (capacity 25/team/day)',
  time(() => planRotations(parsed, { now: NOW, maxIntervalDays: 90, capacity: 25 })),
]);
rows.push([
  'svm file -> JSON (read, validate, plan, render)',
  time(() =>
    renderPlanJson(
      planRotations(loadInventory(readFileSync(file, 'utf8'), { file }).items, { now: NOW, maxIntervalDays: 90 }),
    ),
  ),
]);

let python: Timing | undefined;
const scripts = process.env.SVM_ORIGINAL_SCRIPTS;
const original = scripts ? join(scripts, 'rotation_planner.py') : undefined;
if (original && existsSync(original)) {
  python = timePython(original, file);
  rows.push(['original rotation_planner.py file -> JSON (python3)', python]);
}

// End to end, as a user runs them: a fresh process each, output to /dev/null, under /usr/bin/time for CPU
// time (user + system, steadier than wall time on a loaded machine) and peak RSS.
interface ProcessTiming extends Timing {
  rssMb: number;
}
function timeProcess(command: string, args: string[]): ProcessTiming {
  const once = (): ProcessTiming => {
    const r = spawnSync('/usr/bin/time', ['-f', 'SVMTIME %e %U %S %M', command, ...args], {
      encoding: 'utf8',
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    const m = /SVMTIME (\S+) (\S+) (\S+) (\d+)/.exec(r.stderr);
    if (r.status !== 0 || !m) throw new Error(`${command} failed (${r.status}): ${r.stderr.slice(0, 300)}`);
    return { wall: Number(m[1]) * 1000, cpu: (Number(m[2]) + Number(m[3])) * 1000, rssMb: Number(m[4]) / 1024 };
  };
  const samples = Array.from({ length: RUNS }, once);
  return {
    wall: median(samples.map((s) => s.wall)),
    cpu: median(samples.map((s) => s.cpu)),
    rssMb: median(samples.map((s) => s.rssMb)),
  };
}
const e2e: Array<[string, ProcessTiming]> = [];
if (existsSync('/usr/bin/time')) {
  const bin = new URL('../../cli/bin/svm.js', import.meta.url).pathname;
  e2e.push([
    'svm rotation plan --max-interval 90d --json',
    timeProcess(process.execPath, [bin, 'rotation', 'plan', file, '--max-interval', '90d', '--json']),
  ]);
  if (original && existsSync(original))
    e2e.push([
      'rotation_planner.py --policy 90d --json',
      timeProcess('python3', [original, '--inventory', file, '--policy', '90d', '--json']),
    ]);
}

const baseline = (rows[0] as [string, Timing])[1];
const cpus = execFileSync('nproc', { encoding: 'utf8' }).trim();
console.log(
  `rotation planner bench: ${N.toLocaleString('en')} items, median of ${RUNS} runs, node ${process.version}, ${cpus} cores`,
);
console.log(`  ${''.padEnd(52)} ${'cpu ms'.padStart(7)} ${'wall ms'.padStart(8)}  ratios (cpu)`);
for (const [name, t] of rows) {
  const vsLoop = `${(t.cpu / baseline.cpu).toFixed(1)}x node loop`;
  const vsPython = python ? `, ${(t.cpu / python.cpu).toFixed(2)}x python` : '';
  console.log(
    `  ${name.padEnd(52)} ${t.cpu.toFixed(0).padStart(7)} ${t.wall.toFixed(0).padStart(8)}  (${vsLoop}${vsPython})`,
  );
}
if (!python)
  console.log(
    `  original rotation_planner.py: skipped (set SVM_ORIGINAL_SCRIPTS to the folder that holds it${original ? `; ${original} not found` : ''})`,
  );

if (e2e.length > 0) {
  const py = e2e[1]?.[1];
  console.log(`\nend to end (fresh process, stdout to /dev/null; median of ${RUNS}):`);
  console.log(
    `  ${''.padEnd(45)} ${'cpu ms'.padStart(7)} ${'wall ms'.padStart(8)} ${'peak RSS'.padStart(9)}  speed-up vs python (cpu, wall)`,
  );
  for (const [name, t] of e2e) {
    const ratio = py ? `${(py.cpu / t.cpu).toFixed(2)}x, ${(py.wall / t.wall).toFixed(2)}x` : '';
    console.log(
      `  ${name.padEnd(45)} ${t.cpu.toFixed(0).padStart(7)} ${t.wall.toFixed(0).padStart(8)} ${`${t.rssMb.toFixed(0)} MB`.padStart(9)}  ${ratio}`,
    );
  }
}

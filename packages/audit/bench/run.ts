/**
 * `pnpm --filter @svm/audit bench`: the analyzer against baselines, measured in the same run on the same file.
 *
 * 1. Generate (once; cached in bench/.data/, gitignored) a Vault audit log of at least 1 GiB.
 * 2. Time, each in its own process (so peak RSS is its own): a plain Node loop that only JSON.parses every
 *    line; jq with a one-field filter; svm's full analysis on the calling thread and with worker threads.
 *    The Node contenders run SVM_BENCH_RUNS times (default 3), taking turns, and report their median wall time
 *    (with that run's CPU time) and their highest peak RSS: one disturbed run moves no ratio. jq runs once.
 * 3. With SVM_ORIGINAL_SCRIPTS=<folder holding audit_log_analyzer.py>, the original script and svm on a smaller
 *    file (the original loads the whole file into memory); otherwise that comparison is skipped, saying so.
 * Ratios are against the JSON.parse loop of the same run. Results are also written to bench/.data/results.json.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, statSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureVaultLog, headFile } from './generate.js';

const here = fileURLToPath(new URL('.', import.meta.url));
const data = join(here, '.data');
mkdirSync(data, { recursive: true });
const MIN_BYTES = Number(process.env['SVM_BENCH_BYTES'] ?? 1.05 * 1024 ** 3);
const RUNS = Math.max(1, Number(process.env['SVM_BENCH_RUNS'] ?? 3));
const big = join(data, 'vault-audit-1g.log');
const small = join(data, 'vault-audit-100m.log');

interface Run {
  name: string;
  ms: number;
  /** CPU time (user + system, all threads). */
  cpuMs?: number | undefined;
  maxRssKb?: number | undefined;
  note?: string;
}

function exec(
  cmd: string,
  args: string[],
  opts: { stdout?: 'pipe' | 'ignore' } = {},
): Promise<{ code: number; out: string; err: string; ms: number }> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const p = spawn(cmd, args, { stdio: ['ignore', opts.stdout ?? 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    p.stdout?.on('data', (d: Buffer) => (out += d.toString()));
    p.stderr?.on('data', (d: Buffer) => (err += d.toString()));
    p.on('error', reject);
    p.on('close', (code) => resolve({ code: code ?? 1, out, err, ms: performance.now() - t0 }));
  });
}

/** Run a command under /usr/bin/time -v (when present) for its peak RSS. */
async function timed(
  cmd: string,
  args: string[],
): Promise<{ ms: number; cpuMs: number | undefined; maxRssKb: number | undefined; code: number; err: string }> {
  const hasTime = existsSync('/usr/bin/time');
  const r = hasTime
    ? await exec('/usr/bin/time', ['-v', cmd, ...args], { stdout: 'ignore' })
    : await exec(cmd, args, { stdout: 'ignore' });
  const m = /Maximum resident set size \(kbytes\): (\d+)/.exec(r.err);
  const u = /User time \(seconds\): ([\d.]+)/.exec(r.err);
  const sy = /System time \(seconds\): ([\d.]+)/.exec(r.err);
  return {
    ms: r.ms,
    cpuMs: u && sy ? (Number(u[1]) + Number(sy[1])) * 1000 : undefined,
    maxRssKb: m ? Number(m[1]) : undefined,
    code: r.code,
    err: r.err,
  };
}

async function node(script: string, args: string[]): Promise<Record<string, unknown>> {
  const tsx = script.endsWith('.ts') ? ['--import', 'tsx', '--conditions=@svm/source'] : [];
  const r = await exec(process.execPath, [...tsx, join(here, script), ...args]);
  if (r.code !== 0) throw new Error(`${script} failed: ${r.err}`);
  return JSON.parse(r.out) as Record<string, unknown>;
}

const mb = (bytes: number) => bytes / 1024 ** 2;
const fmtMs = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

async function main(): Promise<void> {
  console.log(
    `svm audit bench — node ${process.version}, ${availableParallelism()} cores (${cpus()[0]?.model ?? 'unknown cpu'})`,
  );
  const t = performance.now();
  const gen = await ensureVaultLog(big, MIN_BYTES);
  const bytes = statSync(big).size;
  console.log(
    `${gen.generated ? 'generated' : 'reusing'} ${big} (${mb(bytes).toFixed(0)} MiB)${gen.generated ? ` in ${fmtMs(performance.now() - t)}` : ''}`,
  );
  // Warm the page cache so every contender reads from memory.
  await exec('cat', [big], { stdout: 'ignore' });

  const workers = Math.max(2, availableParallelism());
  const contenders: Array<{ name: string; script: string; args: string[] }> = [
    { name: 'plain Node loop, JSON.parse every line (baseline)', script: 'json-parse-loop.mjs', args: [big] },
    { name: 'svm audit: full analysis, 1 thread', script: 'svm-analyze.mjs', args: [big, '0'] },
    { name: 'svm audit: full analysis, 1 parse worker + main thread', script: 'svm-analyze.mjs', args: [big, '1'] },
    {
      name: `svm audit: full analysis, ${workers} parse workers`,
      script: 'svm-analyze.mjs',
      args: [big, String(workers)],
    },
  ];
  // Round after round, every contender once per round (so a slow spell on the machine hits them all).
  const samples: Array<Array<Record<string, unknown>>> = contenders.map(() => []);
  for (let round = 0; round < RUNS; round++)
    for (const [i, c] of contenders.entries()) samples[i]?.push(await node(c.script, c.args));
  const summary = (i: number): { run: Run; last: Record<string, unknown> } => {
    const all = [...(samples[i] ?? [])].sort((a, b) => (a['ms'] as number) - (b['ms'] as number));
    const median = all[(all.length - 1) >> 1] as Record<string, unknown>;
    return {
      run: {
        name: contenders[i]?.name as string,
        ms: median['ms'] as number,
        cpuMs: median['cpuMs'] as number,
        maxRssKb: Math.max(...all.map((r) => r['maxRssKb'] as number)),
        ...(RUNS > 1
          ? { note: `median of ${RUNS}: ${all.map((r) => ((r['ms'] as number) / 1000).toFixed(2)).join(' / ')} s` }
          : {}),
      },
      last: median,
    };
  };
  const baseline = summary(0);
  const runs: Run[] = [baseline.run];
  const lines = baseline.last['lines'] as number;

  const jq = await timed('jq', ['-c', 'select(.type=="response") | .request.path', big]);
  if (jq.code === 0)
    runs.push({
      name: 'jq one-field filter (select(.type=="response") | .request.path)',
      ms: jq.ms,
      cpuMs: jq.cpuMs,
      maxRssKb: jq.maxRssKb,
      note: 'one run',
    });
  else
    runs.push({
      name: 'jq one-field filter',
      ms: Number.NaN,
      note: `skipped: jq failed or missing (${jq.err.trim().split('\n')[0] ?? ''})`,
    });
  for (let i = 1; i < contenders.length; i++) runs.push(summary(i).run);
  const pooled = summary(contenders.length - 1).last;

  const base = runs[0]?.ms as number;
  console.log(
    `\n${lines.toLocaleString('en-US')} lines, ${mb(bytes).toFixed(0)} MiB; svm found ${String(pooled['findings'])} findings in ${String(pooled['events'])} events (${JSON.stringify(pooled['byRule'])})\n`,
  );
  const rows = runs.map((r) => [
    r.name,
    Number.isNaN(r.ms) ? '–' : fmtMs(r.ms),
    Number.isNaN(r.ms) ? '–' : `${(mb(bytes) / (r.ms / 1000)).toFixed(0)} MiB/s`,
    Number.isNaN(r.ms) ? '–' : `${Math.round(lines / (r.ms / 1000)).toLocaleString('en-US')}`,
    Number.isNaN(r.ms) ? '–' : `${(base / r.ms).toFixed(2)}×`,
    r.cpuMs ? fmtMs(r.cpuMs) : '–',
    r.maxRssKb ? `${(r.maxRssKb / 1024).toFixed(0)} MiB` : '–',
    r.note ?? '',
  ]);
  printTable(
    ['contender', 'wall time', 'throughput', 'lines/s', 'speed vs baseline', 'CPU time', 'peak RSS', ''],
    rows,
  );
  const load = (await import('node:os')).loadavg();
  console.log(
    `\nload average during the run: ${load.map((l) => l.toFixed(2)).join(' ')} on ${availableParallelism()} cores (other work on the machine slows every contender)`,
  );

  // The original script, on a smaller file (it reads everything into memory).
  const originals = process.env['SVM_ORIGINAL_SCRIPTS'];
  const results: Record<string, unknown> = { bytes, lines, runs, svm: pooled };
  if (originals && existsSync(join(originals, 'audit_log_analyzer.py'))) {
    await headFile(big, small, 100 * 1024 ** 2);
    const sbytes = statSync(small).size;
    const orig = await timed('python3', [join(originals, 'audit_log_analyzer.py'), '--log-file', small, '--json']);
    const svmSmall = await node('svm-analyze.mjs', [small, String(workers)]);
    console.log(`\noriginal script vs svm on ${mb(sbytes).toFixed(0)} MiB:`);
    printTable(
      ['contender', 'time', 'peak RSS', 'findings'],
      [
        [
          'original audit_log_analyzer.py',
          fmtMs(orig.ms),
          orig.maxRssKb ? `${(orig.maxRssKb / 1024).toFixed(0)} MiB` : '–',
          orig.code === 0 ? '(see its JSON)' : `exit ${orig.code}`,
        ],
        [
          'svm audit analyze',
          fmtMs(svmSmall['ms'] as number),
          `${((svmSmall['maxRssKb'] as number) / 1024).toFixed(0)} MiB`,
          String(svmSmall['findings']),
        ],
      ],
    );
    results['original'] = { bytes: sbytes, ms: orig.ms, maxRssKb: orig.maxRssKb, svm: svmSmall };
  } else {
    console.log(
      '\noriginal script: skipped (set SVM_ORIGINAL_SCRIPTS to the folder holding audit_log_analyzer.py; it is not part of this repository)',
    );
  }
  writeFileSync(join(data, 'results.json'), `${JSON.stringify(results, null, 2)}\n`);
}

function printTable(header: string[], rows: string[][]): void {
  const all = [header, ...rows];
  const w = header.map((_, i) => Math.max(...all.map((r) => (r[i] ?? '').length)));
  for (const r of all)
    console.log(
      r
        .map((c, i) => c.padEnd(w[i] ?? 0))
        .join('  ')
        .trimEnd(),
    );
}

await main();

// One full analysis in its own process (so its peak RSS is its own), from the built package as users run it.
import { readFileSync } from 'node:fs';
import { analyzeFiles } from '../dist/index.js';

// Peak RSS of this process: VmHWM of its own address space. (process.resourceUsage().maxRSS is not: Linux
// carries the parent's high-water mark across fork+exec, so every child would report at least the bench runner's.)
function peakRssKb() {
  try {
    const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'));
    if (m) return Number(m[1]);
  } catch {}
  return process.resourceUsage().maxRSS;
}

const [file, workers] = process.argv.slice(2);
const t0 = performance.now();
const { result } = await analyzeFiles([file], { workers: Number(workers) });
const ms = performance.now() - t0;
const byRule = {};
for (const f of result.findings) byRule[f.rule] = (byRule[f.rule] ?? 0) + 1;
const cpu = process.cpuUsage();
process.stdout.write(
  JSON.stringify({
    ms,
    cpuMs: (cpu.user + cpu.system) / 1000,
    lines: result.lines,
    events: result.events,
    findings: result.findings.length,
    byRule,
    malformed: result.malformed,
    maxRssKb: peakRssKb(),
  }),
);

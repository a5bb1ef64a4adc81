// One full analysis in its own process (so its peak RSS is its own), from the built package as users run it.
import { analyzeFiles } from '../dist/index.js';
import { peakRssKb } from './peak-rss.mjs';

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

// Peak RSS of this process: VmHWM of its own address space. (process.resourceUsage().maxRSS is not: Linux
// carries the parent's high-water mark across fork+exec, so every child would report at least the bench runner's.)
import { readFileSync } from 'node:fs';

export function peakRssKb() {
  try {
    const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'));
    if (m) return Number(m[1]);
  } catch {}
  return process.resourceUsage().maxRSS;
}

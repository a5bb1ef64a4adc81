import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

// The machine's zone must never move a date: run the same plan in processes with different TZ settings.
const script = `
import { planRotations, renderPlan } from '@svm/rotation';
const plan = planRotations([
  { name: 'db', type: 'database', last_rotated: '2026-02-28T23:30:00-08:00' },
  { name: 'tok', type: 'service-token', last_rotated: '2026-03-01' },
  { name: 'cert', type: 'tls-certificate', expires_at: '2026-05-01T00:30:00+14:00' },
], { now: '2026-03-01', timeZone: 'UTC' });
process.stdout.write(JSON.stringify(plan.items.map((i) => [i.id, i.lastRotated, i.due, i.status, i.scheduled])) + renderPlan(plan, 'ics'));
`;

function runWithTz(tz: string): string {
  const cwd = fileURLToPath(new URL('..', import.meta.url));
  return execFileSync(
    process.execPath,
    ['--conditions=@svm/source', '--import', 'tsx', '--input-type=module', '-e', script],
    {
      cwd,
      env: { ...process.env, TZ: tz },
      encoding: 'utf8',
    },
  );
}

describe('machine time zone', () => {
  it('gives identical plans and calendars under UTC, Pacific/Kiritimati and America/Los_Angeles', () => {
    const utc = runWithTz('UTC');
    expect(utc).toContain('["db","2026-03-01","2026-03-31","ok","2026-03-31"]');
    expect(utc).toContain('["cert",null,"2026-03-01","due-soon","2026-03-01"]');
    expect(runWithTz('Pacific/Kiritimati')).toBe(utc);
    expect(runWithTz('America/Los_Angeles')).toBe(utc);
  });
});

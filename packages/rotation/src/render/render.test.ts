import { describe, expect, it } from 'vitest';
import { parse } from 'csv-parse/sync';
import { planRotations } from '../plan/plan.js';
import { renderPlan } from './render-plan.js';

const plan = planRotations(
  [
    {
      id: 'prod-db',
      type: 'database',
      last_rotated: '2026-01-15',
      owner: 'platform',
      criticality: 'critical',
      compliance: ['pci'],
    },
    { id: 'api|key', type: 'api-key', last_rotated: '2026-02-01', owner: 'payments, EU' },
    {
      id: 'cert',
      type: 'tls-certificate',
      issued_at: '2025-03-01',
      expires_at: '2026-04-10',
      owner: 'platform',
      compliance: ['cabf'],
    },
  ],
  { now: '2026-03-01' },
);

describe('renderers', () => {
  it('table', () => {
    expect(renderPlan(plan, 'table')).toMatchSnapshot();
  });

  it('markdown escapes pipes', () => {
    const md = renderPlan(plan, 'md');
    expect(md).toContain('`api\\|key`');
    expect(md).toMatchSnapshot();
  });

  it('csv quotes commas and has one row per item', () => {
    const csv = renderPlan(plan, 'csv');
    expect(csv.trimEnd().split('\n')).toHaveLength(4);
    expect(csv).toContain('"payments, EU"');
    expect(csv).toMatchSnapshot();
  });

  it('ics has one all-day event per item, with CRLF lines', () => {
    const ics = renderPlan(plan, 'ics');
    expect(ics.startsWith('BEGIN:VCALENDAR\r\n')).toBe(true);
    expect(ics.match(/BEGIN:VEVENT/g)).toHaveLength(3);
    expect(ics).toContain('DTSTART;VALUE=DATE:20260301');
    expect(ics).toContain('UID:prod-db-2026-02-14@svm-rotation');
    expect(ics).toMatchSnapshot();
  });

  it('json is the plan', () => {
    expect(JSON.parse(renderPlan(plan, 'json'))).toEqual(JSON.parse(JSON.stringify(plan)));
  });
});

describe('csv formula injection (OWASP)', () => {
  it('prefixes =, +, -, @, tab and CR cells with a quote and quotes them; numbers stay numbers', () => {
    const evil = planRotations(
      [
        {
          id: '=HYPERLINK("http://x","y")',
          type: 'api-key',
          last_rotated: '2026-01-01',
          owner: '+cmd|calc',
          environment: '-2+3',
          store: '@SUM(A1)',
        },
        { id: 'tab', type: 'api-key', last_rotated: '2026-01-01', owner: '\tx', environment: '\rr', store: 'vault' },
        { id: 'old', type: 'api-key', last_rotated: '2025-01-01', owner: 'a=b' },
      ],
      { now: '2026-03-01' },
    );
    const rows = parse(renderPlan(evil, 'csv'), { columns: true }) as Array<Record<string, string>>;
    const byId = Object.fromEntries(rows.map((r) => [r['id'] as string, r]));
    expect(byId['\'=HYPERLINK("http://x","y")']).toMatchObject({
      owner: "'+cmd|calc",
      environment: "'-2+3",
      store: "'@SUM(A1)",
    });
    expect(byId['tab']).toMatchObject({ owner: "'\tx", environment: "'\rr", store: 'vault' });
    expect(byId['old']).toMatchObject({ owner: 'a=b', days_until_due: '-334' });
    const text = renderPlan(evil, 'csv');
    expect(text).toContain(`"'=HYPERLINK(""http://x"",""y"")"`);
    expect(text).toContain(',-334,');
    expect(text).not.toMatch(/(^|,)[=+@]/m);
  });
});

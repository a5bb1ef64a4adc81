import { describe, expect, it } from 'vitest';
import { planIncident } from '../incident/plan.js';
import type { DriftReport } from '../reports/drift.js';
import type { OrphanReport } from '../reports/orphans.js';
import { renderIncidentMarkdown, renderIncidentText } from './incident.js';
import { renderDriftReportText, renderOrphanReportText } from './reports.js';

describe('report text renderers', () => {
  it('renders the orphan report as a summary line and a table', () => {
    const r = {
      days: 90,
      coverageDays: 120,
      summary: { orphaned: 1, active: 1, unknown: 0 },
      items: [
        { secret: 'app/db', status: 'orphaned', lastAccess: null, daysSinceAccess: null },
        { secret: 'app/api-key', status: 'active', lastAccess: '2026-03-01', daysSinceAccess: 3 },
      ],
    } as unknown as OrphanReport;
    expect(renderOrphanReportText(r)).toBe(
      [
        'orphaned secrets (no access for over 90 days; logs cover 120 days): 1 orphaned, 1 active, 0 unknown',
        '',
        'SECRET       STATUS    LAST ACCESS  DAYS SINCE',
        'app/db       orphaned  -            -',
        'app/api-key  active    2026-03-01   3',
      ].join('\n'),
    );
  });
  it('renders the effective diff of the drift report, or the note saying why there is none', () => {
    const base = { type: 'drift' as const, changes: [], byPolicy: [] };
    const diff = {
      ...base,
      effectiveDiff: [{ path: 'secret/data/a', added: ['read'], removed: ['delete'] }],
      effectiveDiffNote: null,
    } as DriftReport;
    expect(renderDriftReportText(diff)).toContain('  secret/data/a: +read -delete');
    expect(
      renderDriftReportText({ ...base, effectiveDiff: null, effectiveDiffNote: 'no policies given' } as DriftReport),
    ).toBe('policy drift: 0 policy change(s) seen in the logs\n\nno policies given');
  });
});

describe('incident renderers', () => {
  const plan = planIncident({
    signals: ['public-repo'],
    credential: 'aws-access-key',
    secret: 'ci-deployer',
    detectedAt: new Date('2026-03-01T10:00:00Z'),
  });
  it('renders a checklist per phase, coloured only through the given style', () => {
    const text = renderIncidentText(plan);
    expect(text.split('\n')[0]).toBe(`${plan.severity} — ${plan.reason}`);
    expect(text).toContain('\nCONTAIN\n  [ ] ');
    expect(renderIncidentText(plan, { bold: (s) => `*${s}*` }).split('\n')[0]).toBe(
      `*${plan.severity}* — ${plan.reason}`,
    );
  });
  it('renders the Markdown incident document with its status table', () => {
    const md = renderIncidentMarkdown(plan);
    expect(md.startsWith(`# Secret leak — ${plan.severity}\n`)).toBe(true);
    expect(md).toContain('| Secret | ci-deployer |');
    expect(md).toContain('## Contain');
  });
});

import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { analyzeFiles } from '../stream/analyze-files.js';
import { complianceReport, loadReportInventory, renderReportAs, reportSettings } from './compliance.js';

const example = (name: string) =>
  fileURLToPath(new URL(`../../../../examples/quickstart/data/${name}`, import.meta.url));

describe('reportSettings', () => {
  it('turns days and the report date into settings', () => {
    const { days, clock } = reportSettings({ type: 'orphans', inventory: 'i.yaml', days: '30', now: '2026-03-01' });
    expect(days).toBe(30);
    expect(clock.now().toISOString()).toBe('2026-03-01T00:00:00.000Z');
    expect(reportSettings({ type: 'access' }).days).toBe(90);
  });

  it('refuses what does not fit the report type, naming the flag', () => {
    expect(() => reportSettings({ type: 'rotation' })).toThrow('--type rotation needs --inventory <file>');
    expect(() => reportSettings({ type: 'access', policies: ['a', 'b'] })).toThrow('--policies takes two folders');
    expect(() => reportSettings({ type: 'access', days: '0' })).toThrow(
      "--days: expected a whole number of at least 1, got '0'",
    );
    expect(() => reportSettings({ type: 'access', now: 'soon' })).toThrow(
      '--now: expected YYYY-MM-DD or an ISO instant',
    );
    expect(() => reportSettings({ type: 'access', profile: ['all'] })).toThrow('--profile is only for --type rotation');
  });
});

describe('complianceReport', () => {
  it('builds each report type with its text, rendered as JSON, Markdown or text', async () => {
    const { result } = await analyzeFiles([example('vault-audit.log')], { workers: 0 });
    const { readFileSync } = await import('node:fs');
    const text = readFileSync(example('inventory.yaml'), 'utf8');
    const inventory = loadReportInventory(text, 'inventory.yaml', 'rotation');
    expect(inventory.items.length).toBeGreaterThan(0);
    expect(loadReportInventory(text, 'inventory.yaml', 'orphans').lineOf(0)).toBeUndefined();
    const { clock } = reportSettings({ type: 'rotation', inventory: 'inventory.yaml', now: '2026-03-01' });
    for (const type of ['access', 'rotation', 'orphans', 'drift'] as const) {
      const { report, text: rendered } = complianceReport(type, result, { inventory, clock });
      expect(rendered.length).toBeGreaterThan(0);
      expect(JSON.parse(renderReportAs(report, rendered, 'json'))).toEqual(JSON.parse(JSON.stringify(report)));
      expect(renderReportAs(report, rendered, 'md')).toBe(`\`\`\`\n${rendered}\n\`\`\`\n`);
      expect(renderReportAs(report, rendered, 'text')).toBe(`${rendered}\n`);
    }
  });
});

import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { analysisExitCode, analyzeSettings, renderAnalysisAs, severityPaint } from './settings.js';
import { analyzeFiles } from './stream/analyze-files.js';
import { renderText } from './render/text.js';

describe('analyzeSettings', () => {
  it('turns business hours, workers and the time zone into analyzeFiles options', () => {
    expect(analyzeSettings({ businessHours: '8-18', workers: '0', tz: 'Europe/Berlin' }, 5)).toEqual({
      workers: 0,
      offHours: { timeZone: 'Europe/Berlin', startHour: 8, endHour: 18 },
      group: true,
      now: 5,
    });
    expect(analyzeSettings({}, 5)).toEqual({ offHours: {}, group: true, now: 5 });
    expect(analyzeSettings({ group: false }, 5)).toEqual({ offHours: {}, group: false, now: 5 });
  });

  it('refuses bad values, naming the flag', () => {
    expect(() => analyzeSettings({ businessHours: 'nine' })).toThrow(
      "--business-hours: expected FROM-TO hours such as 8-18, got 'nine'",
    );
    expect(() => analyzeSettings({ workers: '65' })).toThrow(
      "--workers: expected a whole number from 0 to 64, got '65'",
    );
    expect(() => analyzeSettings({ tz: 'Mars/Olympus' })).toThrow("--tz: unknown time zone 'Mars/Olympus'");
  });
});

describe('renderAnalysisAs', () => {
  it('renders each format; severities painted only in text with a style', async () => {
    const log = fileURLToPath(new URL('../../../examples/quickstart/data/vault-audit.log', import.meta.url));
    const { result } = await analyzeFiles([log], { workers: 0 });
    expect(JSON.parse(renderAnalysisAs(result, 'json')).findings.length).toBe(result.findings.length);
    expect(renderAnalysisAs(result, 'md').startsWith('#')).toBe(true);
    expect(renderAnalysisAs(result, 'html')).toContain('<html');
    expect(renderAnalysisAs(result, 'text')).toBe(renderText(result));
    const paint = severityPaint({
      red: (s) => `<r>${s}</r>`,
      bold: (s) => `<b>${s}</b>`,
      yellow: (s) => `<y>${s}</y>`,
    });
    expect(['critical', 'high', 'medium', 'low'].map(paint)).toEqual([
      '<b><r>critical</r></b>',
      '<r>high</r>',
      '<y>medium</y>',
      'low',
    ]);
  });
});

describe('analysisExitCode', () => {
  it('2 for a damaged input, 1 at --fail-on, else 0', async () => {
    const log = fileURLToPath(new URL('../../../examples/quickstart/data/vault-audit.log', import.meta.url));
    const { result } = await analyzeFiles([log], { workers: 0 });
    expect(result.findings.some((f) => f.severity === 'critical' || f.severity === 'high')).toBe(true);
    expect(analysisExitCode(result, 'high')).toBe(1);
    expect(analysisExitCode(result, 'none')).toBe(0);
    expect(analysisExitCode({ ...result, inputErrors: [{ file: 'x.gz', reason: 'truncated' }] }, 'none')).toBe(2);
    expect(analysisExitCode({ ...result, findings: [] }, 'info')).toBe(0);
  });
});

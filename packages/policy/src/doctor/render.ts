import { type DoctorCheck, type DoctorReport, SEVERITIES, type TextStyle, fullStyle } from '@svm/core';
import type { Log } from 'sarif';
import { LINT_RULES } from '../lint/rules.js';
import { toSarif } from '../lint/sarif.js';
import { DOCTOR_RULES } from './rules.js';

const STATUS_LABEL: Record<DoctorCheck['status'], string> = {
  passed: 'passed',
  failed: 'FAILED',
  'not-checked': 'NOT CHECKED',
  'not-applicable': 'n/a',
};

/**
 * The doctor report as text: the server line, one line per check (status, id, title; then what could not be
 * read, or what was seen), the findings with their fix, and the summary. Deterministic for a given report;
 * `style` paints severities and statuses (the CLI passes its colours on a terminal).
 *
 * @example
 * ```ts
 * process.stdout.write(renderDoctorText(await vaultDoctor(client)));
 * ```
 */
export function renderDoctorText(report: DoctorReport, style: TextStyle = {}): string {
  const c = fullStyle(style);
  const painters: Record<string, (s: string) => string> = {
    critical: (s) => c.bold(c.red(s)),
    high: c.red,
    medium: c.yellow,
    low: c.cyan,
    info: c.dim,
    failed: c.red,
    'not-checked': c.yellow,
    passed: c.green,
    'not-applicable': c.dim,
  };
  const paint = (kind: string, text: string) => (painters[kind] ?? String)(text);
  const lines: string[] = [];
  const s = report.server;
  const facts = [
    s.flavor ? `${s.flavor === 'openbao' ? 'OpenBao' : 'Vault'}${s.version ? ` ${s.version}` : ''}` : s.version,
    s.sealType ? `${s.sealType} seal` : undefined,
    s.storageType ? `${s.storageType} storage` : undefined,
  ].filter(Boolean);
  lines.push(`vault doctor: ${report.address ?? 'server'}${facts.length > 0 ? ` (${facts.join(', ')})` : ''}`, '');
  const width = Math.max(...report.checks.map((c) => c.id.length));
  for (const c of report.checks) {
    const label = STATUS_LABEL[c.status].padEnd(11);
    const count = c.findings > 0 ? ` — ${c.findings} finding${c.findings === 1 ? '' : 's'}` : '';
    lines.push(`  ${paint(c.status, label)} ${c.id.padEnd(width)}  ${c.title}${count}`);
    for (const u of c.unchecked) lines.push(`  ${' '.repeat(11)} ${' '.repeat(width)}  not read: ${u}`);
    if (c.status !== 'failed')
      for (const n of c.notes ?? []) lines.push(`  ${' '.repeat(11)} ${' '.repeat(width)}  ${n}`);
  }
  if (report.findings.length > 0) {
    lines.push('', 'Findings:');
    for (const f of report.findings) {
      const where = [f.file, f.line].filter((x) => x !== undefined).join(':');
      lines.push(
        `  ${paint(f.severity, f.severity.toUpperCase())} ${f.rule}${where ? ` (${where})` : ''}: ${f.message}`,
      );
      if (f.fix) lines.push(`    fix: ${f.fix}`);
    }
  }
  const counts = [...SEVERITIES]
    .reverse()
    .map((sev) => [sev, report.summary.findings[sev] ?? 0] as const)
    .filter(([, n]) => n > 0)
    .map(([sev, n]) => `${n} ${sev}`);
  const sum = report.summary;
  lines.push(
    '',
    `${sum.passed} passed, ${sum.failed} failed, ${sum.notChecked} not checked, ${sum.notApplicable} not applicable; ${
      counts.length > 0 ? `findings: ${counts.join(', ')}` : 'no findings'
    }`,
  );
  if (sum.notChecked > 0)
    lines.push('Checks marked NOT CHECKED were not passed: give the token the read access listed in the README.');
  return `${lines.join('\n')}\n`;
}

/**
 * The doctor report as a SARIF 2.1.0 log: the doctor's and the linter's rules, one result per finding
 * (location: the API path), and one `toolExecutionNotifications` entry per check that was not checked.
 *
 * @example
 * ```ts
 * const log = doctorSarif(report, { version: '0.1.0' });
 * log.runs[0]?.invocations?.[0]?.toolExecutionNotifications?.length; // number of not-checked checks
 * ```
 */
export function doctorSarif(report: DoctorReport, options: { version: string; helpUri?: string | undefined }): Log {
  const log = toSarif(report.findings, {
    version: options.version,
    helpUri: options.helpUri,
    rules: [...DOCTOR_RULES, ...LINT_RULES],
    toolName: 'svm vault doctor',
  });
  const run = log.runs[0];
  if (run) {
    run.invocations = [
      {
        executionSuccessful: true,
        toolExecutionNotifications: report.checks
          .filter((c) => c.status === 'not-checked')
          .map((c) => ({
            level: 'warning' as const,
            message: { text: `${c.id} not checked: ${c.unchecked.join('; ')}` },
            descriptor: { id: c.id },
          })),
      },
    ];
  }
  return log;
}

import { renderTable } from '@svm/core';
import type { AccessReport } from '../reports/access.js';
import type { DriftReport } from '../reports/drift.js';
import type { OrphanReport } from '../reports/orphans.js';
import type { RotationComplianceReport } from '../reports/rotation.js';

/**
 * The access report as text: a summary line and one row per identity.
 *
 * @example
 * ```ts
 * console.log(renderAccessReportText(accessReport(result)));
 * ```
 */
export function renderAccessReportText(r: AccessReport): string {
  return [
    `access inventory, ${r.period.from ?? '–'} – ${r.period.to ?? '–'}: ${r.identities.length} identities`,
    '',
    renderTable(
      ['IDENTITY', 'KIND', 'METHOD', 'EVENTS', 'READS', 'WRITES', 'DENIED', 'SECRETS', 'SOURCE IPS', 'LAST SEEN'],
      r.identities.map((i) => [
        i.identity,
        i.kind,
        i.authMethod ?? '-',
        String(i.events),
        String(i.reads),
        String(i.writes),
        String(i.denied),
        String(Object.keys(i.secrets).length),
        i.sourceIps.slice(0, 3).join(',') + (i.sourceIps.length > 3 ? ',…' : ''),
        i.lastSeen,
      ]),
    ),
  ].join('\n');
}

/**
 * The rotation-compliance report as text: the counts and one row per secret.
 *
 * @example
 * ```ts
 * console.log(renderRotationReportText(rotationReport(result, items, systemClock)));
 * ```
 */
export function renderRotationReportText(r: RotationComplianceReport): string {
  return [
    `rotation compliance on ${r.day}: ${r.summary.compliant} compliant (${r.summary.dueSoon} due soon), ${r.summary.overdue} overdue, ${r.summary.neverRotated} never rotated, ${r.summary.violations} violation(s)`,
    '',
    renderTable(
      ['SECRET', 'STATUS', 'LAST ROTATED', 'EVIDENCE', 'INTERVAL', 'DUE', 'OVERDUE', 'VIOLATIONS'],
      r.items.map((i) => [
        i.secret,
        i.status,
        i.lastRotated ?? '-',
        i.evidence,
        i.intervalDays === null ? 'expiry' : `${i.intervalDays}d`,
        i.due,
        i.daysOverdue ? `${i.daysOverdue}d` : '-',
        i.violations.length ? i.violations.map((v) => `${v.profile} ${v.requirement}`).join('; ') : '-',
      ]),
    ),
  ].join('\n');
}

/**
 * The orphaned-secrets report as text.
 *
 * @example
 * ```ts
 * console.log(renderOrphanReportText(orphanReport(result, items, systemClock, 90)));
 * ```
 */
export function renderOrphanReportText(r: OrphanReport): string {
  return [
    `orphaned secrets (no access for over ${r.days} days; logs cover ${r.coverageDays} days): ${r.summary.orphaned} orphaned, ${r.summary.active} active, ${r.summary.unknown} unknown`,
    '',
    renderTable(
      ['SECRET', 'STATUS', 'LAST ACCESS', 'DAYS SINCE'],
      r.items.map((i) => [
        i.secret,
        i.status,
        i.lastAccess ?? '-',
        i.daysSinceAccess === null ? '-' : String(i.daysSinceAccess),
      ]),
    ),
  ].join('\n');
}

/**
 * The policy-drift report as text: changes per policy, then the effective-permission diff (or why there is none).
 *
 * @example
 * ```ts
 * console.log(renderDriftReportText(driftReport(result)));
 * ```
 */
export function renderDriftReportText(r: DriftReport): string {
  const lines = [`policy drift: ${r.changes.length} policy change(s) seen in the logs`];
  if (r.byPolicy.length) {
    lines.push(
      '',
      renderTable(
        ['POLICY', 'CHANGES', 'BY', 'LAST'],
        r.byPolicy.map((p) => [p.policy, String(p.changes), p.identities.join(','), p.last]),
      ),
    );
  }
  if (Array.isArray(r.effectiveDiff)) {
    lines.push('', `effective-permission changes on ${r.effectiveDiff.length} path(s) seen in the logs:`);
    for (const d of r.effectiveDiff as Array<{ path: string; added: string[]; removed: string[] }>) {
      const added = d.added.length ? `+${d.added.join(',+')}` : '';
      const removed = d.removed.length ? `-${d.removed.join(',-')}` : '';
      lines.push(`  ${d.path}: ${added}${added && removed ? ' ' : ''}${removed}`);
    }
  } else if (r.effectiveDiffNote) lines.push('', r.effectiveDiffNote);
  return lines.join('\n');
}

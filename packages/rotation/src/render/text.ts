import type { RotationPlanItem, RotationStatus } from '@svm/core';
import type { RotationPlanDocument } from '../plan/plan.js';

/** Shared wording for the text renderers. */
export const STATUS_LABEL: Readonly<Record<RotationStatus, string>> = {
  overdue: 'overdue',
  'due-soon': 'due soon',
  ok: 'ok',
  'never-rotated': 'never rotated',
};

/** `-3d`, `0d`, `12d`. */
export function formatDaysLeft(days: number): string {
  return `${days}d`;
}

/** One-line headline: `Rotation plan for 2026-03-01 (UTC): 24 secrets: 3 overdue, 5 due soon, …`. */
export function headline(plan: RotationPlanDocument): string {
  const s = plan.summary;
  const parts = [`${s.overdue} overdue`, `${s.dueSoon} due soon`, `${s.neverRotated} never rotated`, `${s.ok} ok`];
  return `Rotation plan for ${plan.now} (${plan.settings.timeZone}): ${s.total} secret${s.total === 1 ? '' : 's'}: ${parts.join(', ')}`;
}

/** Short notes for an item: violation count and scheduling issue. */
export function itemNotes(item: RotationPlanItem): string {
  const notes: string[] = [];
  const v = item.violations?.length ?? 0;
  if (v > 0) notes.push(`${v} violation${v === 1 ? '' : 's'}`);
  if (item.scheduleIssue) notes.push(`late: ${item.scheduleIssue.code}`);
  return notes.join('; ');
}

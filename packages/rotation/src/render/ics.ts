import { parseIsoDay } from '../internal/days.js';
import { icalLib } from '../internal/lazy.js';
import type { RotationPlanDocument } from '../plan/plan.js';
import { STATUS_LABEL } from './text.js';

/** Options for {@link renderPlanIcs}. */
export interface IcsOptions {
  /** Calendar name shown by clients (default `svm rotation plan`). */
  name?: string | undefined;
  /** Only items whose owner or team is this (for a per-owner subscription). */
  owner?: string | undefined;
}

/**
 * The plan as an iCalendar file (RFC 5545, via ical-generator): one all-day event per rotation on its
 * proposed day (its due day when none was found), so owners can subscribe to their rotations. Events are
 * date-only and carry no time zone, so no client or machine zone can move them to another day. UIDs are
 * stable per item and due date, so re-publishing updates events instead of duplicating them.
 *
 * @example
 * ```ts
 * renderPlanIcs(plan, { owner: 'platform-team' }).startsWith('BEGIN:VCALENDAR'); // true
 * ```
 */
export function renderPlanIcs(plan: RotationPlanDocument, options: IcsOptions = {}): string {
  const { ICalCalendar, ICalEventTransparency } = icalLib();
  const calendar = new ICalCalendar({
    name: options.name ?? (options.owner ? `svm rotations: ${options.owner}` : 'svm rotation plan'),
    prodId: { company: 'svm', product: 'rotation', language: 'EN' },
  });
  const stamp = utcMidnight(plan.now);
  for (const item of plan.items) {
    if (options.owner !== undefined && item.owner !== options.owner && item.team !== options.owner) continue;
    const day = item.scheduled ?? item.due;
    const start = utcMidnight(day);
    const late = item.scheduleIssue ? ` (late: ${item.scheduleIssue.code})` : '';
    const description = [
      `Rotate ${item.id} (${item.type}) by ${item.method}.`,
      `Status on ${plan.now}: ${STATUS_LABEL[item.status]}; due ${item.due}${late}.`,
      `Owner: ${item.owner ?? 'unassigned'}. Downtime risk: ${item.downtimeRisk ?? 'unknown'}.`,
      ...(plan.methods[item.method]?.steps ?? []).map((s, i) => `${i + 1}. ${s}`),
      ...(item.violations ?? []).map((v) => `Compliance: ${v.profile} ${v.requirement}: ${v.message}`),
      ...(item.scheduleIssue ? [`Scheduling: ${item.scheduleIssue.message}`] : []),
    ].join('\n');
    calendar.createEvent({
      id: `${slug(item.id)}-${item.due}@svm-rotation`,
      start,
      end: new Date(start.getTime() + 86_400_000),
      allDay: true,
      stamp,
      summary: `Rotate ${item.id} (${item.type})${item.status === 'overdue' ? ' [OVERDUE]' : ''}`,
      description,
      categories: [{ name: 'secret-rotation' }, { name: item.type }],
      transparency: ICalEventTransparency.TRANSPARENT,
    });
  }
  return calendar.toString();
}

function utcMidnight(date: string): Date {
  const day = parseIsoDay(date);
  if (day === undefined) throw new RangeError(`not a date: ${date}`);
  return new Date(day * 86_400_000);
}

function slug(id: string): string {
  return id.replace(/[^A-Za-z0-9._-]+/g, '-');
}

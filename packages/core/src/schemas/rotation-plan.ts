import { z } from 'zod';
import { IsoDate } from './common.js';

export const RotationStatus = z.enum(['overdue', 'due-soon', 'ok', 'never-rotated']);
export type RotationStatus = z.infer<typeof RotationStatus>;

/**
 * One planned rotation, as `svm rotation plan --json` prints it.
 *
 * @example
 * ```ts
 * RotationPlanItem.parse({ id: 'a', type: 'api-key', lastRotated: null, intervalDays: 90, due: '2026-03-01',
 *   daysUntilDue: 0, status: 'never-rotated', owner: null, method: 'overlap-window' });
 * ```
 */
export const RotationPlanItem = z
  .object({
    id: z.string(),
    type: z.string(),
    lastRotated: IsoDate.nullable(),
    intervalDays: z.number().int().nullable(),
    due: IsoDate,
    daysUntilDue: z.number().int(),
    status: RotationStatus,
    owner: z.string().nullable(),
    method: z.string(),
    scheduled: IsoDate.optional(),
  })
  .loose();
export type RotationPlanItem = z.infer<typeof RotationPlanItem>;

/**
 * The whole plan.
 *
 * @example
 * ```ts
 * RotationPlan.parse({ now: '2026-03-01', items: [], summary: {} });
 * ```
 */
export const RotationPlan = z
  .object({
    now: IsoDate,
    items: z.array(RotationPlanItem),
    summary: z.record(z.string(), z.unknown()),
  })
  .loose();
export type RotationPlan = z.infer<typeof RotationPlan>;

import { DaysInput, IsoDate, loadDocument } from '@svm/core';
import { z } from 'zod';
import { STRATEGIES, type StrategyId } from '../strategies/strategies.js';

const WEEKDAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;

/**
 * A day of the week, as three lower-case letters.
 *
 * @example
 * ```ts
 * Weekday.parse('tue');
 * ```
 */
export const Weekday = z.enum(WEEKDAYS);
export type Weekday = z.infer<typeof Weekday>;

const TeamList = z.array(z.string().min(1)).min(1).optional();

/**
 * A change freeze: no rotation is scheduled from `from` to `to` (both included) for the listed teams
 * (every team when `teams` is absent).
 *
 * @example
 * ```ts
 * Blackout.parse({ from: '2026-12-20', to: '2027-01-03', reason: 'year-end freeze' });
 * ```
 */
export const Blackout = z
  .object({ from: IsoDate, to: IsoDate, reason: z.string().optional(), teams: TeamList })
  .strict()
  .refine((b) => b.from <= b.to, { message: 'expected from <= to', path: ['to'] });
export type Blackout = z.infer<typeof Blackout>;

/**
 * A maintenance window. When any window applies to a team, its rotations are scheduled only on days inside
 * one of them: on the listed weekdays (`days`), between `from` and `to` when given.
 *
 * @example
 * ```ts
 * MaintenanceWindow.parse({ days: ['tue', 'thu'], teams: ['payments'] });
 * ```
 */
export const MaintenanceWindow = z
  .object({
    days: z.array(Weekday).min(1).optional(),
    from: IsoDate.optional(),
    to: IsoDate.optional(),
    teams: TeamList,
  })
  .strict();
export type MaintenanceWindow = z.infer<typeof MaintenanceWindow>;

/**
 * Overrides for one secret type (canonical name or any custom type).
 *
 * @example
 * ```ts
 * TypePolicy.parse({ interval: '45d', strategy: 'overlap-window' });
 * ```
 */
export const TypePolicy = z
  .object({
    interval: DaysInput.optional(),
    renew_before: DaysInput.optional(),
    strategy: z.enum(Object.keys(STRATEGIES) as [StrategyId, ...StrategyId[]]).optional(),
  })
  .strict();
export type TypePolicy = z.infer<typeof TypePolicy>;

/**
 * A rotation policy file (YAML or JSON). Every built-in default can be overridden here; CLI flags win over
 * the file.
 *
 * ```yaml
 * version: 1
 * defaults: { max_interval: 90d, within: 14d, renew_before: 30d, capacity: 5, timezone: Europe/Berlin }
 * types:
 *   database: { interval: 14d }
 *   vendor-webhook: { interval: 180d, strategy: overlap-window }
 * teams:
 *   payments: { capacity: 2 }
 * profiles: [pci-dss-v4]
 * blackouts:
 *   - { from: 2026-12-20, to: 2027-01-03, reason: year-end freeze }
 * maintenance:
 *   - { days: [tue, wed, thu], teams: [payments] }
 * ```
 *
 * @example
 * ```ts
 * RotationPolicy.parse({ version: 1, defaults: { capacity: 3 } });
 * ```
 */
export const RotationPolicy = z
  .object({
    version: z.literal(1).optional(),
    defaults: z
      .object({
        max_interval: DaysInput.optional(),
        within: DaysInput.optional(),
        renew_before: DaysInput.optional(),
        capacity: z.number().int().positive().optional(),
        timezone: z.string().min(1).optional(),
      })
      .strict()
      .optional(),
    types: z.record(z.string(), TypePolicy).optional(),
    teams: z.record(z.string(), z.object({ capacity: z.number().int().positive().optional() }).strict()).optional(),
    profiles: z.array(z.string().min(1)).optional(),
    blackouts: z.array(Blackout).optional(),
    maintenance: z.array(MaintenanceWindow).optional(),
  })
  .strict();
export type RotationPolicy = z.infer<typeof RotationPolicy>;

/**
 * Parse and validate a policy file's text. Errors are `INPUT_PARSE` / `INPUT_INVALID` naming file and line.
 *
 * @example
 * ```ts
 * const policy = loadRotationPolicy('defaults: { capacity: 3 }', 'rotation-policy.yaml');
 * ```
 */
export function loadRotationPolicy(text: string, file: string): RotationPolicy {
  return loadDocument(text, { file }, RotationPolicy);
}

import type { RotationPlanDocument } from '../plan/plan.js';

/**
 * The plan as one JSON document (two-space indent, trailing newline): the `--json` contract.
 *
 * @example
 * ```ts
 * JSON.parse(renderPlanJson(plan)).items.length === plan.items.length; // true
 * ```
 */
export function renderPlanJson(plan: RotationPlanDocument): string {
  return `${JSON.stringify(plan, null, 2)}\n`;
}

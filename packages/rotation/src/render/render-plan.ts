import type { RotationPlanDocument } from '../plan/plan.js';
import { renderPlanCsv } from './csv.js';
import { renderPlanIcs } from './ics.js';
import { renderPlanJson } from './json.js';
import { renderPlanMarkdown } from './markdown.js';
import { renderPlanTable, type TableStyle } from './table.js';

/** Output formats of a plan. */
export const PLAN_FORMATS = ['table', 'json', 'md', 'csv', 'ics'] as const;
/** One of {@link PLAN_FORMATS}. */
export type PlanFormat = (typeof PLAN_FORMATS)[number];

/** Options for {@link renderPlan}. */
export interface RenderPlanOptions {
  /** Table colours. */
  style?: TableStyle | undefined;
  /** Calendar: only this owner's or team's rotations. */
  owner?: string | undefined;
}

/**
 * Render a plan in one of {@link PLAN_FORMATS}.
 *
 * @example
 * ```ts
 * renderPlan(plan, 'md');
 * ```
 */
export function renderPlan(plan: RotationPlanDocument, format: PlanFormat, options: RenderPlanOptions = {}): string {
  switch (format) {
    case 'table':
      return renderPlanTable(plan, options.style);
    case 'json':
      return renderPlanJson(plan);
    case 'md':
      return renderPlanMarkdown(plan);
    case 'csv':
      return renderPlanCsv(plan);
    case 'ics':
      return renderPlanIcs(plan, { owner: options.owner });
  }
}

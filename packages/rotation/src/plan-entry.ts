// `@svm/rotation/plan`: planning and rendering a plan alone, for start-up paths that must stay light. Nothing here
// loads zod (core's schemas), the executor or the output libraries until an input or a format needs them:
// `svm rotation plan` on a 100,000-item JSON inventory starts in a fraction of the time the whole package takes.
// The same functions as the package's main entry (one implementation each).
export { planInventoryFile } from './plan/plan-file.js';
export type { PlanFlags, ReadUserFile } from './plan/plan-file.js';
export { planRotations, summarizePlanItems } from './plan/plan.js';
export type { PlanOptions, RotationPlanDocument, RotationPlanSettings, RotationPlanSummary } from './plan/plan.js';
export { planForOwner, planSettings, planTableStyle } from './plan/settings.js';
export type { PlanRequest } from './plan/settings.js';
export { PLAN_FORMATS, renderPlan } from './render/render-plan.js';
export type { PlanFormat, RenderPlanOptions } from './render/render-plan.js';
export { renderPlanTable } from './render/table.js';
export type { TableStyle } from './render/table.js';
export { renderPlanJson, renderPlanJsonChunks } from './render/json.js';

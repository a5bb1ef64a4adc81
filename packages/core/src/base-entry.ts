// `@svm/core/base`: everything of core that needs neither zod nor the schemas: errors, durations, the clock,
// document parsing (YAML loaded on first use) and output helpers. For start-up paths that must stay light:
// `svm rotation plan` plans a plain 100,000-item inventory without ever loading zod.
export * from './errors-entry.js';
export {
  MAX_INTERVAL_DAYS,
  formatDurationSeconds,
  parseDays,
  parseDurationMs,
  parseDurationSeconds,
} from './duration.js';
export { dayFlag, fixedClock, systemClock } from './clock.js';
export type { Clock } from './clock.js';
export { detectFormat, formatFieldPath, parseDocumentText } from './load.js';
export type { DocumentFormat, InputIssue, ParseDocumentOptions } from './load.js';
export { fullStyle, renderTable, visibleWidth } from './output.js';
export type { Paint, TextStyle } from './output.js';

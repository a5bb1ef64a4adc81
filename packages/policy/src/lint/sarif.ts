import type { Finding } from '@svm/core';
import type { Log, ReportingDescriptor, Result } from 'sarif';
import { LINT_RULES } from './rules.js';

const LEVEL: Record<Finding['severity'], Result.level> = {
  info: 'note',
  low: 'note',
  medium: 'warning',
  high: 'error',
  critical: 'error',
};
/** GitHub code scanning reads `security-severity` (0–10) to rank security alerts. */
const SECURITY_SEVERITY: Record<Finding['severity'], string> = {
  info: '0.0',
  low: '3.0',
  medium: '5.5',
  high: '8.0',
  critical: '9.5',
};

/**
 * Options for {@link toSarif}.
 *
 * @example
 * ```ts
 * toSarif(findings, { version: '0.1.0', helpUri: 'https://example.com/lint-rules' });
 * ```
 */
export interface SarifOptions {
  /** Tool version written into `tool.driver.version`. */
  version: string;
  /** Base for `helpUri` of each rule. */
  helpUri?: string | undefined;
  /** The rules to describe in `tool.driver.rules` (default: the linter's {@link LINT_RULES}). */
  rules?:
    | ReadonlyArray<{ id: string; category: string; severity: Finding['severity']; summary: string; fix: string }>
    | undefined;
  /** `tool.driver.name` (default `svm policy lint`). */
  toolName?: string | undefined;
}

/**
 * Lint findings as a SARIF 2.1.0 log for code-scanning upload: every rule in `tool.driver.rules` (with
 * `security-severity`), one result per finding with a physical location (file, line, column) and the fix
 * hint in the message.
 *
 * @example
 * ```ts
 * const log = toSarif(findings, { version: '0.1.0' });
 * log.version; // '2.1.0'
 * ```
 */
export function toSarif(findings: readonly Finding[], options: SarifOptions): Log {
  const rules: ReportingDescriptor[] = (options.rules ?? LINT_RULES).map((r) => ({
    id: r.id,
    name: r.id.replace(/(^|-)([a-z0-9])/g, (_, __, c: string) => c.toUpperCase()),
    shortDescription: { text: r.summary },
    fullDescription: { text: `${r.summary} Fix: ${r.fix}` },
    help: { text: r.fix },
    ...(options.helpUri ? { helpUri: `${options.helpUri}#${r.id}` } : {}),
    defaultConfiguration: { level: LEVEL[r.severity] },
    properties: {
      category: r.category,
      'security-severity': SECURITY_SEVERITY[r.severity],
      tags: ['security', 'vault', r.category],
    },
  }));
  const index = new Map(rules.map((r, i) => [r.id, i]));
  const results: Result[] = findings.map((f) => {
    const result: Result = {
      ruleId: f.rule,
      level: LEVEL[f.severity],
      message: { text: f.fix ? `${f.message}. Fix: ${f.fix}` : f.message },
      properties: { severity: f.severity, category: f.category },
    };
    const ruleIndex = index.get(f.rule);
    if (ruleIndex !== undefined) result.ruleIndex = ruleIndex;
    if (f.file) {
      result.locations = [
        {
          physicalLocation: {
            artifactLocation: { uri: f.file.replaceAll('\\', '/').replace(/^\.\//, '') },
            ...(f.line ? { region: { startLine: f.line, ...(f.column ? { startColumn: f.column } : {}) } } : {}),
          },
        },
      ];
    }
    return result;
  });
  return {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      { tool: { driver: { name: options.toolName ?? 'svm policy lint', version: options.version, rules } }, results },
    ],
  };
}

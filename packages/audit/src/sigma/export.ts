import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { SvmError } from '@svm/core';
import { stringify } from 'yaml';
import type { RuleId } from '../detectors/types.js';
import { type AnalyzerOptions, resolveOptions } from '../options.js';
import { CLOUD_SIGMA_FIELDS, SIGMA_LOGSOURCES, type SigmaSource, VAULT_SIGMA_FIELDS, vaultPipeline } from './fields.js';
import { type SigmaRuleSpec, sigmaRuleSpecs } from './rules.js';
import { uuidV5 } from './uuid.js';

/**
 * Namespace of svm's rule ids (UUIDv5 of `<svm rule id>/<source>[/event]`), fixed forever.
 *
 * @example
 * ```ts
 * exportSigmaRules().rules[0]?.id; // the same UUID on every export
 * ```
 */
export const SVM_SIGMA_NAMESPACE = '5a0b6e42-3c1f-4d7a-9b8e-6f2d1c0a4e93';
/** The `date` every exported rule carries (fixed, so a re-export is byte-identical). */
const RULES_DATE = '2026-12-05';
/**
 * The pipeline file, relative to the output folder (`.yaml`, so `sigma check <folder>`'s `*.yml` skips it).
 *
 * @example
 * ```ts
 * join('rules', SIGMA_PIPELINE_FILE); // 'rules/pipelines/svm_vault_openbao.yaml'
 * ```
 */
export const SIGMA_PIPELINE_FILE = 'pipelines/svm_vault_openbao.yaml';

/** One exported file. */
export interface SigmaExportFile {
  /** Path relative to the output folder. */
  path: string;
  content: string;
}

/** One exported rule (a file holds one single-event rule, or a correlation and its event rule). */
export interface SigmaExportedRule {
  rule: RuleId;
  source: SigmaSource;
  kind: 'single' | 'correlation';
  /** The Sigma id of the file's top rule. */
  id: string;
  path: string;
}

/** A detection Sigma cannot express, and what to use instead. */
export interface SigmaNotExpressible {
  rule: RuleId;
  why: string;
  instead: string;
}

/** What {@link exportSigmaRules} produces. */
export interface SigmaExport {
  files: SigmaExportFile[];
  rules: SigmaExportedRule[];
  notExpressible: SigmaNotExpressible[];
}

/** Options of {@link exportSigmaRules}. */
export interface SigmaExportOptions {
  /** The analyzer's options: the exported thresholds are the ones `svm audit analyze` would use with them. */
  analyzer?: AnalyzerOptions;
  /** Limit the export to these log sources (default: all). */
  sources?: readonly SigmaSource[];
}

/**
 * The detections that need a learned baseline or a calendar, which Sigma (rules and correlations alike) has no
 * way to state, with what to use instead.
 *
 * @example
 * ```ts
 * SIGMA_NOT_EXPRESSIBLE.map((n) => n.rule); // ['new-source-ip', 'volume-spike', 'off-hours']
 * ```
 */
export const SIGMA_NOT_EXPRESSIBLE: readonly SigmaNotExpressible[] = [
  {
    rule: 'new-source-ip',
    why: "needs each identity's history of source networks (a baseline learned over days); Sigma correlations only count within one timespan",
    instead:
      'Elastic "new terms" rules on (identity, source.ip), Splunk first-seen lookups, or `svm audit analyze --state` on a schedule',
  },
  {
    rule: 'volume-spike',
    why: 'compares an hourly count with an EWMA baseline of past hours; Sigma thresholds are fixed numbers',
    instead:
      'Elastic ML or Splunk MLTK anomaly jobs on request counts per (identity, path), or `svm audit analyze --state` on a schedule',
  },
  {
    rule: 'off-hours',
    why: "needs the event's local hour and weekday in a time zone; Sigma has no time-of-day condition",
    instead:
      'a SIEM-side filter on the hour/weekday (Splunk `date_hour`/`date_wday`, an ES|QL `DATE_EXTRACT`), or `svm audit analyze --tz`',
  },
];

function timespan(ms: number, field: string): string {
  const units: [number, string][] = [
    [86_400_000, 'd'],
    [3_600_000, 'h'],
    [60_000, 'm'],
    [1000, 's'],
  ];
  for (const [size, unit] of units) if (ms % size === 0) return `${ms / size}${unit}`;
  throw new SvmError(
    'INPUT_INVALID',
    `${field}: ${ms} ms is not a whole number of seconds, which Sigma timespans need`,
    {
      field,
    },
  );
}

const YAML_OPTIONS = { lineWidth: 0, minContentWidth: 0 } as const;

function slug(s: SigmaRuleSpec): string {
  return `svm_${s.source}_${s.rule.replace(/-/g, '_')}`;
}

function header(s: SigmaRuleSpec): string {
  return `# svm audit export-rules: svm rule '${s.rule}' for ${s.source} (${SIGMA_LOGSOURCES[s.source].product}). Generated; do not edit.\n`;
}

const WINDOW_FIELD: Partial<Record<RuleId, string>> = {
  'failed-auth': 'failedAuth.windowMs',
  'password-spray': 'passwordSpray.windowMs',
  'denied-access': 'deniedAccess.windowMs',
  'bulk-read': 'bulkRead.windowMs',
};

function render(s: SigmaRuleSpec): { content: string; id: string } {
  const name = slug(s);
  const id = uuidV5(`${s.rule}/${s.source}`, SVM_SIGMA_NAMESPACE);
  const logsource = { ...SIGMA_LOGSOURCES[s.source] };
  const c = s.correlation;
  if (!c) {
    const doc = {
      title: s.title,
      id,
      name,
      status: 'experimental',
      description: s.description,
      author: 'svm',
      date: RULES_DATE,
      logsource,
      detection: s.detection,
      falsepositives: s.falsepositives,
      level: s.level,
    };
    return { content: header(s) + stringify(doc, YAML_OPTIONS), id };
  }
  const eventName = `${name}_event`;
  const condition: Record<string, unknown> = c.field !== undefined ? { field: c.field, gte: c.gte } : { gte: c.gte };
  const top = {
    title: s.title,
    id,
    name,
    status: 'experimental',
    description: s.description,
    author: 'svm',
    date: RULES_DATE,
    correlation: {
      type: c.type,
      rules: [eventName],
      'group-by': c.groupBy,
      timespan: timespan(c.timespanMs, WINDOW_FIELD[s.rule] ?? 'windowMs'),
      condition,
    },
    falsepositives: s.falsepositives,
    level: s.level,
  };
  const base = {
    title: c.baseTitle,
    id: uuidV5(`${s.rule}/${s.source}/event`, SVM_SIGMA_NAMESPACE),
    name: eventName,
    status: 'experimental',
    description: `The events counted by '${s.title}'.`,
    author: 'svm',
    date: RULES_DATE,
    logsource,
    detection: s.detection,
  };
  return {
    content: `${header(s)}${stringify(top, YAML_OPTIONS)}---\n${stringify(base, YAML_OPTIONS)}`,
    id,
  };
}

/**
 * Every svm detection Sigma can express, as Sigma rules (one YAML file per detection and log source: a
 * single-event rule, or a correlation rule with its event rule), plus the pySigma pipeline that maps svm's
 * Vault/OpenBao field names to the audit JSON. Thresholds come from `resolveOptions(options.analyzer)`, the
 * same function the analyzer uses; ids are UUIDv5 of the svm rule id and source, so a re-export is
 * byte-identical. Pure: nothing is written (see {@link writeSigmaRules}).
 *
 * @example
 * ```ts
 * const { files, notExpressible } = exportSigmaRules({ analyzer: { failedAuth: { threshold: 10 } } });
 * files.find((f) => f.path === 'svm_vault_failed_auth.yml')?.content; // … condition: { gte: 10 } …
 * ```
 */
export function exportSigmaRules(options: SigmaExportOptions = {}): SigmaExport {
  const resolved = resolveOptions(options.analyzer);
  const sources = options.sources;
  const files: SigmaExportFile[] = [];
  const rules: SigmaExportedRule[] = [];
  for (const spec of sigmaRuleSpecs(resolved)) {
    if (sources && !sources.includes(spec.source)) continue;
    const { content, id } = render(spec);
    const path = `${slug(spec)}.yml`;
    files.push({ path, content });
    rules.push({ rule: spec.rule, source: spec.source, kind: spec.correlation ? 'correlation' : 'single', id, path });
  }
  if (!sources || sources.includes('vault') || sources.includes('openbao')) {
    files.push({
      path: SIGMA_PIPELINE_FILE,
      content: `# pySigma processing pipeline for svm's Vault/OpenBao rules (sigma convert -p <this file>). Generated; do not edit.\n${stringify(vaultPipeline(), YAML_OPTIONS)}`,
    });
  }
  return { files, rules, notExpressible: [...SIGMA_NOT_EXPRESSIBLE] };
}

/**
 * Write an export into a folder (created if missing); returns the paths written.
 *
 * @example
 * ```ts
 * await writeSigmaRules(exportSigmaRules(), 'rules');
 * ```
 */
export async function writeSigmaRules(result: SigmaExport, dir: string): Promise<string[]> {
  const written: string[] = [];
  for (const f of result.files) {
    const target = join(dir, f.path);
    await mkdir(dirname(target), { recursive: true });
    await writeFile(target, f.content);
    written.push(target);
  }
  return written;
}

/**
 * The export as text: the files written and the detections left out.
 *
 * @example
 * ```ts
 * process.stdout.write(renderSigmaExportText(exportSigmaRules(), 'rules'));
 * ```
 */
export function renderSigmaExportText(result: SigmaExport, dir: string): string {
  const lines = [`${result.rules.length} Sigma rules written to ${dir}`];
  for (const r of result.rules) lines.push(`  ${r.path}  (${r.kind}, ${r.rule}, ${r.source})`);
  if (result.files.some((f) => f.path === SIGMA_PIPELINE_FILE))
    lines.push(`pySigma pipeline for the Vault/OpenBao rules: ${join(dir, SIGMA_PIPELINE_FILE)}`);
  lines.push('Not expressible in Sigma (need a baseline or a calendar):');
  for (const n of result.notExpressible) lines.push(`  ${n.rule}: ${n.why}; use ${n.instead}`);
  return `${lines.join('\n')}\n`;
}

/**
 * The field mapping of every source as a Markdown table (the README's table is this output).
 *
 * @example
 * ```ts
 * sigmaFieldMappingMarkdown().startsWith('| Source |'); // true
 * ```
 */
export function sigmaFieldMappingMarkdown(): string {
  const rows = ['| Source | Logsource | Rule field | Record field | Meaning |', '| --- | --- | --- | --- | --- |'];
  const ls = (s: SigmaSource) => `\`product: ${SIGMA_LOGSOURCES[s].product}, service: ${SIGMA_LOGSOURCES[s].service}\``;
  for (const f of VAULT_SIGMA_FIELDS)
    rows.push(`| Vault / OpenBao | ${ls('vault')} / \`openbao\` | \`${f.field}\` | \`${f.path}\` | ${f.meaning} |`);
  const names = { cloudtrail: 'AWS CloudTrail', gcp: 'GCP Cloud Audit Logs', azure: 'Azure Key Vault AuditEvent' };
  for (const s of ['cloudtrail', 'gcp', 'azure'] as const)
    for (const f of CLOUD_SIGMA_FIELDS[s])
      rows.push(`| ${names[s]} | ${ls(s)} | \`${f.field}\` | \`${f.path}\` | ${f.meaning} |`);
  return `${rows.join('\n')}\n`;
}

import { createWriteStream } from 'node:fs';
import { Option, type Command } from 'commander';
import { type Severity, renderWrappedList } from '@svm/core';
import {
  type AnalysisResult,
  type AnalyzeWithStateOptions,
  type AnalyzeProgress,
  type AnalyzeRequest,
  REPORT_TYPES,
  RULE_IDS,
  type ReportRequest,
  type SourceChoice,
} from '@svm/audit';
import { action, collect, failOnOption, outputFormat } from '../internal/command.js';
import type { AnyCommandOutput, CliContext } from '../internal/context.js';
import { absolutePath, readInput, writeOutput } from '../internal/input.js';
import { progressBar } from '../internal/progress.js';
import { registerExportRules } from './audit-export-rules.js';

const FORMATS = ['text', 'json', 'md', 'html', 'ocsf'] as const;
const SOURCES = ['auto', 'vault', 'cloudtrail', 'gcp', 'azure'] as const;
/** `--source` of analyze and report. */
const sourceOption = () =>
  new Option('--source <source>', 'log source (detected per record by default)').choices([...SOURCES]).default('auto');

type AnalyzeFlags = AnalyzeRequest & {
  source: SourceChoice;
  state?: string;
  format?: (typeof FORMATS)[number];
  failOn: Severity | 'none';
  out?: string;
  group: boolean;
  suppressions?: string;
};
type ReportFlags = ReportRequest & { source: SourceChoice; format?: 'text' | 'json' | 'md'; out?: string; tz?: string };

/** `svm audit …`: analyze audit logs for anomalies; compliance reports. */
export function register(group: Command, ctx: CliContext): void {
  group
    .command('analyze')
    .description(
      'detect anomalies in Vault/OpenBao, CloudTrail, GCP and Azure Key Vault audit logs (files, dirs, globs, .gz, - for stdin, s3://, gs://, azblob://)',
    )
    .argument(
      '<paths...>',
      'log files, directories, globs, - for standard input, or s3://bucket/prefix, gs://bucket/prefix, azblob://account/container/prefix',
    )
    .addOption(sourceOption())
    .option('--state <db>', 'SQLite file that keeps the learned baseline between runs (created if missing)')
    .addOption(new Option('--format <format>', 'output format').choices([...FORMATS]))
    .addOption(failOnOption('high'))
    .option('--out <file>', 'write the rendered result to this file instead of standard output')
    .option('--tz <zone>', 'IANA time zone for business hours (default UTC)')
    .option('--business-hours <from-to>', 'business hours for off-hours detection, e.g. 8-18 (default 7-20)')
    .option(
      '--since <time>',
      'analyse events from this time (ISO date/instant, or 24h, 7d before now); earlier ones only teach the baseline',
    )
    .option('--until <time>', 'analyse events before this time (same forms); in buckets, later objects are not read')
    .option(
      '--no-group',
      'one finding per detection instead of grouping repeats (same rule and identity, close in time)',
    )
    .option('--suppressions <file>', 'YAML/JSON file of acknowledged activity: matches are listed as suppressed')
    .option(
      '--workers <n>',
      'parse worker threads (default for inputs over 32 MiB: cores − 1, at least 1, at most 4; 0 = none)',
    )
    .addHelpText(
      'after',
      `\n${renderWrappedList('Rules:', RULE_IDS)}\n\n` +
        'Examples:\n  svm audit analyze /var/log/vault/audit.log --json\n  svm audit analyze trail/ --source cloudtrail --fail-on critical\n  svm audit analyze "logs/*.gz" --state audit-state.db --format html --out report.html\n  svm audit analyze s3://trail-bucket/AWSLogs/ --since 24h --state audit-state.db\n\nExit codes: 0 ok · 1 a finding at or above --fail-on · 2 usage or input error, or an input damaged\n  (truncated/corrupt gzip, trailing bytes: analysed up to the damage, listed under "inputErrors")',
    )
    .action(action(ctx, async (paths: string[], flags: AnalyzeFlags) => analyzeCommand(ctx, paths, flags)));

  group
    .command('report')
    .description(
      'compliance reports from audit logs: access inventory, rotation compliance, policy drift, orphaned secrets',
    )
    .argument('<paths...>', 'log files, directories, globs, or - for standard input')
    .addOption(new Option('--type <type>', 'report type').choices([...REPORT_TYPES]).makeOptionMandatory())
    .option('--inventory <file>', 'rotation inventory (JSON/YAML), required for rotation and orphans')
    .option('--policies <dirs...>', 'drift: old and new policy folders for the effective-permission diff')
    .addOption(sourceOption())
    .option('--days <n>', 'orphans: days without access (default 90)')
    .option('--now <date>', 'report date YYYY-MM-DD or ISO instant (default: now)')
    .option('--tz <zone>', 'rotation: IANA time zone of the planning day, as in svm rotation plan (default UTC)')
    .addOption(new Option('--format <format>', 'output format').choices(['text', 'json', 'md']))
    .option('--out <file>', 'write the report to this file instead of standard output')
    .option(
      '--profile <ids>',
      'rotation: compliance profiles for every item, comma-separated or repeated: pci-dss-v4, nist-sp-800-57, cabf-tls, all',
      collect,
    )
    .addHelpText(
      'after',
      '\nExamples:\n  svm audit report audit.log --type access --json\n  svm audit report audit.log --inventory inventory.yaml --type rotation --profile pci-dss-v4\n  svm audit report audit.log --type drift --policies policies-old/ policies/',
    )
    .action(action(ctx, async (paths: string[], flags: ReportFlags) => reportCommand(ctx, paths, flags)));

  registerExportRules(group, ctx);
}

/**
 * The analysis progress on stderr: for objects in buckets one line with no total ahead (redrawn on a TTY, every
 * 10 s in a log); for files a bar of MiB read, on a TTY only.
 */
async function analysisProgress(ctx: CliContext, objects: boolean) {
  const { renderProgressLine } = await import('@svm/audit');
  if (objects) {
    const options = { format: '{line}', noTTYOutput: true, notTTYSchedule: 10_000, clearOnComplete: true };
    const line = await progressBar<{ line: string }>(ctx, options);
    const start = Date.now();
    line?.update(1, 0, { line: 'listing…' });
    const update = (p: AnalyzeProgress) =>
      line?.update(1, 0, { line: renderProgressLine(p, Date.now() - start, 'objects') });
    return line && { update, stop: line.stop };
  }
  const format = 'analyzing {bar} {percentage}% | {value}/{total} MiB | {file}';
  const bar = await progressBar<{ file: string }>(ctx, {
    format,
    hideCursor: true,
    clearOnComplete: true,
    etaBuffer: 20,
  });
  const mib = (n: number) => Math.round(n / 1_048_576);
  const total = (p: AnalyzeProgress) => Math.max(1, mib(p.totalBytes));
  const update = (p: AnalyzeProgress) => bar?.update(total(p), Math.min(mib(p.bytes), total(p)), { file: p.file });
  return bar && { update, stop: bar.stop };
}

async function runAnalysis(ctx: CliContext, paths: string[], opts: AnalyzeWithStateOptions): Promise<AnalysisResult> {
  const audit = await import('@svm/audit');
  const progress = await analysisProgress(ctx, paths.some(audit.isObjectUrl));
  try {
    const { result, objectSummary } = await audit.analyzeWithState(paths, {
      ...opts,
      cwd: ctx.io.cwd,
      stdin: ctx.io.stdin,
      ...(progress ? { onProgress: progress.update } : {}),
    });
    progress?.stop();
    if (objectSummary) ctx.log(objectSummary);
    for (const e of result.inputErrors) ctx.warn(`${e.file}: ${e.reason}`);
    return result;
  } finally {
    progress?.stop();
  }
}

async function analyzeCommand(ctx: CliContext, paths: string[], flags: AnalyzeFlags): Promise<AnyCommandOutput> {
  const format = outputFormat(ctx, flags.format, 'text');
  const audit = await import('@svm/audit');
  const settings = audit.analyzeSettings(flags);
  const suppressions = flags.suppressions
    ? audit.loadSuppressions((await readInput(ctx.io, flags.suppressions)).text, { file: flags.suppressions })
    : undefined;
  // OCSF streams every event as it is analysed, then the findings.
  const ocsf =
    format === 'ocsf' ? (flags.out ? createWriteStream(absolutePath(ctx.io, flags.out)) : ctx.io.stdout) : undefined;
  const result = await runAnalysis(ctx, paths, {
    source: flags.source,
    state: flags.state,
    ...settings,
    ...(suppressions ? { suppressions } : {}),
    ...(ocsf ? { ocsf } : {}),
  });
  for (const warning of audit.expiredSuppressionWarnings(result.suppressions, flags.suppressions)) ctx.warn(warning);
  const exitCode = audit.analysisExitCode(result, flags.failOn);
  const data = audit.toAnalysisJson(result);

  if (ocsf) {
    if (flags.out) await new Promise<void>((r) => ocsf.end(r));
    if (flags.out) ctx.log(`wrote ${flags.out}`);
    return { data, raw: '', exitCode };
  }
  if (flags.out) {
    await writeOutput(ctx.io, flags.out, audit.renderAnalysisAs(result, format as 'text'));
    ctx.log(`wrote ${flags.out}: ${result.events} events, ${result.findings.length} findings`);
    return { data, raw: ctx.flags.json ? `${JSON.stringify(data, null, 2)}\n` : '', exitCode };
  }
  if (format === 'json') return { data, exitCode };
  // The text fits the terminal: its width on a TTY, 100 columns otherwise (files written with --out are not cut).
  const stdout = ctx.io.stdout as { isTTY?: boolean; columns?: number };
  const width = stdout.isTTY && stdout.columns ? stdout.columns : 100;
  return { data, raw: audit.renderAnalysisAs(result, format as 'text', ctx.colors, { width }), exitCode };
}

async function reportCommand(ctx: CliContext, paths: string[], flags: ReportFlags): Promise<AnyCommandOutput> {
  const format = outputFormat(ctx, flags.format, 'text');
  const audit = await import('@svm/audit');
  const { days, clock } = audit.reportSettings(flags);
  const inventory = flags.inventory
    ? audit.loadReportInventory((await readInput(ctx.io, flags.inventory)).text, flags.inventory, flags.type)
    : undefined;
  const result = await runAnalysis(ctx, paths, { source: flags.source });
  const damaged = result.inputErrors.length > 0 ? 2 : 0;
  // drift: the effective change on the API paths the logs show being used (the policy engine loaded only then).
  const dirs = flags.policies as [string, string] | undefined;
  const policy = dirs && (await import('@svm/policy'));
  const diff = policy && (await policy.changedPermissions(dirs, result.aggregates.apiPaths, { cwd: ctx.io.cwd }));
  const effectiveDiff = diff ? { diff } : undefined;
  const options = { inventory, clock, days, timeZone: flags.tz, profiles: flags.profile, effectiveDiff };
  const { report, text } = audit.complianceReport(flags.type, result, options);
  const rendered = audit.renderReportAs(report, text, format as 'text');
  if (flags.out) {
    await writeOutput(ctx.io, flags.out, rendered);
    ctx.log(`wrote ${flags.out}`);
    return { data: report, raw: ctx.flags.json ? rendered : '', exitCode: damaged };
  }
  if (format === 'json') return { data: report, exitCode: damaged };
  return { data: report, raw: rendered, exitCode: damaged };
}

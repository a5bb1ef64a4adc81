import { createWriteStream } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { Option, type Command } from 'commander';
import {
  Inventory,
  SvmError,
  fixedClock,
  inventoryItems,
  loadDocument,
  severityAtLeast,
  systemClock,
  type InventoryItem,
  type Severity,
} from '@svm/core';
import {
  type AnalysisResult,
  type AnalyzeFilesOptions,
  type AnalyzeProgress,
  RULE_IDS,
  type SourceChoice,
} from '@svm/audit';
import { action, failOnOption, helpList } from '../internal/command.js';
import type { AnyCommandOutput, CliContext } from '../internal/context.js';
import { absolutePath, readInput } from '../internal/input.js';

const FORMATS = ['text', 'json', 'md', 'html', 'ocsf'] as const;
const SOURCES = ['auto', 'vault', 'cloudtrail', 'gcp', 'azure'] as const;
const REPORTS = ['access', 'rotation', 'drift', 'orphans'] as const;

interface AnalyzeFlags {
  source: SourceChoice;
  state?: string;
  format?: (typeof FORMATS)[number];
  failOn: Severity | 'none';
  out?: string;
  tz?: string;
  businessHours?: string;
  workers?: string;
}

interface ReportFlags {
  source: SourceChoice;
  inventory?: string;
  type: (typeof REPORTS)[number];
  policies?: string[];
  days?: string;
  now?: string;
  format?: 'text' | 'json' | 'md';
  out?: string;
  tz?: string;
  profile?: string[];
}

/** `svm audit …`: analyze audit logs for anomalies; compliance reports. */
export function register(group: Command, ctx: CliContext): void {
  group
    .command('analyze')
    .description(
      'detect anomalies in Vault/OpenBao, CloudTrail, GCP and Azure Key Vault audit logs (files, dirs, globs, .gz, - for stdin)',
    )
    .argument('<paths...>', 'log files, directories, globs, or - for standard input')
    .addOption(
      new Option('--source <source>', 'log source (detected per record by default)')
        .choices([...SOURCES])
        .default('auto'),
    )
    .option('--state <db>', 'SQLite file that keeps the learned baseline between runs (created if missing)')
    .addOption(new Option('--format <format>', 'output format').choices([...FORMATS]))
    .addOption(failOnOption('high'))
    .option('--out <file>', 'write the rendered result to this file instead of standard output')
    .option('--tz <zone>', 'IANA time zone for business hours (default UTC)')
    .option('--business-hours <from-to>', 'business hours for off-hours detection, e.g. 8-18 (default 7-20)')
    .option(
      '--workers <n>',
      'parse worker threads (default for inputs over 32 MiB: cores − 1, at least 1, at most 4; 0 = none)',
    )
    .addHelpText(
      'after',
      `\n${helpList('Rules:', RULE_IDS)}\n\n` +
        'Examples:\n  svm audit analyze /var/log/vault/audit.log --json\n  svm audit analyze trail/ --source cloudtrail --fail-on critical\n  svm audit analyze "logs/*.gz" --state audit-state.db --format html --out report.html\n\nExit codes: 0 ok · 1 a finding at or above --fail-on · 2 usage or input error, or an input damaged\n  (truncated/corrupt gzip, trailing bytes: analysed up to the damage, listed under "inputErrors")',
    )
    .action(action(ctx, async (paths: string[], flags: AnalyzeFlags) => analyzeCommand(ctx, paths, flags)));

  group
    .command('report')
    .description(
      'compliance reports from audit logs: access inventory, rotation compliance, policy drift, orphaned secrets',
    )
    .argument('<paths...>', 'log files, directories, globs, or - for standard input')
    .addOption(new Option('--type <type>', 'report type').choices([...REPORTS]).makeOptionMandatory())
    .option('--inventory <file>', 'rotation inventory (JSON/YAML), required for rotation and orphans')
    .option('--policies <dirs...>', 'drift: old and new policy folders for the effective-permission diff')
    .addOption(
      new Option('--source <source>', 'log source (detected per record by default)')
        .choices([...SOURCES])
        .default('auto'),
    )
    .option('--days <n>', 'orphans: days without access (default 90)')
    .option('--now <date>', 'report date YYYY-MM-DD or ISO instant (default: now)')
    .option('--tz <zone>', 'rotation: IANA time zone of the planning day, as in svm rotation plan (default UTC)')
    .addOption(new Option('--format <format>', 'output format').choices(['text', 'json', 'md']))
    .option('--out <file>', 'write the report to this file instead of standard output')
    .option(
      '--profile <ids>',
      'rotation: compliance profiles for every item, comma-separated or repeated: pci-dss-v4, nist-sp-800-57, cabf-tls, all',
      (value: string, previous: string[] = []) => [...previous, value],
    )
    .addHelpText(
      'after',
      '\nExamples:\n  svm audit report audit.log --type access --json\n  svm audit report audit.log --inventory inventory.yaml --type rotation --profile pci-dss-v4\n  svm audit report audit.log --type drift --policies policies-old/ policies/',
    )
    .action(action(ctx, async (paths: string[], flags: ReportFlags) => reportCommand(ctx, paths, flags)));
}

function parseBusinessHours(value: string | undefined): { startHour: number; endHour: number } | undefined {
  if (value === undefined) return undefined;
  const m = /^(\d{1,2})-(\d{1,2})$/.exec(value.trim());
  if (!m) throw new SvmError('USAGE', `--business-hours: expected FROM-TO hours such as 8-18, got '${value}'`);
  return { startHour: Number(m[1]), endHour: Number(m[2]) };
}

function parseWorkers(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 64)
    throw new SvmError('USAGE', `--workers: expected a whole number from 0 to 64, got '${value}'`);
  return n;
}

/** A progress bar on a TTY stderr only (never with --json/--quiet), loaded only then. */
async function progressBar(
  ctx: CliContext,
): Promise<{ update: (p: AnalyzeProgress) => void; stop: () => void } | undefined> {
  if (!ctx.io.stderr.isTTY || ctx.flags.json || ctx.flags.quiet) return undefined;
  const { SingleBar, Presets } = await import('cli-progress');
  const bar = new SingleBar(
    {
      stream: ctx.io.stderr as NodeJS.WritableStream,
      format: 'analyzing {bar} {percentage}% | {value}/{total} MiB | {file}',
      hideCursor: true,
      clearOnComplete: true,
      etaBuffer: 20,
    },
    Presets.shades_classic,
  );
  let started = false;
  return {
    update(p) {
      const mib = (n: number) => Math.round(n / 1_048_576);
      if (!started) {
        bar.start(Math.max(1, mib(p.totalBytes)), 0, { file: p.file });
        started = true;
      }
      bar.update(Math.min(mib(p.bytes), Math.max(1, mib(p.totalBytes))), { file: p.file });
    },
    stop() {
      if (started) bar.stop();
    },
  };
}

async function runAnalysis(
  ctx: CliContext,
  paths: string[],
  opts: AnalyzeFilesOptions & { state?: string | undefined },
): Promise<AnalysisResult> {
  const audit = await import('@svm/audit');
  const store = opts.state ? await audit.openStateStore(absolutePath(ctx.io, opts.state)) : undefined;
  const bar = await progressBar(ctx);
  try {
    const { result, snapshot } = await audit.analyzeFiles(paths, {
      ...opts,
      cwd: ctx.io.cwd,
      stdin: ctx.io.stdin,
      baseline: store?.load(),
      ...(bar ? { onProgress: bar.update } : {}),
    });
    store?.save(snapshot);
    for (const e of result.inputErrors) ctx.warn(`${e.file}: ${e.reason}`);
    return result;
  } finally {
    bar?.stop();
    store?.close();
  }
}

async function analyzeCommand(ctx: CliContext, paths: string[], flags: AnalyzeFlags): Promise<AnyCommandOutput> {
  if (ctx.flags.json && flags.format !== undefined && flags.format !== 'json')
    throw new SvmError('USAGE', `--json conflicts with --format ${flags.format}`);
  const format = ctx.flags.json ? 'json' : (flags.format ?? 'text');
  const hours = parseBusinessHours(flags.businessHours);
  const workers = parseWorkers(flags.workers);
  if (flags.tz !== undefined) {
    try {
      new Intl.DateTimeFormat('en-US', { timeZone: flags.tz });
    } catch {
      throw new SvmError(
        'USAGE',
        `--tz: unknown time zone '${flags.tz}' (expected an IANA name such as Europe/Berlin)`,
      );
    }
  }
  const audit = await import('@svm/audit');
  const outPath = flags.out ? absolutePath(ctx.io, flags.out) : undefined;

  // OCSF streams every event as it is analysed, then the findings.
  let ocsfOut: NodeJS.WritableStream | undefined;
  if (format === 'ocsf') ocsfOut = outPath ? createWriteStream(outPath) : ctx.io.stdout;
  const result = await runAnalysis(ctx, paths, {
    source: flags.source,
    state: flags.state,
    ...(workers !== undefined ? { workers } : {}),
    offHours: { ...(flags.tz ? { timeZone: flags.tz } : {}), ...(hours ?? {}) },
    ...(ocsfOut
      ? { onEvent: (ev) => (ocsfOut as NodeJS.WritableStream).write(`${JSON.stringify(audit.toOcsfEvent(ev))}\n`) }
      : {}),
  });
  const failing =
    flags.failOn === 'none' ? [] : result.findings.filter((f) => severityAtLeast(f.severity, flags.failOn as Severity));
  // A damaged input (truncated or corrupt gzip, trailing bytes) was analysed only up to the damage: exit 2
  // (input error) so a --fail-on gate never passes on a log it could not read to the end.
  const exitCode = result.inputErrors.length > 0 ? 2 : failing.length > 0 ? 1 : 0;
  const data = audit.toAnalysisJson(result);

  if (ocsfOut) {
    for (const f of result.findings) ocsfOut.write(`${JSON.stringify(audit.toOcsfFinding(f))}\n`);
    if (outPath) await new Promise<void>((r) => (ocsfOut as NodeJS.WritableStream).end(r));
    if (outPath) ctx.log(`wrote ${flags.out}`);
    return { data, raw: '', exitCode };
  }
  let rendered: string;
  if (format === 'json') rendered = `${JSON.stringify(data, null, 2)}\n`;
  else if (format === 'md') rendered = audit.renderMarkdown(result);
  else if (format === 'html') rendered = audit.renderHtml(result);
  else rendered = audit.renderText(result, { severity: (s) => colorSeverity(ctx, s) });
  if (outPath) {
    await writeOut(outPath, format === 'text' ? audit.renderText(result) : rendered, flags.out as string);
    ctx.log(`wrote ${flags.out}: ${result.events} events, ${result.findings.length} findings`);
    return { data, raw: ctx.flags.json ? `${JSON.stringify(data, null, 2)}\n` : '', exitCode };
  }
  if (format === 'json') return { data, exitCode };
  return { data, raw: rendered, exitCode };
}

function colorSeverity(ctx: CliContext, s: string): string {
  const c = ctx.colors;
  if (s === 'critical') return c.bold(c.red(s));
  if (s === 'high') return c.red(s);
  if (s === 'medium') return c.yellow(s);
  return s;
}

async function writeOut(path: string, text: string, name: string): Promise<void> {
  try {
    await writeFile(path, text);
  } catch (cause) {
    throw new SvmError(
      'FILE_UNREADABLE',
      `cannot write ${name}: ${(cause as NodeJS.ErrnoException).code ?? String(cause)}`,
      { file: name, cause },
    );
  }
}

async function readText(ctx: CliContext, file: string): Promise<string> {
  return (await readInput(ctx.io, file)).text;
}

async function reportCommand(ctx: CliContext, paths: string[], flags: ReportFlags): Promise<AnyCommandOutput> {
  if (ctx.flags.json && flags.format !== undefined && flags.format !== 'json')
    throw new SvmError('USAGE', `--json conflicts with --format ${flags.format}`);
  const format = ctx.flags.json ? 'json' : (flags.format ?? 'text');
  if ((flags.type === 'rotation' || flags.type === 'orphans') && !flags.inventory)
    throw new SvmError('USAGE', `--type ${flags.type} needs --inventory <file>`);
  if (flags.policies && (flags.type !== 'drift' || flags.policies.length !== 2))
    throw new SvmError('USAGE', '--policies takes two folders (old and new) and only with --type drift');
  let days = 90;
  if (flags.days !== undefined) {
    days = Number(flags.days);
    if (!Number.isInteger(days) || days < 1)
      throw new SvmError('USAGE', `--days: expected a whole number of at least 1, got '${flags.days}'`);
  }
  let clock = systemClock;
  if (flags.now !== undefined) {
    const ms = Date.parse(/^\d{4}-\d{2}-\d{2}$/.test(flags.now) ? `${flags.now}T00:00:00Z` : flags.now);
    if (!Number.isFinite(ms))
      throw new SvmError('USAGE', `--now: expected YYYY-MM-DD or an ISO instant, got '${flags.now}'`);
    clock = fixedClock(ms);
  }
  if (flags.profile && flags.type !== 'rotation') throw new SvmError('USAGE', '--profile is only for --type rotation');
  let inventory: { items: InventoryItem[]; file: string; lineOf(index: number): number | undefined } | undefined;
  if (flags.inventory) {
    const text = await readText(ctx, flags.inventory);
    // The rotation report plans with @svm/rotation, so it reads the inventory the same way (JSON, YAML, CSV).
    inventory =
      flags.type === 'rotation'
        ? (await import('@svm/rotation')).loadInventory(text, { file: flags.inventory })
        : {
            items: inventoryItems(loadDocument(text, { file: flags.inventory }, Inventory)),
            file: flags.inventory,
            lineOf: () => undefined,
          };
  }
  const items = inventory?.items ?? [];
  const audit = await import('@svm/audit');
  const result = await runAnalysis(ctx, paths, { source: flags.source });
  const damaged = result.inputErrors.length > 0 ? 2 : 0;

  let data: unknown;
  let text: string;
  if (flags.type === 'access') {
    const r = audit.accessReport(result);
    data = r;
    text = audit.renderAccessReportText(r);
  } else if (flags.type === 'rotation') {
    const r = audit.rotationReport(result, items, clock, {
      timeZone: flags.tz,
      profiles: flags.profile,
      source: inventory,
    });
    data = r;
    text = audit.renderRotationReportText(r);
  } else if (flags.type === 'orphans') {
    const r = audit.orphanReport(result, items, clock, days);
    data = r;
    text = audit.renderOrphanReportText(r);
  } else {
    let effective: { diff: unknown } | { note: string } | undefined;
    if (flags.policies) {
      const policy = (await import('@svm/policy')) as Record<string, unknown>;
      const load = policy['loadPolicies'] as ((p: string[]) => Promise<unknown[]>) | undefined;
      const diff = policy['diffPolicies'] as
        | ((a: unknown[], b: unknown[], paths: string[]) => Array<{ added: unknown[]; removed: unknown[] }>)
        | undefined;
      if (!load || !diff)
        effective = {
          note: 'the effective-permission diff needs the @svm/policy engine (diffPolicies/loadPolicies), which is not available in this build',
        };
      else {
        const [oldDir, newDir] = flags.policies as [string, string];
        const abs = (p: string) => absolutePath(ctx.io, p);
        const before = await load([abs(oldDir)]);
        const after = await load([abs(newDir)]);
        // The effective change on the API paths the logs show being used.
        effective = {
          diff: diff(before, after, result.aggregates.apiPaths).filter(
            (d) => d.added.length > 0 || d.removed.length > 0,
          ),
        };
      }
    }
    const r = audit.driftReport(result, effective);
    data = r;
    text = audit.renderDriftReportText(r);
  }
  const rendered =
    format === 'json'
      ? `${JSON.stringify(data, null, 2)}\n`
      : format === 'md'
        ? `\`\`\`\n${text}\n\`\`\`\n`
        : `${text}\n`;
  if (flags.out) {
    await writeOut(absolutePath(ctx.io, flags.out), rendered, flags.out);
    ctx.log(`wrote ${flags.out}`);
    return { data, raw: ctx.flags.json ? rendered : '', exitCode: damaged };
  }
  if (format === 'json') return { data, exitCode: damaged };
  return { data, raw: rendered, exitCode: damaged };
}

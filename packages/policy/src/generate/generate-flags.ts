// `svm policy generate`, `lint` and `apply` as one call each: the flags as a command line gives them, the files
// read through the caller, warnings and progress through callbacks, the result for a renderer. Nothing is printed.
import { isAbsolute, resolve } from 'node:path';
import { Requirements, type Severity, SvmError, loadDocument } from '@svm/core';
import { type ApplyOptions, type ApplyPlan, applyPlan, planApply } from '../apply/apply.js';
import { createVaultClient } from '../apply/client.js';
import { type ApplyDocument, applyDocument, vaultConnection } from '../apply/report.js';
import { type LintReport, type LintSource, lintFiles } from '../lint/lint.js';
import { findLintSources, lintExitCode, lintFindingJson } from '../lint/sources.js';
import type { ReadPolicyInput } from '../queries/from-flags.js';
import { type RequirementsSourceFlags, requirementsFromShortcut } from './from-flags.js';
import {
  type GenerateDocument,
  type StaleFile,
  generateDocument,
  renderGenerateSummary,
  renderGeneratedFiles,
  renderStaleFiles,
  staleGeneratedFiles,
  writeGeneratedFiles,
} from './output.js';
import { generateConfig } from './plan.js';
import { parseTargets, renderTargets } from './targets.js';

/** The flags of `svm policy generate`. */
export interface GenerateFlags extends RequirementsSourceFlags {
  /** Targets, comma-separated or repeated (default `hcl`, `vault-script`). */
  format?: string[] | undefined;
  /** Write the files under this directory instead of printing them. */
  out?: string | undefined;
  /** With `out`: write nothing, report the files there that differ from what would be generated. */
  check?: boolean | undefined;
}

/** The flags of `svm policy lint`. */
export interface LintFlags {
  failOn: Severity | 'none';
  kv2Mount?: string[] | undefined;
  flavor?: 'vault' | 'openbao' | undefined;
}

/** The flags of `svm policy apply`. */
export interface ApplyFlags extends RequirementsSourceFlags {
  address?: string | undefined;
  vaultNamespace?: string | undefined;
  dryRun?: boolean | undefined;
}

/** A generation's document and exit code, and its text (the files, what was written, or what is out of date). */
export interface GenerateOutcome {
  data: GenerateDocument & { upToDate?: boolean; stale?: StaleFile[] };
  /** 1 under `check` when the files under `out` are out of date. */
  exitCode: 0 | 1;
  text(): string;
}

/**
 * The requirements a command names: the `--app-name`/`--auth-method`/`--secrets` shortcut, else the file (YAML or
 * JSON) read through `read` and validated.
 *
 * @example
 * ```ts
 * await loadRequirementsFrom('requirements.yaml', {}, read); // Requirements
 * ```
 */
export async function loadRequirementsFrom(
  file: string | undefined,
  flags: RequirementsSourceFlags,
  read: ReadPolicyInput,
): Promise<Requirements> {
  const shortcut = requirementsFromShortcut(file, flags);
  if (shortcut) return shortcut;
  const { text, name } = await read(file as string);
  return loadDocument(text, { file: name }, Requirements);
}

/**
 * `svm policy generate` as one call: the targets checked, the requirements loaded, the configuration generated
 * (its warnings to `warn`), then the files printed (no `out`), compared with those under `out` (`check`), or written
 * there. `check` without `out` is a `USAGE` error.
 *
 * @example
 * ```ts
 * const out = await generateFromFlags('requirements.yaml', { format: ['all'], out: 'generated' }, { cwd, read });
 * out.data.files.length;
 * ```
 */
export async function generateFromFlags(
  file: string | undefined,
  flags: GenerateFlags,
  io: { cwd: string; read: ReadPolicyInput; warn?: ((message: string) => void) | undefined },
): Promise<GenerateOutcome> {
  const targets = parseTargets(flags.format ?? ['hcl', 'vault-script']);
  const requirements = await loadRequirementsFrom(file, flags, io.read);
  const config = generateConfig(requirements);
  for (const w of config.warnings) io.warn?.(w);
  const files = renderTargets(config, targets);
  const data = generateDocument(requirements, config, files);
  const out = flags.out;
  if (out === undefined) {
    if (flags.check) throw new SvmError('USAGE', '--check compares with the files under --out <dir>; give --out');
    return { data, exitCode: 0, text: () => renderGeneratedFiles(files) };
  }
  const paths = files.map((f) => ({ target: f.target, path: f.path }));
  const dir = resolveFrom(io.cwd, out);
  if (flags.check) {
    const stale = await staleGeneratedFiles(dir, files);
    return {
      data: { ...data, out, files: paths, upToDate: stale.length === 0, stale },
      exitCode: stale.length === 0 ? 0 : 1,
      text: () => renderStaleFiles(stale, files.length, out),
    };
  }
  await writeGeneratedFiles(dir, files);
  return { data: { ...data, out, files: paths }, exitCode: 0, text: () => renderGenerateSummary(config, files, out) };
}

function resolveFrom(cwd: string, path: string): string {
  return isAbsolute(path) ? path : resolve(cwd, path);
}

/**
 * `svm policy lint` as one call: each path a directory (its lintable files, found with {@link findLintSources}) or
 * a file read through `read`, linted together. Returns the report, its JSON document and the exit code at
 * `failOn`; no lintable file at all is a `USAGE` error.
 *
 * @example
 * ```ts
 * const { exitCode } = await lintFromFlags(['policies/'], { failOn: 'high' }, { cwd, read, isDirectory });
 * ```
 */
export async function lintFromFlags(
  paths: readonly string[],
  flags: LintFlags,
  io: { cwd: string; read: ReadPolicyInput; isDirectory: (path: string) => Promise<boolean> },
): Promise<{ report: LintReport; data: { findings: Record<string, unknown>[] }; exitCode: 0 | 1 | 2 }> {
  const sources: LintSource[] = [];
  for (const p of paths) {
    if (p !== '-' && (await io.isDirectory(p)))
      sources.push(...(await findLintSources(resolveFrom(io.cwd, p), { shownAs: p })));
    else sources.push(await io.read(p).then(({ text, name }) => ({ file: name, text })));
  }
  if (sources.length === 0)
    throw new SvmError('USAGE', `no policy files (.hcl, .json, .yaml, .tf) found in ${paths.join(', ')}`);
  const report = await lintFiles(sources, { kv2Mounts: flags.kv2Mount, flavor: flags.flavor });
  return {
    report,
    data: { findings: report.findings.map(lintFindingJson) },
    exitCode: lintExitCode(report, flags.failOn),
  };
}

/**
 * `svm policy apply` as one call: the server from the flags and the environment, the configuration generated from
 * the requirements (its warnings to `warn`), the difference read from the server, and unless `dryRun` the objects
 * created or updated (credentials read through `resolveSecret`). Progress lines go to `log`.
 *
 * @example
 * ```ts
 * const { data } = await applyFromFlags('requirements.yaml', { dryRun: true }, { env: process.env, read });
 * data.summary;
 * ```
 */
export async function applyFromFlags(
  file: string | undefined,
  flags: ApplyFlags,
  io: {
    env: Record<string, string | undefined>;
    read: ReadPolicyInput;
    log?: ((message: string) => void) | undefined;
    warn?: ((message: string) => void) | undefined;
    resolveSecret?: ApplyOptions['resolveSecret'];
  },
): Promise<{ plan: ApplyPlan; data: ApplyDocument }> {
  const connection = vaultConnection(io.env, { address: flags.address, namespace: flags.vaultNamespace });
  const config = generateConfig(await loadRequirementsFrom(file, flags, io.read));
  for (const w of config.warnings) io.warn?.(w);
  const api = createVaultClient(connection);
  const { address } = connection;
  io.log?.(
    `Reading ${config.engines.length} engine objects, ${config.policies.length} policies and ${config.roles.length} auth roles from ${address}…`,
  );
  const plan = await planApply(config, api);
  let written = 0;
  if (!flags.dryRun && plan.summary.create + plan.summary.update > 0) {
    io.log?.(`Writing ${plan.summary.create + plan.summary.update} objects…`);
    written = (await applyPlan(plan, api, { resolveSecret: io.resolveSecret })).written;
  }
  return { plan, data: applyDocument(plan, { address, dryRun: Boolean(flags.dryRun), written }) };
}

// `svm policy eval`, `explain`, `who-can` and `diff` as one call each: the flags as a command line gives them,
// the files read through the caller's `read`, the result for a renderer. Nothing is printed.
import { isAbsolute, resolve } from 'node:path';
import {
  type Operation,
  type Policy,
  type PolicyDiffEntry,
  type PolicyEvalResult,
  type PolicyFlavor,
  Requirements,
  SvmError,
  loadDocument,
} from '@svm/core';
import { compilePolicies } from '../engine/compile.js';
import { loadPolicies } from '../parse/load-policies.js';
import { diffPolicies } from './diff.js';
import { type Decision, type Explanation, evaluate, explain } from '../engine/evaluate.js';
import { evaluateCases, parseEvalCases } from './eval-cases.js';
import {
  type PolicyDiffReport,
  type WhoCanReport,
  diffPolicySets,
  loadPolicySet,
  pathsFromList,
  requestFromText,
  requirementPaths,
  toEvalResult,
  whoCanReport,
} from './policy-set.js';

/** Reads a file a user named (`-` may be standard input): its text and the name to show in messages. */
export type ReadPolicyInput = (file: string) => Promise<{ text: string; name: string }>;

/** Where the files of a query come from: the user's directory and how to read a file. */
export interface PolicyQueryIo {
  /** Relative policy paths resolve from here. */
  cwd: string;
  read: ReadPolicyInput;
}

/** The policy-set flags of the queries: `--policy` paths, `--flavor`, `--with-default`. */
export interface PolicySetFlags {
  policy?: string[] | undefined;
  flavor?: PolicyFlavor | undefined;
  withDefault?: boolean | undefined;
}

/** A request given as flags: `--path`, `--op`, `--data` (JSON), `--wrap-ttl`. */
export interface RequestFlags extends PolicySetFlags {
  path?: string | undefined;
  op?: Operation | undefined;
  data?: string | undefined;
  wrapTtl?: string | undefined;
}

/** The flags of `svm policy eval`: one request, or `--batch` NDJSON cases. */
export interface EvalFlags extends RequestFlags {
  batch?: string | undefined;
}

/** The flags of `svm policy who-can`: a request, and `--requirements` for the generated roles. */
export interface WhoCanFlags extends RequestFlags {
  requirements?: string | undefined;
}

/** The flags of `svm policy diff`. */
export interface PolicyDiffFlags {
  before: string[];
  after: string[];
  path?: string[] | undefined;
  pathsFile?: string[] | undefined;
  auditLog?: string[] | undefined;
  requirements?: string[] | undefined;
  flavor?: PolicyFlavor | undefined;
  withDefault?: boolean | undefined;
  all?: boolean | undefined;
}

/** What {@link evalFromFlags} decided: the batch's results, or one decision and its result document. */
export type EvalOutcome =
  | { batch: PolicyEvalResult[] }
  | { batch?: undefined; decision: Decision; result: PolicyEvalResult };

function loadSet(flags: PolicySetFlags, paths: string[] | undefined, label: string, cwd: string): Promise<Policy[]> {
  return loadPolicySet(paths, { cwd, flavor: flags.flavor, withDefault: flags.withDefault, label });
}

/** Read and validate a requirements file (YAML or JSON). */
async function readRequirements(io: PolicyQueryIo, file: string): Promise<Requirements> {
  const { text, name } = await io.read(file);
  return loadDocument(text, { file: name }, Requirements);
}

/**
 * `svm policy eval` as one call: check the flags (`--batch` excludes `--path`, `--data` and `--wrap-ttl`; without
 * it `--path` is needed), load `--policy`, and decide the request or every case of the batch file.
 *
 * @example
 * ```ts
 * const out = await evalFromFlags({ policy: ['policies/'], path: 'secret/data/app/db' }, { cwd: '.', read });
 * if (!out.batch) out.result.allowed;
 * ```
 */
export async function evalFromFlags(flags: EvalFlags, io: PolicyQueryIo): Promise<EvalOutcome> {
  if (
    flags.batch !== undefined &&
    (flags.path !== undefined || flags.data !== undefined || flags.wrapTtl !== undefined)
  )
    throw new SvmError(
      'USAGE',
      '--batch takes the path, op, data and wrapTtl from each line; do not combine it with --path, --data or --wrap-ttl',
    );
  if (flags.batch === undefined && flags.path === undefined)
    throw new SvmError('USAGE', 'give --path <path> (or --batch <cases.ndjson>)');
  const request = requestFromText({ ...flags, path: flags.path as string });
  const acl = compilePolicies(await loadSet(flags, flags.policy, '--policy', io.cwd), { flavor: flags.flavor });
  if (flags.batch !== undefined) {
    const { text, name } = await io.read(flags.batch);
    return { batch: evaluateCases(acl, parseEvalCases(text, name)) };
  }
  const decision = evaluate(acl, request);
  return { decision, result: toEvalResult(decision, request.path) };
}

/**
 * `svm policy explain` as one call: load `--policy` and explain how the request is decided.
 *
 * @example
 * ```ts
 * (await explainFromFlags({ policy: ['policies/'], path: 'sys/mounts', op: 'read' }, { cwd: '.', read })).allowed;
 * ```
 */
export async function explainFromFlags(
  flags: RequestFlags,
  io: PolicyQueryIo,
): Promise<Decision & { explanation: Explanation }> {
  const request = requestFromText({ ...flags, path: flags.path as string });
  const policies = await loadSet(flags, flags.policy, '--policy', io.cwd);
  return explain(compilePolicies(policies, { flavor: flags.flavor }), request);
}

/**
 * `svm policy who-can` as one call: which loaded policies (each on its own, with the default policy under
 * `--with-default`) allow the request, and with `--requirements` which generated auth roles do.
 *
 * @example
 * ```ts
 * (await whoCanFromFlags({ policy: ['policies/'], path: 'sys/audit' }, { cwd: '.', read })).allowed; // ['admin']
 * ```
 */
export async function whoCanFromFlags(flags: WhoCanFlags, io: PolicyQueryIo): Promise<WhoCanReport> {
  const request = requestFromText({ ...flags, path: flags.path as string });
  const policies = await loadSet({ ...flags, withDefault: false }, flags.policy, '--policy', io.cwd);
  const requirements = flags.requirements === undefined ? undefined : await readRequirements(io, flags.requirements);
  return whoCanReport(policies, request, { flavor: flags.flavor, withDefault: flags.withDefault, requirements });
}

/**
 * `svm policy diff` as one call: load `--before` and `--after`, gather the paths to compare (`--path`,
 * `--paths-file`, `--audit-log` through `auditPaths`, `--requirements`; sample paths of both sets when none) and
 * diff the effective permissions. `sampled` says the paths were sampled.
 *
 * @example
 * ```ts
 * const { report } = await diffFromFlags({ before: ['old/'], after: ['new/'] }, { cwd: '.', read });
 * report.changed;
 * ```
 */
export async function diffFromFlags(
  flags: PolicyDiffFlags,
  io: PolicyQueryIo & { auditPaths?: ((file: string) => Promise<string[]>) | undefined },
): Promise<{ report: PolicyDiffReport; sampled: boolean }> {
  const before = await loadSet(flags, flags.before, '--before', io.cwd);
  const after = await loadSet(flags, flags.after, '--after', io.cwd);
  const paths: string[] = [...(flags.path ?? [])];
  for (const f of flags.pathsFile ?? []) paths.push(...pathsFromList((await io.read(f)).text));
  for (const f of flags.auditLog ?? []) {
    if (!io.auditPaths) throw new SvmError('USAGE', '--audit-log needs an audit log reader');
    paths.push(...(await io.auditPaths(f)));
  }
  for (const f of flags.requirements ?? []) paths.push(...requirementPaths(await readRequirements(io, f)));
  const report = diffPolicySets(before, after, { paths, flavor: flags.flavor, all: flags.all });
  return { report, sampled: paths.length === 0 };
}

/**
 * The effective permissions that changed between two policy folders on the given request paths (`svm audit report
 * --type drift --policies <old> <new>`: the paths the logs show being used). Only paths with a capability added or
 * removed are returned.
 *
 * @example
 * ```ts
 * await changedPermissions(['policies-old/', 'policies/'], ['secret/data/app/db'], { cwd: process.cwd() });
 * // [{ path: 'secret/data/app/db', added: ['update'], removed: [], … }]
 * ```
 */
export async function changedPermissions(
  dirs: readonly [string, string],
  paths: readonly string[],
  options: { cwd: string },
): Promise<PolicyDiffEntry[]> {
  const at = (dir: string) => (isAbsolute(dir) ? dir : resolve(options.cwd, dir));
  const before = await loadPolicies([at(dirs[0])]);
  const after = await loadPolicies([at(dirs[1])]);
  return diffPolicies(before, after, paths).filter((d) => d.added.length > 0 || d.removed.length > 0);
}

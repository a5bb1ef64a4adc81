import {
  type Operation,
  type Policy,
  type PolicyDiffEntry,
  type PolicyEvalResult,
  type PolicyFlavor,
  type Requirements,
  SvmError,
  parseDurationSeconds,
} from '@svm/core';
import { defaultPolicyHcl } from '../engine/default-policy.js';
import type { Decision, EvaluationRequest } from '../engine/evaluate.js';
import { generateConfig } from '../generate/plan.js';
import { loadShown } from '../internal/load-shown.js';
import { parsePolicy } from '../parse/parse-policy.js';
import { diffPolicies } from './diff.js';
import { samplePaths } from './sample-paths.js';
import { type RoleWhoCanEntry, type WhoCanEntry, whoCan, whoCanRoles } from './who-can.js';

/** Options of {@link loadPolicySet}. */
export interface LoadPolicySetOptions {
  /** Relative paths resolve from here, and files below it are named relative to it (default `process.cwd()`). */
  cwd?: string | undefined;
  flavor?: PolicyFlavor | undefined;
  /** Add Vault's built-in `default` policy (file `<built-in default>`) unless a loaded one is named `default`. */
  withDefault?: boolean | undefined;
  /** How the set is named in errors, e.g. the flag `--before` (default `policies`). */
  label?: string | undefined;
}

/**
 * Load a set of policies a user named (files and directories), for the queries: at least one policy, files named
 * relative to `cwd` in the policies and in errors, optionally with the built-in `default` policy. Throws `USAGE`
 * when no path or no policy file is given, and the errors of {@link loadPolicies}.
 *
 * @example
 * ```ts
 * const policies = await loadPolicySet(['policies/'], { cwd: process.cwd(), withDefault: true });
 * ```
 */
export async function loadPolicySet(
  paths: readonly string[] | undefined,
  options: LoadPolicySetOptions = {},
): Promise<Policy[]> {
  const label = options.label ?? 'policies';
  if (!paths?.length) throw new SvmError('USAGE', `${label} is required (a policy file or a directory of policies)`);
  const flavor = options.flavor ?? 'vault';
  const loaded = await loadShown(paths, options.cwd ?? process.cwd(), flavor);
  if (loaded.length === 0)
    throw new SvmError('USAGE', `${label}: no .hcl or .json policy files in ${paths.join(', ')}`);
  if (options.withDefault && !loaded.some((p) => p.name === 'default')) {
    loaded.push(parsePolicy(defaultPolicyHcl(flavor), { name: 'default', file: '<built-in default>' }));
  }
  return loaded;
}

/**
 * Request parameters given as JSON text: a JSON object, or `USAGE` naming `where` (e.g. the flag `--data`).
 *
 * @example
 * ```ts
 * parseRequestData('{"ttl":"1h"}', '--data'); // { ttl: '1h' }
 * ```
 */
export function parseRequestData(text: string | undefined, where: string): Record<string, unknown> | undefined {
  if (text === undefined) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (cause) {
    throw new SvmError('USAGE', `${where}: expected a JSON object, got invalid JSON (${(cause as Error).message})`);
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value))
    throw new SvmError('USAGE', `${where}: expected a JSON object such as {"ttl":"1h"}`);
  return value as Record<string, unknown>;
}

/**
 * A response-wrapping TTL given as seconds or a duration (`300`, `5m`), or `USAGE` naming `where`.
 *
 * @example
 * ```ts
 * parseWrapTtl('5m', '--wrap-ttl'); // 300
 * ```
 */
export function parseWrapTtl(text: string | undefined, where: string): number | undefined {
  if (text === undefined) return undefined;
  try {
    return parseDurationSeconds(text);
  } catch {
    throw new SvmError('USAGE', `${where}: expected seconds or a duration such as 300 or 5m, got '${text}'`);
  }
}

/**
 * A request from the text a user typed: path, operation (default `read`), JSON parameters and wrapping TTL; errors
 * name the flags `--data` and `--wrap-ttl`.
 *
 * @example
 * ```ts
 * requestFromText({ path: 'secret/data/a', data: '{"x":1}' }); // { path, operation: 'read', data: { x: 1 }, wrapTtl: undefined }
 * ```
 */
export function requestFromText(input: {
  path: string;
  op?: Operation | undefined;
  data?: string | undefined;
  wrapTtl?: string | undefined;
}): EvaluationRequest & { data: Record<string, unknown> | undefined; wrapTtl: number | undefined } {
  return {
    path: input.path,
    operation: input.op ?? 'read',
    data: parseRequestData(input.data, '--data'),
    wrapTtl: parseWrapTtl(input.wrapTtl, '--wrap-ttl'),
  };
}

/**
 * A decision as the published `svm policy eval` result; `path` echoes the request as given, so callers can join
 * results to their cases.
 *
 * @example
 * ```ts
 * toEvalResult(evaluate(acl, { path: 'secret/data/a', operation: 'read' }), 'secret/data/a');
 * ```
 */
export function toEvalResult(d: Decision, path: string): PolicyEvalResult {
  const by = d.decidedBy && {
    policy: d.decidedBy.policy,
    pattern: d.decidedBy.pattern,
    capabilities: d.decidedBy.capabilities,
  };
  return { path, op: d.operation, allowed: d.allowed, sudo: d.sudo, capabilities: d.capabilities, decidedBy: by };
}

/** The `svm policy who-can` document: which policies (and generated roles) allow a request. */
export interface WhoCanReport {
  path: string;
  op: Operation;
  /** The names of the policies that allow it. */
  allowed: string[];
  policies: WhoCanEntry[];
  /** Each auth role generated from `requirements`, with all its token policies (only with requirements). */
  roles?: RoleWhoCanEntry[];
}

/**
 * Who can make a request: each policy on its own (with `withDefault`, together with the built-in `default`
 * policy unless one is loaded), and with `requirements`, each auth role generated from them.
 *
 * @example
 * ```ts
 * whoCanReport(policies, { path: 'secret/data/app/db', operation: 'read' }, { withDefault: true }).allowed;
 * ```
 */
export function whoCanReport(
  policies: readonly Policy[],
  request: EvaluationRequest,
  options: { flavor?: PolicyFlavor; withDefault?: boolean; requirements?: Requirements | undefined } = {},
): WhoCanReport {
  const flavor = options.flavor ?? 'vault';
  const along =
    options.withDefault && !policies.some((p) => p.name === 'default')
      ? [parsePolicy(defaultPolicyHcl(flavor), { name: 'default' })]
      : [];
  const entries = whoCan(policies, request, { flavor, alongWith: along });
  const roles =
    options.requirements === undefined
      ? undefined
      : whoCanRoles(generateConfig(options.requirements).roles, policies, request, { flavor });
  return {
    path: request.path,
    op: request.operation,
    allowed: entries.filter((e) => e.allowed).map((e) => e.policy),
    policies: entries,
    ...(roles ? { roles } : {}),
  };
}

/** The `svm policy diff` document: how many paths were compared and changed, and the entries shown. */
export interface PolicyDiffReport {
  paths: number;
  changed: number;
  entries: PolicyDiffEntry[];
}

/**
 * The effective-permission change between two policy sets on `paths` (none given: sample paths under every
 * pattern of both sets). `entries` holds the changed paths, or with `all` every path.
 *
 * @example
 * ```ts
 * diffPolicySets(before, after, { paths: ['secret/data/app/db'] }).changed; // 0 or 1
 * ```
 */
export function diffPolicySets(
  before: readonly Policy[],
  after: readonly Policy[],
  options: { paths?: readonly string[]; flavor?: PolicyFlavor; all?: boolean | undefined } = {},
): PolicyDiffReport {
  const paths = options.paths?.length ? [...options.paths] : samplePaths([...before, ...after]);
  const entries = diffPolicies(before, after, paths, { flavor: options.flavor ?? 'vault' });
  const changed = entries.filter((e) => e.added.length || e.removed.length);
  return { paths: entries.length, changed: changed.length, entries: options.all ? entries : changed };
}

/**
 * Paths from a text with one per line; blank lines and `#` comments are skipped.
 *
 * @example
 * ```ts
 * pathsFromList('secret/data/a\n# note\n\nsys/mounts\n'); // ['secret/data/a', 'sys/mounts']
 * ```
 */
export function pathsFromList(text: string): string[] {
  return text
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '' && !l.startsWith('#'));
}

/**
 * Every path the generator grants for `requirements` (each once): what a policy change should be checked on.
 *
 * @example
 * ```ts
 * diffPolicySets(before, after, { paths: requirementPaths(requirements) });
 * ```
 */
export function requirementPaths(requirements: Requirements): string[] {
  return [...new Set(generateConfig(requirements).probes.map((p) => p.path))];
}

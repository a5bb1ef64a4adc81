import type { Capability, DecidedBy, Operation } from '@svm/core';
import { CAP_BIT } from './capability-bits.js';
import type { AclEntry, CompiledAcl, RuleKind, RuleSource } from './compile.js';
import { checkParameters } from './parameters.js';
import { priorityLossReason } from './priority.js';

/**
 * A request to check, as Vault's ACL sees it.
 *
 * @example
 * ```ts
 * const request: EvaluationRequest = { path: 'auth/token/create', operation: 'update', data: { ttl: '15m' } };
 * ```
 */
export interface EvaluationRequest {
  path: string;
  operation: Operation;
  /** Request parameters (body, or query string of a GET). */
  data?: Record<string, unknown> | undefined;
  /** Response-wrapping TTL in seconds; unset or 0 means the request is not wrapped. */
  wrapTtl?: number | undefined;
}

/** Which lookup step found the deciding rule. */
export type LookupStep = 'exact' | 'exact-trimmed' | 'non-exact' | 'non-exact-trimmed';

/** Why a request was allowed or refused. */
export type DecisionReason =
  | 'root'
  | 'help'
  | 'allowed'
  | 'no-matching-rule'
  | 'explicit-deny'
  | 'missing-capability'
  | 'unsupported-operation'
  | 'wrapping-required'
  | 'wrapping-ttl-too-long'
  | 'wrapping-ttl-too-short'
  | 'wrapping-ttl-conflict'
  | 'required-parameter-missing'
  | 'parameter-denied'
  | 'parameter-not-allowed'
  | 'pagination-limit';

/** A rule that matched the path, and whether it decided or why it lost. */
export interface Candidate {
  pattern: string;
  kind: RuleKind;
  /** Policies whose blocks with this pattern were merged into the rule. */
  policies: string[];
  sources: RuleSource[];
  capabilities: Capability[];
  /** The path the lookup step used (LIST also looks at the path without its trailing `/`). */
  lookupPath: string;
  outcome: 'decided' | 'lost' | 'not-reached';
  why: string;
}

/** How the decision was reached: each lookup step tried, and every matching rule. */
export interface Explanation {
  steps: { step: LookupStep; lookupPath: string; matched: string | null }[];
  candidates: Candidate[];
}

/**
 * The answer for one request.
 *
 * @example
 * ```ts
 * const d: Decision = evaluate(acl, { path: 'sys/seal', operation: 'update' });
 * if (!d.allowed) console.error(d.message, d.decidedBy);
 * ```
 */
export interface Decision {
  /** The path as looked up (leading `/` removed). */
  path: string;
  operation: Operation;
  allowed: boolean;
  /** Whether the deciding rule grants `sudo` (Vault's RootPrivs), reported even when the operation is refused. */
  sudo: boolean;
  /**
   * What `sys/capabilities` (`vault token capabilities`) returns for the request path, whatever the
   * operation: the LIST-style lookup of {@link capabilities} (`["deny"]` when none, `["root"]` for root).
   * The deciding rule's own capabilities are in `decidedBy.capabilities`. Shared and frozen.
   */
  capabilities: Capability[];
  /** The policy, pattern and own capabilities of the rule that decided; `null` when no rule matched (or root / help). */
  decidedBy: DecidedBy | null;
  /** Every policy that contributed a block to the deciding rule. */
  policies: string[];
  step: LookupStep | null;
  reason: DecisionReason;
  /** One human sentence. */
  message: string;
  /** Present when asked for (`explain()` or `{ explain: true }`). */
  explanation?: Explanation;
}

/** Options for {@link evaluate}. */
export interface EvaluateOptions {
  /** Also list every matching rule and why it lost (slower; off by default). */
  explain?: boolean | undefined;
}

const OP_CAP: Record<Operation, number> = {
  read: CAP_BIT.read,
  list: CAP_BIT.list,
  update: CAP_BIT.update,
  delete: CAP_BIT.delete,
  create: CAP_BIT.create,
  patch: CAP_BIT.patch,
  revoke: CAP_BIT.update,
  renew: CAP_BIT.update,
  rollback: CAP_BIT.update,
  recover: CAP_BIT.recover,
  scan: CAP_BIT.scan,
  help: 0,
};

function normalizePath(path: string): string {
  let i = 0;
  while (i < path.length && path.charCodeAt(i) === 47) i++;
  return i === 0 ? path : path.slice(i);
}

const rankOf = (e: AclEntry): number => e.rank;
const DENY = Object.freeze(['deny']) as unknown as Capability[];
const NONE = Object.freeze([]) as unknown as string[];

/** The single non-exact rule Vault picks for `path` (longest `*` prefix vs every matching `+` rule). */
function nonExact(acl: CompiledAcl, path: string): AclEntry | undefined {
  const prefix = acl.prefix.longestPrefix(path)?.value;
  // Rule 1 of the contest: a later first wildcard wins, so no `+` rule can beat a longer prefix.
  if (acl.segmentCount === 0 || (prefix && prefix.pattern.length - 1 > acl.maxSegmentFirstWildcard)) return prefix;
  return acl.segment.best(path, prefix, rankOf);
}

interface StepPlan {
  step: LookupStep;
  lookupPath: string;
}

/** The lookup steps for an operation, in the flavor's order (vault/acl.go AllowOperation). */
function plan(acl: CompiledAcl, path: string, op: Operation): StepPlan[] {
  const steps: StepPlan[] = [{ step: 'exact', lookupPath: path }];
  const trimmed = path.endsWith('/') ? path.slice(0, -1) : path;
  const listLike = op === 'list' || (acl.flavor === 'openbao' && op === 'scan');
  if (listLike) steps.push({ step: 'exact-trimmed', lookupPath: trimmed });
  const trimmedStep: StepPlan[] =
    op === 'list' && path.endsWith('/') ? [{ step: 'non-exact-trimmed', lookupPath: trimmed }] : [];
  if (acl.flavor === 'vault') steps.push(...trimmedStep, { step: 'non-exact', lookupPath: path });
  else steps.push({ step: 'non-exact', lookupPath: path }, ...trimmedStep);
  return steps;
}

function find(acl: CompiledAcl, s: StepPlan): AclEntry | undefined {
  return s.step === 'exact' || s.step === 'exact-trimmed' ? acl.exact.get(s.lookupPath) : nonExact(acl, s.lookupPath);
}

/** Set by {@link lookup}: the step that found the entry it returned (avoids a result object per call). */
let lastStep: LookupStep = 'exact';

/** The deciding rule for a path and operation (the hot path: allocates only looked-up segment strings). */
function lookup(acl: CompiledAcl, path: string, op: Operation): AclEntry | undefined {
  const exact = acl.exact.get(path);
  if (exact) {
    lastStep = 'exact';
    return exact;
  }
  const isList = op === 'list';
  const slash = path.endsWith('/');
  if (slash && (isList || (op === 'scan' && acl.flavor === 'openbao'))) {
    const t = acl.exact.get(path.slice(0, -1));
    if (t) {
      lastStep = 'exact-trimmed';
      return t;
    }
  }
  if (isList && slash) {
    const trimmed = path.slice(0, -1);
    const [first, second] = acl.flavor === 'vault' ? [trimmed, path] : [path, trimmed];
    const a = nonExact(acl, first);
    if (a) {
      lastStep = first === trimmed ? 'non-exact-trimmed' : 'non-exact';
      return a;
    }
    const b = nonExact(acl, second);
    lastStep = second === trimmed ? 'non-exact-trimmed' : 'non-exact';
    return b;
  }
  lastStep = 'non-exact';
  return nonExact(acl, path);
}

/**
 * What `sys/capabilities` (and `vault token capabilities`) returns for a path: the rule found by a
 * LIST-style lookup (so the trailing-`/` fallbacks apply), ignoring parameters, wrapping and the
 * operation; sorted alphabetically; `["deny"]` when deny is set or nothing matches; `["root"]` for root.
 * It can differ from {@link evaluate}'s answer for a given operation (e.g. `read` on `foo/` does not get
 * LIST's fallbacks, and parameter or wrapping constraints can still refuse the request).
 * The returned array is shared and frozen: copy it before changing it.
 *
 * @example
 * ```ts
 * capabilities(acl, 'secret/data/app/db'); // ['list', 'read']
 * ```
 */
export function capabilities(acl: CompiledAcl, path: string): Capability[] {
  if (acl.root) return ['root'];
  const found = lookup(acl, normalizePath(path), 'list');
  return found ? (found.capabilityList as Capability[]) : ['deny'];
}

/**
 * Decide one request exactly as Vault's `ACL.AllowOperation` does: exact rule, LIST's trailing-slash
 * fallbacks, then the single highest-priority non-exact rule (only its capabilities count); then the
 * operation's capability (revoke/renew/rollback need `update`, help is always allowed), wrapping TTLs
 * (`max_wrapping_ttl` alone forces wrapping) and parameter checks (read/create/update/patch).
 * `sudo` reports whether the deciding rule grants sudo even when the operation is refused.
 * A LIST path gets a trailing `/` first, as Vault's HTTP layer adds one to every LIST request.
 *
 * @example
 * ```ts
 * const d = evaluate(acl, { path: 'secret/data/app/db', operation: 'read' });
 * d.allowed; d.decidedBy; // true, { policy: 'app', pattern: 'secret/data/app/*' }
 * ```
 */
export function evaluate(acl: CompiledAcl, request: EvaluationRequest, options?: EvaluateOptions): Decision {
  const op = request.operation;
  // Vault's HTTP layer always appends `/` to a LIST path (http/logical.go); the ACL sees it that way.
  const normalized = normalizePath(request.path);
  const path = op === 'list' && !normalized.endsWith('/') ? `${normalized}/` : normalized;
  const decision = decide(acl, path, normalized, op, request);
  if (options?.explain) decision.explanation = explainLookup(acl, path, op, decision);
  return decision;
}

/**
 * {@link evaluate} with the explanation: each lookup step, every rule that matched, which one decided
 * and why each other one lost.
 *
 * @example
 * ```ts
 * explain(acl, { path: 'secret/app/x', operation: 'read' }).explanation?.candidates.map((c) => `${c.pattern}: ${c.why}`);
 * ```
 */
export function explain(acl: CompiledAcl, request: EvaluationRequest): Decision & { explanation: Explanation } {
  return evaluate(acl, request, { explain: true }) as Decision & { explanation: Explanation };
}

/** The deciding rule: the policy, the merged pattern, and that policy's block's file and position when known. */
function decidedBy(entry: AclEntry, policy: string, capabilities: Capability[]): DecidedBy {
  // A loop, not find(): no closure per call on the hot path.
  const sources = entry.sources;
  let source: RuleSource | undefined;
  for (let i = 0; i < sources.length; i++) {
    if ((sources[i] as RuleSource).policy === policy) {
      source = sources[i];
      break;
    }
  }
  if (source?.file === undefined || source.position === undefined)
    return { policy, pattern: entry.pattern, capabilities };
  return { policy, pattern: entry.pattern, capabilities, file: source.file, position: source.position };
}

/** One object shape for every outcome (V8 keeps it monomorphic; object spread here was the hot spot). */
function result(
  path: string,
  operation: Operation,
  allowed: boolean,
  sudo: boolean,
  capabilities: Capability[],
  decidedBy: DecidedBy | null,
  policies: string[],
  step: LookupStep | null,
  reason: DecisionReason,
  message: string,
): Decision {
  return { path, operation, allowed, sudo, capabilities, decidedBy, policies, step, reason, message };
}

const ROOT = Object.freeze(['root']) as unknown as Capability[];
const ROOT_POLICIES = Object.freeze(['root']) as unknown as string[];

/**
 * `path` is the ACL lookup path (LIST gets a trailing `/`); `requestPath` the path as asked (leading `/`
 * removed), for which `capabilities` reports what sys/capabilities would say.
 */
/** A refused request (a plain function: a closure per call was a hot spot). */
function refusal(
  path: string,
  op: Operation,
  sudo: boolean,
  listCaps: Capability[],
  entry: AclEntry,
  policy: string,
  policies: string[],
  step: LookupStep | null,
  reason: DecisionReason,
  message: string,
): Decision {
  return result(
    path,
    op,
    false,
    sudo,
    listCaps,
    decidedBy(entry, policy, entry.capabilityList as Capability[]),
    policies,
    step,
    reason,
    message,
  );
}

function decide(
  acl: CompiledAcl,
  path: string,
  requestPath: string,
  op: Operation,
  request: EvaluationRequest,
): Decision {
  if (acl.root) {
    return result(path, op, true, true, ROOT, null, ROOT_POLICIES, null, 'root', 'the root policy allows everything');
  }
  const entry = lookup(acl, path, op === 'help' ? 'read' : op);
  const step = entry ? lastStep : null;
  const caps = entry ? (entry.capabilityList as Capability[]) : DENY;
  // sys/capabilities runs a LIST lookup on the request path. Without a trailing `/` that is the lookup just
  // done for any operation but LIST (which looked up `path/`); otherwise look it up.
  const sameLookup = op === 'list' ? path === requestPath : requestPath.charCodeAt(requestPath.length - 1) !== 47;
  let listCaps = caps;
  if (!sameLookup) {
    const l = lookup(acl, requestPath, 'list');
    listCaps = l ? (l.capabilityList as Capability[]) : DENY;
  }
  const policies = entry ? (entry.policyList as string[]) : NONE;
  if (op === 'help')
    return result(path, op, true, false, listCaps, null, policies, step, 'help', 'help requests are always allowed');
  if (!entry)
    return result(
      path,
      op,
      false,
      false,
      listCaps,
      null,
      NONE,
      null,
      'no-matching-rule',
      `no rule matches "${path}" (deny by default)`,
    );
  const sudo = (entry.bits & CAP_BIT.sudo) !== 0;
  const firstPolicy = entry.firstPolicy;
  const bit = OP_CAP[op];
  const supported =
    bit !== 0 && !(op === 'recover' && acl.flavor !== 'vault') && !(op === 'scan' && acl.flavor !== 'openbao');
  if (!supported)
    return refusal(
      path,
      op,
      sudo,
      listCaps,
      entry,
      firstPolicy,
      policies,
      step,
      'unsupported-operation',
      `operation "${op}" is not supported by ${acl.flavor}`,
    );
  if (entry.bits & CAP_BIT.deny)
    return refusal(
      path,
      op,
      sudo,
      listCaps,
      entry,
      entry.denyPolicy ?? firstPolicy,
      policies,
      step,
      'explicit-deny',
      `"${entry.pattern}" denies`,
    );
  if (!(entry.bits & bit)) {
    // The message depends only on the rule and the operation: built once per pair.
    let message = entry.missingMessages[op];
    if (message === undefined) {
      const need = op === 'revoke' || op === 'renew' || op === 'rollback' ? 'update' : op;
      message = entry.missingMessages[op] = `"${entry.pattern}" does not grant ${need} (only ${caps.join(', ')})`;
    }
    return refusal(path, op, sudo, listCaps, entry, firstPolicy, policies, step, 'missing-capability', message);
  }
  const grantor = entry.granting.get(bit)?.[0] ?? firstPolicy;
  const wrap = request.wrapTtl && request.wrapTtl > 0 ? request.wrapTtl : undefined;
  if (entry.maxWrappingTtl > 0) {
    if (wrap === undefined)
      return refusal(
        path,
        op,
        sudo,
        listCaps,
        entry,
        grantor,
        policies,
        step,
        'wrapping-required',
        `"${entry.pattern}" requires response wrapping (max_wrapping_ttl ${entry.maxWrappingTtl}s)`,
      );
    if (wrap > entry.maxWrappingTtl)
      return refusal(
        path,
        op,
        sudo,
        listCaps,
        entry,
        grantor,
        policies,
        step,
        'wrapping-ttl-too-long',
        `wrap TTL ${wrap}s is above max_wrapping_ttl ${entry.maxWrappingTtl}s`,
      );
  }
  if (entry.minWrappingTtl > 0) {
    if (wrap === undefined)
      return refusal(
        path,
        op,
        sudo,
        listCaps,
        entry,
        grantor,
        policies,
        step,
        'wrapping-required',
        `"${entry.pattern}" requires response wrapping (min_wrapping_ttl ${entry.minWrappingTtl}s)`,
      );
    if (wrap < entry.minWrappingTtl)
      return refusal(
        path,
        op,
        sudo,
        listCaps,
        entry,
        grantor,
        policies,
        step,
        'wrapping-ttl-too-short',
        `wrap TTL ${wrap}s is below min_wrapping_ttl ${entry.minWrappingTtl}s`,
      );
  }
  if (entry.minWrappingTtl !== 0 && entry.maxWrappingTtl !== 0 && entry.maxWrappingTtl < entry.minWrappingTtl) {
    return refusal(
      path,
      op,
      sudo,
      listCaps,
      entry,
      grantor,
      policies,
      step,
      'wrapping-ttl-conflict',
      `merged max_wrapping_ttl ${entry.maxWrappingTtl}s is below min_wrapping_ttl ${entry.minWrappingTtl}s`,
    );
  }
  if (
    op === 'read' ||
    op === 'update' ||
    op === 'create' ||
    op === 'patch' ||
    (op === 'recover' && acl.flavor === 'vault')
  ) {
    const bad = checkParameters(entry, request.data, acl.legacyListMatching);
    if (bad) {
      const text =
        bad.reason === 'required-parameter-missing'
          ? `required parameter "${bad.parameter}" is missing`
          : bad.reason === 'parameter-denied'
            ? `parameter "${bad.parameter}" is denied by "${entry.pattern}"`
            : `parameter "${bad.parameter}" (or its value) is not allowed by "${entry.pattern}"`;
      return refusal(path, op, sudo, listCaps, entry, grantor, policies, step, bad.reason, text);
    }
  } else if ((op === 'list' || op === 'scan') && acl.flavor === 'openbao' && entry.paginationLimit > 0) {
    const limit = request.data?.limit;
    if (limit === undefined) {
      if (entry.requiredParameters.some((p) => p.toLowerCase() === 'limit'))
        return refusal(
          path,
          op,
          sudo,
          listCaps,
          entry,
          grantor,
          policies,
          step,
          'pagination-limit',
          'the "limit" parameter is required',
        );
    } else {
      const n =
        typeof limit === 'number'
          ? limit
          : typeof limit === 'string' && /^-?\d+$/.test(limit.trim())
            ? Number(limit)
            : Number.NaN;
      if (Number.isNaN(n) ? limit !== 'max' : n > entry.paginationLimit)
        return refusal(
          path,
          op,
          sudo,
          listCaps,
          entry,
          grantor,
          policies,
          step,
          'pagination-limit',
          `limit ${String(limit)} is above pagination_limit ${entry.paginationLimit}`,
        );
    }
  }
  // The message depends only on the rule and the operation: built once per pair.
  const messages = entry.allowedMessages;
  let message = messages[op];
  if (message === undefined) {
    const granted = op === 'revoke' || op === 'renew' || op === 'rollback' ? 'update' : op;
    message = messages[op] = `"${entry.pattern}" in policy "${grantor}" grants ${granted}`;
  }
  return result(path, op, true, sudo, listCaps, decidedBy(entry, grantor, caps), policies, step, 'allowed', message);
}

function candidateOf(
  acl: CompiledAcl,
  e: AclEntry,
  lookupPath: string,
  outcome: Candidate['outcome'],
  why: string,
): Candidate {
  return {
    pattern: e.pattern,
    kind: e.kind,
    policies: [...e.policyList],
    sources: e.sources,
    capabilities: [...e.capabilityList],
    lookupPath,
    outcome,
    why,
  };
}

function explainLookup(acl: CompiledAcl, path: string, op: Operation, decision: Decision): Explanation {
  const steps: Explanation['steps'] = [];
  const candidates: Candidate[] = [];
  const seen = new Set<string>();
  if (acl.root) return { steps, candidates };
  let decided: AclEntry | undefined;
  let decidedStep: LookupStep | undefined;
  for (const s of plan(acl, path, op === 'help' ? 'read' : op)) {
    const hit = find(acl, s);
    steps.push({ step: s.step, lookupPath: s.lookupPath, matched: decided ? null : (hit?.pattern ?? null) });
    const exactStep = s.step === 'exact' || s.step === 'exact-trimmed';
    const all: AclEntry[] = [];
    if (exactStep) {
      if (hit) all.push(hit);
    } else {
      all.push(...acl.prefix.allPrefixes(s.lookupPath).map((l) => l.value));
      acl.segment.match(s.lookupPath.split('/'), (e) => all.push(e));
    }
    const longestPrefix = exactStep ? undefined : acl.prefix.longestPrefix(s.lookupPath)?.value;
    for (const e of all) {
      if (seen.has(e.pattern)) continue;
      seen.add(e.pattern);
      if (decided) {
        const why =
          decidedStep === 'exact' || decidedStep === 'exact-trimmed'
            ? `an exact rule ("${decided.pattern}") always wins over * and + rules; its capabilities are not added`
            : `a rule was already found at the earlier ${decidedStep} step ("${decided.pattern}"); later steps are not tried`;
        candidates.push(candidateOf(acl, e, s.lookupPath, 'not-reached', why));
      } else if (e === hit) {
        const stepText = exactStep ? 'exact match (always wins)' : 'highest-priority wildcard match';
        candidates.push(
          candidateOf(acl, e, s.lookupPath, 'decided', `${stepText} at the ${s.step} step; ${decision.message}`),
        );
      } else if (e.kind === 'prefix' && e !== longestPrefix) {
        candidates.push(
          candidateOf(
            acl,
            e,
            s.lookupPath,
            'lost',
            `only the longest matching * prefix ("${longestPrefix?.pattern}") is considered; its capabilities are not added`,
          ),
        );
      } else if (hit && e.priority && hit.priority) {
        candidates.push(
          candidateOf(
            acl,
            e,
            s.lookupPath,
            'lost',
            `lower priority than "${hit.pattern}": ${priorityLossReason(e.priority, hit.priority)}; its capabilities are not added`,
          ),
        );
      }
    }
    if (hit && !decided) {
      decided = hit;
      decidedStep = s.step;
    }
  }
  // Non-exact rules on the original path lose to an exact hit found first.
  if (decided && (decidedStep === 'exact' || decidedStep === 'exact-trimmed')) {
    const extra: AclEntry[] = [...acl.prefix.allPrefixes(path).map((l) => l.value)];
    acl.segment.match(path.split('/'), (e) => extra.push(e));
    for (const e of extra) {
      if (seen.has(e.pattern)) continue;
      seen.add(e.pattern);
      candidates.push(
        candidateOf(
          acl,
          e,
          path,
          'lost',
          `an exact rule ("${decided.pattern}") always wins over * and + rules; its capabilities are not added`,
        ),
      );
    }
  }
  return { steps, candidates };
}

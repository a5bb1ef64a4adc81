import {
  type Capability,
  type Clock,
  type Policy,
  type PolicyFlavor,
  type PolicyRule,
  type SourcePosition,
  SvmError,
  systemClock,
} from '@svm/core';
import { FLAVOR_CAPABILITIES } from '../parse/parse-policy.js';
import { RadixTree } from '../internal/radix-tree.js';
import { SegmentTrie } from '../internal/segment-trie.js';
import { CAP_BIT, bitsToCapabilities } from './capability-bits.js';
import { type PolicyIdentity, resolveTemplatedPath } from './identity.js';
import { type PatternPriority, comparePatternPriority, isSegmentWildcardPattern, patternPriority } from './priority.js';

/** One `path` block that contributed to a compiled rule. */
export interface RuleSource {
  policy: string;
  file?: string | undefined;
  position?: SourcePosition | undefined;
  /** The pattern as written in that block (after template resolution). */
  pattern: string;
}

/** Which of Vault's three rule stores a pattern lives in. */
export type RuleKind = 'exact' | 'prefix' | 'segment';

/**
 * The merged permissions of every block with the same pattern (Vault's `ACLPermissions`).
 * Read-only for callers.
 */
export interface AclEntry {
  /** The pattern (with its `*` if any). */
  pattern: string;
  kind: RuleKind;
  bits: number;
  minWrappingTtl: number;
  maxWrappingTtl: number;
  requiredParameters: string[];
  /** Lower-cased parameter name → values (`[]` = any value); `null` when no block set any. */
  allowedParameters: Map<string, unknown[]> | null;
  deniedParameters: Map<string, unknown[]> | null;
  mfaMethods: string[];
  /** OpenBao `pagination_limit` (0 = none; the lowest set value wins when merging). */
  paginationLimit: number;
  /** Per capability bit, the policies that granted it (Vault's GrantingPoliciesMap). */
  granting: Map<number, string[]>;
  /** The first policy whose block denied this pattern, if any. */
  denyPolicy: string | null;
  sources: RuleSource[];
  /** Priority descriptor (non-exact patterns only). */
  priority: PatternPriority | null;
  /** Position in Vault's total priority order among non-exact patterns (higher wins). */
  rank: number;
  /** Frozen: the capabilities as sys/capabilities prints them, and the distinct contributing policies. */
  capabilityList: readonly Capability[];
  policyList: readonly string[];
  /** The policy of the first block merged into this rule (`sources[0].policy`). */
  firstPolicy: string;
  /**
   * Caches of evaluate()'s messages per operation ("allowed", "does not grant"), filled lazily; created with
   * the entry so every entry keeps one shape (a property added later made the hot path polymorphic).
   */
  allowedMessages: Partial<Record<string, string>>;
  missingMessages: Partial<Record<string, string>>;
}

/** A block that did not make it into the ACL, and why. */
export interface SkippedRule {
  policy: string;
  pattern: string;
  reason: 'template-unresolved' | 'expired';
}

/**
 * Policies compiled into Vault's rule stores: exact rules, prefix (`*`) rules in a radix tree, and
 * segment-wildcard (`+`) rules in a segment index. Build with {@link compilePolicies}; read-only.
 *
 * @example
 * ```ts
 * const acl: CompiledAcl = compilePolicies(policies, { flavor: 'openbao' });
 * acl.skipped; // templated or expired blocks that were dropped
 * ```
 */
export interface CompiledAcl {
  readonly flavor: PolicyFlavor;
  /** True when the `root` policy is attached: everything is allowed. */
  readonly root: boolean;
  readonly policies: readonly string[];
  readonly exact: ReadonlyMap<string, AclEntry>;
  readonly prefix: RadixTree<AclEntry>;
  readonly segment: SegmentTrie<AclEntry>;
  readonly segmentCount: number;
  /** The largest index of a first `+` among segment patterns: a `*` rule whose prefix is longer always outranks them. */
  readonly maxSegmentFirstWildcard: number;
  readonly skipped: readonly SkippedRule[];
  /** Whole-value parameter matching (OpenBao; Vault before 1.21 or with VAULT_LEGACY_EXACT_MATCHING_ON_LIST). */
  readonly legacyListMatching: boolean;
}

/** Options for {@link compilePolicies}. */
export interface CompileOptions {
  /** Default `vault`. */
  flavor?: PolicyFlavor | undefined;
  /** Resolves templated paths; without it (or when a directive cannot be resolved) those blocks are dropped, as Vault does. */
  identity?: PolicyIdentity | undefined;
  /** For OpenBao's per-path `expiration`. Default: the system clock. */
  clock?: Clock | undefined;
  /** Vault only: match list and comma-separated parameter values as a whole (pre-1.21 behaviour). */
  legacyExactMatchingOnList?: boolean | undefined;
}

const FLAVOR_ONLY_KEYS: Record<PolicyFlavor, { key: keyof PolicyRule; hcl: string }[]> = {
  vault: [
    { key: 'paginationLimit', hcl: 'pagination_limit' },
    { key: 'expiration', hcl: 'expiration' },
    { key: 'listScanResponseKeysFilterPath', hcl: 'list_scan_response_keys_filter_path' },
  ],
  openbao: [{ key: 'subscribeEventTypes', hcl: 'subscribe_event_types' }],
};

const LEGACY: Record<string, Capability[]> = {
  read: ['read', 'list'],
  write: ['create', 'read', 'update', 'delete', 'list'],
  sudo: ['create', 'read', 'update', 'delete', 'list', 'sudo'],
};

/**
 * Compile policies into an ACL exactly as Vault's `NewACL` does: blocks with the same pattern (from any
 * policy, or the same policy twice) are merged (capabilities OR-ed, deny wins and clears parameters,
 * smaller non-zero wrapping TTLs win, parameter lists merged, required parameters unioned); different
 * patterns are never merged. A policy named `root` must be alone and allows everything.
 *
 * Throws `POLICY_INVALID` (with file, line, column) for a capability or key the flavor does not know, and
 * for `root` together with other policies.
 *
 * @example
 * ```ts
 * const acl = compilePolicies([parsePolicy('path "secret/*" { capabilities = ["read"] }', { name: 'p' })]);
 * evaluate(acl, { path: 'secret/x', operation: 'read' }).allowed; // true
 * ```
 */
export function compilePolicies(policies: readonly Policy[], options: CompileOptions = {}): CompiledAcl {
  const flavor = options.flavor ?? 'vault';
  const clock = options.clock ?? systemClock;
  const validCaps = new Set<string>(FLAVOR_CAPABILITIES[flavor]);
  const exact = new Map<string, AclEntry>();
  const prefix = new RadixTree<AclEntry>();
  const segment = new SegmentTrie<AclEntry>();
  const segmentByPattern = new Map<string, AclEntry>();
  const skipped: SkippedRule[] = [];
  let root = false;

  for (const policy of policies) {
    if (policy.name === 'root') {
      if (policies.length !== 1)
        throw new SvmError('POLICY_INVALID', 'other policies present along with root', { file: policy.file });
      root = true;
    }
    for (const rule of policy.rules) {
      const loc = (pos?: SourcePosition): { file: string | undefined; line?: number; column?: number } => ({
        file: policy.file,
        ...(pos ?? rule.position ?? {}),
      });
      rule.capabilities.forEach((c, i) => {
        if (!validCaps.has(c)) {
          throw new SvmError(
            'POLICY_INVALID',
            `path "${rule.path}": invalid capability "${c}" for ${flavor} (expected one of ${FLAVOR_CAPABILITIES[flavor].join(', ')})`,
            loc(rule.capabilityPositions?.[i]),
          );
        }
      });
      for (const { key, hcl } of FLAVOR_ONLY_KEYS[flavor]) {
        if (rule[key] !== undefined)
          throw new SvmError(
            'POLICY_INVALID',
            `path "${rule.path}": invalid key "${hcl}" (not valid for ${flavor})`,
            loc(rule.keyPositions?.[hcl]),
          );
      }
      if (
        flavor === 'openbao' &&
        rule.expiration !== undefined &&
        clock.now().getTime() > Date.parse(rule.expiration)
      ) {
        skipped.push({ policy: policy.name, pattern: rule.path, reason: 'expired' });
        continue;
      }
      // `rule.path` is already without its leading `/` (parsePolicy strips one, as Vault does).
      let pattern = rule.path;
      if (rule.templated || pattern.includes('{{')) {
        const resolved = resolveTemplatedPath(pattern, options.identity);
        if (resolved === undefined) {
          skipped.push({ policy: policy.name, pattern, reason: 'template-unresolved' });
          continue;
        }
        pattern = resolved;
      }
      const block = blockPermissions(rule);
      const source: RuleSource = { policy: policy.name, file: policy.file, position: rule.position, pattern };
      const kind: RuleKind = isSegmentWildcardPattern(pattern) ? 'segment' : pattern.endsWith('*') ? 'prefix' : 'exact';
      const key = kind === 'prefix' ? pattern.slice(0, -1) : pattern;
      const existing =
        kind === 'segment' ? segmentByPattern.get(key) : kind === 'prefix' ? prefix.get(key) : exact.get(key);
      if (!existing) {
        const entry: AclEntry = {
          pattern,
          kind,
          ...block,
          granting: grantingFor(new Map(), policy.name, block.bits),
          denyPolicy: block.bits & CAP_BIT.deny ? policy.name : null,
          sources: [source],
          priority: patternPriority(pattern),
          rank: -1,
          capabilityList: [],
          policyList: [],
          firstPolicy: policy.name,
          allowedMessages: {},
          missingMessages: {},
        };
        if (kind === 'segment') {
          segmentByPattern.set(key, entry);
          segment.add(key, entry);
        } else if (kind === 'prefix') prefix.set(key, entry);
        else exact.set(key, entry);
        continue;
      }
      existing.sources.push(source);
      mergeInto(existing, block, policy.name);
    }
  }

  for (const e of [...exact.values(), ...prefix.entries().map((l) => l.value), ...segmentByPattern.values()]) {
    e.capabilityList = Object.freeze(bitsToCapabilities(e.bits));
    e.policyList = Object.freeze([...new Set(e.sources.map((x) => x.policy))]);
  }
  const ranked = [...prefix.entries().map((l) => l.value), ...segmentByPattern.values()];
  ranked.sort((a, b) => comparePatternPriority(a.priority as PatternPriority, b.priority as PatternPriority));
  ranked.forEach((e, i) => {
    e.rank = i;
  });
  segment.rank((e) => e.rank);

  return {
    flavor,
    root,
    policies: policies.map((p) => p.name),
    exact,
    prefix,
    segment,
    segmentCount: segmentByPattern.size,
    maxSegmentFirstWildcard: [...segmentByPattern.values()].reduce(
      (m, e) => Math.max(m, (e.priority as PatternPriority).firstWildcard),
      -1,
    ),
    skipped,
    legacyListMatching: flavor === 'openbao' || Boolean(options.legacyExactMatchingOnList),
  };
}

type BlockPermissions = Pick<
  AclEntry,
  | 'bits'
  | 'minWrappingTtl'
  | 'maxWrappingTtl'
  | 'requiredParameters'
  | 'allowedParameters'
  | 'deniedParameters'
  | 'mfaMethods'
  | 'paginationLimit'
>;

/** One block's permissions, as Vault's parsePaths derives them. */
function blockPermissions(rule: PolicyRule): BlockPermissions {
  const empty: BlockPermissions = {
    bits: 0,
    minWrappingTtl: 0,
    maxWrappingTtl: 0,
    requiredParameters: [],
    allowedParameters: null,
    deniedParameters: null,
    mfaMethods: [],
    paginationLimit: 0,
  };
  let caps: Capability[] = [...rule.capabilities];
  if (rule.legacyPolicy === 'deny') caps = ['deny'];
  else if (rule.legacyPolicy) caps.push(...(LEGACY[rule.legacyPolicy] as Capability[]));
  let bits = 0;
  for (const c of caps) {
    if (c === 'deny') return { ...empty, bits: CAP_BIT.deny };
    bits |= CAP_BIT[c];
  }
  const lower = (m: Record<string, unknown[]> | undefined): Map<string, unknown[]> | null =>
    m === undefined ? null : new Map(Object.entries(m).map(([k, v]) => [k.toLowerCase(), [...v]]));
  return {
    bits,
    minWrappingTtl: rule.minWrappingTtl ?? 0,
    maxWrappingTtl: rule.maxWrappingTtl ?? 0,
    requiredParameters: [...(rule.requiredParameters ?? [])],
    allowedParameters: lower(rule.allowedParameters),
    deniedParameters: lower(rule.deniedParameters),
    mfaMethods: [...new Set(rule.mfaMethods ?? [])],
    paginationLimit: rule.paginationLimit ?? 0,
  };
}

function grantingFor(map: Map<number, string[]>, policy: string, bits: number): Map<number, string[]> {
  for (const bit of Object.values(CAP_BIT)) {
    if (bits & bit) map.set(bit, [...(map.get(bit) ?? []), policy]);
  }
  return map;
}

/** Vault's NewACL merge of a new block into an existing entry with the same pattern. */
function mergeInto(existing: AclEntry, block: BlockPermissions, policy: string): void {
  if (existing.bits & CAP_BIT.deny) return;
  if (block.bits & CAP_BIT.deny) {
    existing.bits = CAP_BIT.deny;
    existing.allowedParameters = null;
    existing.deniedParameters = null;
    existing.denyPolicy = policy;
    return;
  }
  existing.bits |= block.bits;
  grantingFor(existing.granting, policy, block.bits);
  if (block.maxWrappingTtl > 0 && (existing.maxWrappingTtl === 0 || block.maxWrappingTtl < existing.maxWrappingTtl))
    existing.maxWrappingTtl = block.maxWrappingTtl;
  if (block.minWrappingTtl > 0 && (existing.minWrappingTtl === 0 || block.minWrappingTtl < existing.minWrappingTtl))
    existing.minWrappingTtl = block.minWrappingTtl;
  existing.allowedParameters = mergeParameters(existing.allowedParameters, block.allowedParameters);
  existing.deniedParameters = mergeParameters(existing.deniedParameters, block.deniedParameters);
  for (const r of block.requiredParameters)
    if (!existing.requiredParameters.includes(r)) existing.requiredParameters.push(r);
  if (block.paginationLimit > 0 && (existing.paginationLimit <= 0 || block.paginationLimit < existing.paginationLimit))
    existing.paginationLimit = block.paginationLimit;
  if (block.mfaMethods.length) existing.mfaMethods = [...new Set([...existing.mfaMethods, ...block.mfaMethods])];
}

function mergeParameters(
  existing: Map<string, unknown[]> | null,
  added: Map<string, unknown[]> | null,
): Map<string, unknown[]> | null {
  if (!added || added.size === 0) return existing;
  if (!existing) return new Map([...added].map(([k, v]) => [k, [...v]]));
  for (const [key, values] of added) {
    const current = existing.get(key);
    // An empty list ("any value") on either side wins; otherwise the new values come first.
    if (values.length === 0 || (current !== undefined && current.length === 0)) existing.set(key, []);
    else existing.set(key, [...values, ...(current ?? [])]);
  }
  return existing;
}

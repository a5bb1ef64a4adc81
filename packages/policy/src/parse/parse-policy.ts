import {
  type Capability,
  type Policy,
  type PolicyFlavor,
  type PolicyRule,
  type SourcePosition,
  SvmError,
  parseDurationSeconds,
} from '@svm/core';
import { type HclItem, type HclValue, parseHcl } from './hcl-parser.js';
import type { TextPos } from './hcl-lexer.js';
import { checkTemplatedPath } from './template.js';

/** Options for {@link parsePolicy}. */
export interface ParsePolicyOptions {
  /** The policy name (Vault uses the API name; svm uses the file name without `.hcl`/`.json`). */
  name: string;
  /** File name used in error messages and kept on the policy. */
  file?: string | undefined;
  /**
   * When set, keys and capabilities of the other server are errors (`scan` under vault,
   * `subscribe`/`recover`/`subscribe_event_types` under openbao). Unset: both are accepted.
   */
  flavor?: PolicyFlavor | undefined;
}

const COMMON_KEYS = [
  'comment',
  'policy',
  'capabilities',
  'allowed_parameters',
  'denied_parameters',
  'required_parameters',
  'min_wrapping_ttl',
  'max_wrapping_ttl',
  'mfa_methods',
  'control_group',
];
const VAULT_KEYS = ['subscribe_event_types'];
const OPENBAO_KEYS = ['pagination_limit', 'expiration', 'list_scan_response_keys_filter_path'];

/**
 * Capabilities a policy may name, per flavor (`root` is never valid in a policy).
 *
 * @example
 * ```ts
 * FLAVOR_CAPABILITIES.openbao.includes('scan'); // true
 * ```
 */
export const FLAVOR_CAPABILITIES: Record<PolicyFlavor, readonly Capability[]> = {
  vault: ['create', 'read', 'update', 'patch', 'delete', 'list', 'sudo', 'deny', 'subscribe', 'recover'],
  openbao: ['create', 'read', 'update', 'patch', 'delete', 'list', 'sudo', 'deny', 'scan'],
};
const ANY_CAPABILITY = new Set<string>([...FLAVOR_CAPABILITIES.vault, ...FLAVOR_CAPABILITIES.openbao]);

/**
 * Parse a Vault/OpenBao ACL policy (HCL v1, or JSON when the text starts with `{`) into the core model,
 * keeping the line and column of every rule, capability and key.
 *
 * Throws `SvmError('POLICY_INVALID')` naming file, line and column for bad HCL, unknown keys, unknown
 * capabilities, `+*`, bad templates and bad TTLs.
 *
 * @example
 * ```ts
 * const policy = parsePolicy('path "secret/data/app/*" { capabilities = ["read"] }', { name: 'app', file: 'app.hcl' });
 * policy.rules[0]?.position; // { line: 1, column: 6 }
 * ```
 */
export function parsePolicy(text: string, options: ParsePolicyOptions): Policy {
  const { file } = options;
  const doc = parseHcl(text, file);
  const at = (pos: TextPos): { file: string | undefined; line: number; column: number } => ({
    file,
    line: pos.line,
    column: pos.column,
  });
  const fail = (message: string, pos: TextPos): never => {
    throw new SvmError('POLICY_INVALID', message, at(pos));
  };
  const flavorKeys =
    options.flavor === 'vault'
      ? VAULT_KEYS
      : options.flavor === 'openbao'
        ? OPENBAO_KEYS
        : [...VAULT_KEYS, ...OPENBAO_KEYS];
  const validKeys = new Set([...COMMON_KEYS, ...flavorKeys]);
  const validCaps = options.flavor ? new Set<string>(FLAVOR_CAPABILITIES[options.flavor]) : ANY_CAPABILITY;

  const rules: PolicyRule[] = [];
  const addRule = (label: string, labelPos: TextPos, body: HclValue): void => {
    if (body.kind !== 'object') fail(`path "${label}": expected a block { … }, got a ${body.kind}`, body.pos);
    rules.push(parseRule(label, labelPos, body as Extract<HclValue, { kind: 'object' }>));
  };

  const parseRule = (label: string, labelPos: TextPos, body: Extract<HclValue, { kind: 'object' }>): PolicyRule => {
    const path = label.startsWith('/') ? label.slice(1) : label;
    const where = `path "${label}"`;
    if (path.includes('+*')) fail(`${where}: invalid use of wildcards ('+*' is forbidden)`, labelPos);
    // A `+` that is not a whole segment (`lit/+bar`) is accepted, as Vault and OpenBao do: the path is still
    // a segment-wildcard path, and that segment compares literally (the linter warns: plus-not-whole-segment).
    const templated = checkTemplatedPath(path, at(labelPos));
    const rule: PolicyRule = { path, capabilities: [], position: toPos(labelPos) };
    if (templated) rule.templated = true;
    const keyPositions: Record<string, SourcePosition> = {};
    const capabilityPositions: SourcePosition[] = [];

    for (const entry of body.items) {
      const key = entry.keys[0] as { name: string; pos: TextPos };
      if (!validKeys.has(key.name)) {
        const hint =
          VAULT_KEYS.includes(key.name) || OPENBAO_KEYS.includes(key.name) ? ` (not valid for ${options.flavor})` : '';
        fail(`${where}: invalid key "${key.name}"${hint}`, key.pos);
      }
      if (entry.keys.length > 1)
        fail(`${where}: "${key.name}" takes a value, not a labelled block`, entry.keys[1]?.pos ?? key.pos);
      keyPositions[key.name] = toPos(key.pos);
      const v = entry.value;
      switch (key.name) {
        case 'comment':
          rule.comment = str(v, `${where}: comment`);
          break;
        case 'policy': {
          const p = str(v, `${where}: policy`);
          if (p !== 'deny' && p !== 'read' && p !== 'write' && p !== 'sudo')
            fail(`${where}: invalid policy "${p}" (expected deny, read, write or sudo)`, v.pos);
          rule.legacyPolicy = p as PolicyRule['legacyPolicy'];
          break;
        }
        case 'capabilities':
          for (const c of list(v, `${where}: capabilities`)) {
            const name = str(c, `${where}: capabilities`);
            if (!validCaps.has(name)) {
              const known = options.flavor ? FLAVOR_CAPABILITIES[options.flavor] : [...ANY_CAPABILITY];
              fail(`${where}: invalid capability "${name}" (expected one of ${known.join(', ')})`, c.pos);
            }
            rule.capabilities.push(name as Capability);
            capabilityPositions.push(toPos(c.pos));
          }
          break;
        case 'allowed_parameters':
        case 'denied_parameters': {
          if (v.kind !== 'object') fail(`${where}: ${key.name} expects an object of parameter = [values]`, v.pos);
          const target =
            key.name === 'allowed_parameters' ? (rule.allowedParameters ??= {}) : (rule.deniedParameters ??= {});
          for (const p of (v as Extract<HclValue, { kind: 'object' }>).items) {
            if (p.keys.length !== 1) fail(`${where}: ${key.name}: expected parameter = [values]`, p.pos);
            const pname = (p.keys[0] as { name: string }).name;
            setOwn(target, pname, [
              ...(Object.hasOwn(target, pname) ? (target[pname] as unknown[]) : []),
              ...list(p.value, `${where}: ${key.name}.${pname}`).map(toJs),
            ]);
          }
          break;
        }
        case 'required_parameters':
          rule.requiredParameters = [
            ...(rule.requiredParameters ?? []),
            ...list(v, `${where}: required_parameters`).map((x) => str(x, `${where}: required_parameters`)),
          ];
          break;
        case 'min_wrapping_ttl':
        case 'max_wrapping_ttl': {
          const seconds = duration(v, key.name);
          if (key.name === 'min_wrapping_ttl') rule.minWrappingTtl = seconds;
          else rule.maxWrappingTtl = seconds;
          break;
        }
        case 'mfa_methods':
          rule.mfaMethods = [
            ...(rule.mfaMethods ?? []),
            ...list(v, `${where}: mfa_methods`).map((x) => str(x, `${where}: mfa_methods`)),
          ];
          break;
        case 'subscribe_event_types':
          rule.subscribeEventTypes = [
            ...(rule.subscribeEventTypes ?? []),
            ...list(v, `${where}: subscribe_event_types`).map((x) => str(x, `${where}: subscribe_event_types`)),
          ];
          break;
        case 'control_group':
          if (v.kind !== 'object') fail(`${where}: control_group expects a block`, v.pos);
          rule.controlGroup = toJs(v);
          break;
        case 'pagination_limit':
          if (v.kind !== 'number' || !Number.isInteger(v.value))
            fail(`${where}: pagination_limit expects an integer`, v.pos);
          rule.paginationLimit = (v as { value: number }).value;
          break;
        case 'expiration': {
          const e = str(v, `${where}: expiration`);
          if (Number.isNaN(Date.parse(e))) fail(`${where}: invalid expiration time "${e}" (expected RFC 3339)`, v.pos);
          rule.expiration = e;
          break;
        }
        case 'list_scan_response_keys_filter_path':
          rule.listScanResponseKeysFilterPath = str(v, `${where}: list_scan_response_keys_filter_path`);
          break;
        default:
          break;
      }
    }
    const isDeny = rule.legacyPolicy === 'deny' || rule.capabilities.includes('deny');
    if (!isDeny && rule.minWrappingTtl && rule.maxWrappingTtl && rule.maxWrappingTtl < rule.minWrappingTtl) {
      fail(
        `${where}: max_wrapping_ttl cannot be less than min_wrapping_ttl`,
        (keyPositions.max_wrapping_ttl ?? toPos(labelPos)) as TextPos,
      );
    }
    if (capabilityPositions.length) rule.capabilityPositions = capabilityPositions;
    rule.keyPositions = keyPositions;
    return rule;
  };

  const str = (v: HclValue, what: string): string => {
    if (v.kind !== 'string') fail(`${what}: expected a string, got ${describeKind(v)}`, v.pos);
    return (v as { value: string }).value;
  };
  const list = (v: HclValue, what: string): HclValue[] => {
    if (v.kind !== 'list') fail(`${what}: expected a list [ … ], got ${describeKind(v)}`, v.pos);
    return (v as { items: HclValue[] }).items;
  };
  const duration = (v: HclValue, key: string): number => {
    if (v.kind === 'number') {
      if (!Number.isInteger(v.value) || v.value < 0)
        fail(`error parsing ${key}: expected whole seconds, got ${v.value}`, v.pos);
      return v.value;
    }
    if (v.kind === 'string') {
      try {
        return parseDurationSeconds(v.value);
      } catch {
        fail(`error parsing ${key}: expected seconds or a duration such as 90s, 10m, 1h, got "${v.value}"`, v.pos);
      }
    }
    return fail(`error parsing ${key}: expected seconds or a duration string, got ${describeKind(v)}`, v.pos);
  };

  for (const entry of doc.items) {
    const key = entry.keys[0] as { name: string; pos: TextPos };
    if (key.name === 'name') {
      if (entry.keys.length > 1 || entry.value.kind !== 'string') fail('"name" expects a string', entry.value.pos);
      continue;
    }
    if (key.name !== 'path')
      fail(`invalid key "${key.name}" (a policy holds only path blocks and an optional name)`, key.pos);
    if (doc.json && entry.keys.length === 1) {
      // JSON: "path": { "<pattern>": { … }, … }
      if (entry.value.kind !== 'object') fail('"path" expects an object of "<pattern>": { … }', entry.value.pos);
      for (const r of (entry.value as Extract<HclValue, { kind: 'object' }>).items) {
        const label = r.keys[0] as { name: string; pos: TextPos };
        addRule(label.name, label.pos, r.value);
      }
      continue;
    }
    if (entry.keys.length > 2)
      fail(`a path block takes one label, got ${entry.keys.length - 1}`, (entry.keys[2] as { pos: TextPos }).pos);
    const label = entry.keys[1];
    // `path { … }` without a label is a rule for the literal path "path" in Vault (HCL v1 object lists).
    addRule(label ? label.name : 'path', label ? label.pos : key.pos, entry.value);
  }

  const policy: Policy = { name: options.name, rules };
  if (file !== undefined) policy.file = file;
  return policy;
}

/** Define an own property even for keys such as `__proto__` (policy text is untrusted input). */
function setOwn(target: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

function toPos(p: TextPos): SourcePosition {
  return { line: p.line, column: p.column };
}

function describeKind(v: HclValue): string {
  return v.kind === 'object' ? 'an object' : v.kind === 'list' ? 'a list' : `a ${v.kind}`;
}

/** Plain data for parameter values and control groups (objects keep the last value per key). */
function toJs(v: HclValue): unknown {
  switch (v.kind) {
    case 'string':
    case 'number':
    case 'bool':
      return v.value;
    case 'null':
      return null;
    case 'list':
      return v.items.map(toJs);
    case 'object': {
      const out: Record<string, unknown> = {};
      for (const item of v.items) {
        let target = out;
        const keys = item.keys.map((k) => k.name);
        for (const k of keys.slice(0, -1)) {
          const child = Object.hasOwn(target, k) ? target[k] : undefined;
          if (child && typeof child === 'object' && !Array.isArray(child)) target = child as Record<string, unknown>;
          else {
            const next: Record<string, unknown> = {};
            setOwn(target, k, next);
            target = next;
          }
        }
        setOwn(target, keys[keys.length - 1] as string, toJs(item.value));
      }
      return out;
    }
  }
}

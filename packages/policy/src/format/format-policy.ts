import { type Policy, type PolicyRule, formatDurationSeconds } from '@svm/core';

const KEY_ORDER: { key: keyof PolicyRule; hcl: string }[] = [
  { key: 'comment', hcl: 'comment' },
  { key: 'legacyPolicy', hcl: 'policy' },
  { key: 'capabilities', hcl: 'capabilities' },
  { key: 'requiredParameters', hcl: 'required_parameters' },
  { key: 'allowedParameters', hcl: 'allowed_parameters' },
  { key: 'deniedParameters', hcl: 'denied_parameters' },
  { key: 'minWrappingTtl', hcl: 'min_wrapping_ttl' },
  { key: 'maxWrappingTtl', hcl: 'max_wrapping_ttl' },
  { key: 'mfaMethods', hcl: 'mfa_methods' },
  { key: 'controlGroup', hcl: 'control_group' },
  { key: 'subscribeEventTypes', hcl: 'subscribe_event_types' },
  { key: 'paginationLimit', hcl: 'pagination_limit' },
  { key: 'expiration', hcl: 'expiration' },
  { key: 'listScanResponseKeysFilterPath', hcl: 'list_scan_response_keys_filter_path' },
];

function quote(s: string): string {
  // JSON escapes are valid HCL v1 escapes; `${` stays literal because Vault never interpolates.
  return JSON.stringify(s);
}

function value(v: unknown, indent: string): string {
  if (typeof v === 'string') return quote(v);
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (v === null || v === undefined) return '""';
  if (Array.isArray(v)) return `[${v.map((x) => value(x, indent)).join(', ')}]`;
  const entries = Object.entries(v as Record<string, unknown>);
  if (entries.length === 0) return '{}';
  const inner = `${indent}  `;
  return `{\n${entries.map(([k, x]) => `${inner}${key(k)} = ${value(x, inner)}`).join('\n')}\n${indent}}`;
}

function key(k: string): string {
  return /^[A-Za-z_][A-Za-z0-9_-]*$/.test(k) ? k : quote(k);
}

/**
 * Render one `path` block canonically.
 *
 * @example
 * ```ts
 * formatRule({ path: 'secret/*', capabilities: ['read'] }); // 'path "secret/*" {\n  capabilities = ["read"]\n}'
 * ```
 */
export function formatRule(rule: PolicyRule): string {
  const lines: string[] = [];
  for (const { key: k, hcl } of KEY_ORDER) {
    const v = rule[k];
    if (v === undefined) continue;
    if (k === 'capabilities' && (v as unknown[]).length === 0 && rule.legacyPolicy !== undefined) continue;
    if (k === 'minWrappingTtl' || k === 'maxWrappingTtl') lines.push(`  ${hcl} = ${quote(formatDurationSeconds(v as number))}`);
    else if (k === 'allowedParameters' || k === 'deniedParameters') {
      const entries = Object.entries(v as Record<string, unknown[]>);
      if (entries.length === 0) lines.push(`  ${hcl} = {}`);
      else lines.push(`  ${hcl} = {\n${entries.map(([p, vals]) => `    ${quote(p)} = ${value(vals, '    ')}`).join('\n')}\n  }`);
    } else lines.push(`  ${hcl} = ${value(v, '  ')}`);
  }
  return `path ${quote(rule.path)} {\n${lines.join('\n')}${lines.length ? '\n' : ''}}`;
}

/**
 * Canonical HCL for a policy: one block per rule in file order, keys in a fixed order, two-space
 * indentation, double-quoted strings, TTLs as duration strings, one blank line between blocks.
 * Formatting is idempotent and `parsePolicy(formatPolicy(p))` gives back the same rules. Comments are
 * not kept (the model does not hold them).
 *
 * @example
 * ```ts
 * formatPolicy(parsePolicy('path "a" {capabilities=["read"]}', { name: 'a' }));
 * ```
 */
export function formatPolicy(policy: Policy): string {
  return policy.rules.length ? `${policy.rules.map(formatRule).join('\n\n')}\n` : '';
}

import { type Policy, type PolicyRule, SvmError, formatDurationSeconds } from '@svm/core';
import { type Comment, tokenize } from '../parse/hcl-lexer.js';

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

/** Options for {@link formatPolicy}. */
export interface FormatOptions {
  /** The text the policy was parsed from: its comments are kept (attached to the next rule or key). */
  source?: string | undefined;
}

interface Attached {
  leading: Map<string, string[]>;
  gapAfterLeading: Set<string>;
  trailing: Map<string, string>;
  end: string[];
}

function quote(s: string): string {
  // JSON escapes are valid HCL v1 escapes; `${` stays literal because Vault never interpolates.
  return JSON.stringify(s);
}

function key(k: string): string {
  return /^[A-Za-z_][A-Za-z0-9_-]*$/.test(k) ? k : quote(k);
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

function keyLine(rule: PolicyRule, k: keyof PolicyRule, hcl: string): string {
  const v = rule[k];
  if (k === 'minWrappingTtl' || k === 'maxWrappingTtl')
    return `  ${hcl} = ${quote(formatDurationSeconds(v as number))}`;
  if (k === 'allowedParameters' || k === 'deniedParameters') {
    const entries = Object.entries(v as Record<string, unknown[]>);
    if (entries.length === 0) return `  ${hcl} = {}`;
    return `  ${hcl} = {\n${entries.map(([p, vals]) => `    ${quote(p)} = ${value(vals, '    ')}`).join('\n')}\n  }`;
  }
  return `  ${hcl} = ${value(v, '  ')}`;
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
  return renderRule(rule, 0, undefined);
}

function renderRule(rule: PolicyRule, index: number, comments: Attached | undefined): string {
  const lines: string[] = [];
  const id = `r${index}`;
  const lead = comments?.leading.get(id);
  if (lead?.length) lines.push(...lead, ...(comments?.gapAfterLeading.has(id) ? [''] : []));
  const open = comments?.trailing.get(id);
  // Vault strips one leading `/`; a path that still starts with one had two, so write the second back.
  const written = rule.path.startsWith('/') ? `/${rule.path}` : rule.path;
  lines.push(`path ${quote(written)} {${open ? ` ${open}` : ''}`);
  for (const { key: k, hcl } of KEY_ORDER) {
    if (rule[k] === undefined) continue;
    if (k === 'capabilities' && rule.capabilities.length === 0 && rule.legacyPolicy !== undefined) continue;
    const kid = `${id}.${hcl}`;
    for (const c of comments?.leading.get(kid) ?? []) lines.push(`  ${c}`);
    const trail = comments?.trailing.get(kid);
    lines.push(`${keyLine(rule, k, hcl)}${trail ? ` ${trail}` : ''}`);
  }
  lines.push('}');
  return lines.join('\n');
}

function attachComments(policy: Policy, source: string): Attached {
  const comments: Comment[] = [];
  try {
    tokenize(source, undefined, comments);
  } catch {
    // The policy parsed, so the source tokenizes; be safe anyway and keep no comments.
    return { leading: new Map(), gapAfterLeading: new Set(), trailing: new Map(), end: [] };
  }
  const anchors: { id: string; line: number; column: number }[] = [];
  policy.rules.forEach((rule, i) => {
    if (rule.position) anchors.push({ id: `r${i}`, ...rule.position });
    for (const [k, pos] of Object.entries(rule.keyPositions ?? {})) anchors.push({ id: `r${i}.${k}`, ...pos });
  });
  anchors.sort((a, b) => a.line - b.line || a.column - b.column);
  const out: Attached = { leading: new Map(), gapAfterLeading: new Set(), trailing: new Map(), end: [] };
  const before = (c: Comment, a: { line: number; column: number }) =>
    a.line < c.pos.line || (a.line === c.pos.line && a.column < c.pos.column);
  for (const c of comments) {
    if (!c.ownLine) {
      const same = anchors.filter((a) => a.line === c.pos.line && before(c, a)).pop();
      if (same) {
        const prev = out.trailing.get(same.id);
        out.trailing.set(same.id, prev ? `${prev} ${c.text}` : c.text);
        continue;
      }
    }
    const next = anchors.find((a) => !before(c, a));
    if (!next) {
      out.end.push(c.text);
      continue;
    }
    out.leading.set(next.id, [...(out.leading.get(next.id) ?? []), c.text]);
    const lastLine = c.pos.line + c.text.split('\n').length - 1;
    if (next.line - lastLine > 1 && next.id.indexOf('.') < 0) out.gapAfterLeading.add(next.id);
    else out.gapAfterLeading.delete(next.id);
  }
  return out;
}

/**
 * Canonical HCL for a policy: one block per rule in file order, keys in a fixed order, two-space
 * indentation, double-quoted strings, TTLs as duration strings, one blank line between blocks.
 * With `source`, comments are kept: each is attached to the rule or key that follows it (or stays on its
 * line as a trailing comment). Formatting is idempotent and `parsePolicy(formatPolicy(p))` gives back
 * the same rules.
 *
 * @example
 * ```ts
 * const text = '# app\npath "a" {capabilities=["read"]}';
 * formatPolicy(parsePolicy(text, { name: 'a' }), { source: text }); // '# app\npath "a" {\n  capabilities = ["read"]\n}\n'
 * ```
 */
export function formatPolicy(policy: Policy, options: FormatOptions = {}): string {
  const attached = options.source === undefined ? undefined : attachComments(policy, options.source);
  const blocks = policy.rules.map((r, i) => renderRule(r, i, attached));
  const end = attached?.end.length ? attached.end.join('\n') : '';
  const body = blocks.join('\n\n');
  if (!body) return end ? `${end}\n` : '';
  return `${body}\n${end ? `\n${end}\n` : ''}`;
}

/**
 * Canonical JSON for a policy (for `.json` policy files): `{"path": {"<pattern>": {…}}}`, keys in the
 * same fixed order as the HCL form, two-space indentation. JSON has no comments, so none are kept.
 *
 * @example
 * ```ts
 * formatPolicyJson(parsePolicy('{"path":{"a":{"capabilities":["read"]}}}', { name: 'a' }));
 * // '{\n  "path": {\n    "a": {\n      "capabilities": [\n        "read"\n      ]\n    }\n  }\n}\n'
 * ```
 */
export function formatPolicyJson(policy: Policy): string {
  // Null prototype: a pattern named "__proto__" must stay an ordinary key.
  const paths = Object.create(null) as Record<string, Record<string, unknown>>;
  for (const rule of policy.rules) {
    const body = Object.create(null) as Record<string, unknown>;
    for (const { key: k, hcl } of KEY_ORDER) {
      const v = rule[k];
      if (v === undefined) continue;
      if (k === 'capabilities' && rule.capabilities.length === 0 && rule.legacyPolicy !== undefined) continue;
      body[hcl] = k === 'minWrappingTtl' || k === 'maxWrappingTtl' ? formatDurationSeconds(v as number) : v;
    }
    const written = rule.path.startsWith('/') ? `/${rule.path}` : rule.path;
    if (Object.hasOwn(paths, written)) {
      throw new SvmError(
        'UNSUPPORTED',
        `path "${written}" appears twice; JSON cannot hold the same key twice, so it cannot be formatted as JSON (merge the blocks or use HCL)`,
        {
          file: policy.file,
          line: rule.position?.line,
          column: rule.position?.column,
        },
      );
    }
    paths[written] = body;
  }
  return `${JSON.stringify({ path: paths }, null, 2)}\n`;
}

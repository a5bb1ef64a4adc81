import type { ApiRequest } from '../generate/requests.js';

/**
 * What `apply` will do with one object.
 *
 * @example
 * ```ts
 * plan.items.filter((i) => i.action !== 'unchanged');
 * ```
 */
export type ApplyAction = 'create' | 'update' | 'unchanged';

/**
 * One field that differs between the server and the generated configuration.
 *
 * @example
 * ```ts
 * item.changes.map((c) => `${c.field}: ${c.from} → ${c.to}`);
 * ```
 */
export interface FieldChange {
  field: string;
  /** The server's value (`undefined` when unset). Role settings and policy text only: never secrets. */
  from: unknown;
  to: unknown;
}

/**
 * The plan for one object: the request to send, and why.
 *
 * @example
 * ```ts
 * for (const item of plan.items) console.log(item.action, item.request.path);
 * ```
 */
export interface ApplyItem {
  request: ApiRequest;
  action: ApplyAction;
  changes: FieldChange[];
  /** For policies: a line diff (`- old` / `+ new`), empty when unchanged. */
  textDiff: string[];
}

/**
 * Compare one generated request with what the server returned for it (`undefined` when it does not exist).
 * Policies compare their text exactly (Vault stores it verbatim); roles compare only the fields svm sets,
 * after normalising what the server echoes (lists in any order, a lone string as a one-item list, durations
 * in seconds).
 *
 * @example
 * ```ts
 * diffItem(request, await api.read(request.path)).action; // 'unchanged' on a second apply
 * ```
 */
export function diffItem(request: ApiRequest, current: Record<string, unknown> | undefined): ApplyItem {
  if (current === undefined) {
    return {
      request,
      action: 'create',
      changes: Object.entries(request.body).map(([field, to]) => ({ field, from: undefined, to })),
      textDiff: [],
    };
  }
  if (request.kind === 'policy') {
    const want = String(request.body.policy ?? '');
    const have =
      typeof current.policy === 'string' ? current.policy : typeof current.rules === 'string' ? current.rules : '';
    if (want === have) return { request, action: 'unchanged', changes: [], textDiff: [] };
    return {
      request,
      action: 'update',
      changes: [{ field: 'policy', from: have, to: want }],
      textDiff: lineDiff(have, want),
    };
  }
  const changes: FieldChange[] = [];
  for (const [field, to] of Object.entries(request.body)) {
    const from = current[field];
    if (!sameValue(from, to)) changes.push({ field, from, to });
  }
  return { request, action: changes.length === 0 ? 'unchanged' : 'update', changes, textDiff: [] };
}

function canon(value: unknown, asList: boolean): unknown {
  if (value === null || value === undefined || value === '') return asList ? [] : (value ?? null);
  if (Array.isArray(value)) return value.map(String).sort();
  if (typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value as Record<string, unknown>)
        .sort(([a], [b]) => (a < b ? -1 : 1))
        .map(([k, v]) => [k, canon(Array.isArray(v) ? v : [v], true)]),
    );
  }
  if (asList)
    return typeof value === 'string'
      ? value
          .split(',')
          .map((s) => s.trim())
          .filter(Boolean)
          .sort()
      : [String(value)];
  return value;
}

/**
 * Equal after normalisation; `want` decides whether a list is expected.
 *
 * @example
 * ```ts
 * sameValue('a,b', ['b', 'a']); // true
 * sameValue(3600, 3600); // true
 * ```
 */
export function sameValue(have: unknown, want: unknown): boolean {
  const asList = Array.isArray(want);
  return JSON.stringify(canon(have, asList)) === JSON.stringify(canon(want, asList));
}

/**
 * A minimal line diff (longest common subsequence), enough for policy texts of a few hundred lines:
 * `- old` and `+ new` lines, and with `context: true` also the unchanged lines as `  line`.
 *
 * @example
 * ```ts
 * lineDiff('a\nb', 'a\nc'); // ['- b', '+ c']
 * ```
 */
export function lineDiff(before: string, after: string, options: { context?: boolean } = {}): string[] {
  const a = before.split('\n');
  const b = after.split('\n');
  const n = a.length;
  const m = b.length;
  const lcs: number[][] = Array.from({ length: n + 1 }, () => new Array<number>(m + 1).fill(0));
  for (let i = n - 1; i >= 0; i--)
    for (let j = m - 1; j >= 0; j--)
      lcs[i]![j] = a[i] === b[j] ? lcs[i + 1]![j + 1]! + 1 : Math.max(lcs[i + 1]![j]!, lcs[i]![j + 1]!);
  const out: string[] = [];
  let i = 0;
  let j = 0;
  while (i < n && j < m) {
    if (a[i] === b[j]) {
      if (options.context) out.push(`  ${a[i]}`);
      i++;
      j++;
    } else if (lcs[i + 1]![j]! >= lcs[i]![j + 1]!) out.push(`- ${a[i++]}`);
    else out.push(`+ ${b[j++]}`);
  }
  while (i < n) out.push(`- ${a[i++]}`);
  while (j < m) out.push(`+ ${b[j++]}`);
  return out;
}

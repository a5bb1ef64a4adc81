/**
 * A small evaluator of Sigma detections over JSON records, for the tests only: it proves that the exported
 * rules select the events the analyzer flags. It covers what svm's rules use (selections as maps or lists of
 * maps, value lists, null, the `contains` / `startswith` / `endswith` / `exists` / `gt` / `gte` / `lt` / `lte`
 * modifiers, and conditions with `and` / `or` / `not` / parentheses), with Sigma's semantics: string
 * comparisons ignore case, a field holding an array matches when any element does, `null` means absent.
 * pySigma has no evaluator of its own (it converts to queries), hence this.
 */

type Obj = Record<string, unknown>;

function get(record: Obj, path: string): unknown {
  if (path in record) return record[path];
  let cur: unknown = record;
  for (const part of path.split('.')) {
    if (cur === null || typeof cur !== 'object' || Array.isArray(cur)) return undefined;
    cur = (cur as Obj)[part];
  }
  return cur;
}

function matchOne(actual: unknown, mods: string[], expected: unknown): boolean {
  if (Array.isArray(actual)) return actual.some((a) => matchOne(a, mods, expected));
  if (mods.includes('exists')) return (actual !== undefined && actual !== null) === expected;
  if (expected === null) return actual === undefined || actual === null;
  if (actual === undefined || actual === null) return false;
  for (const [mod, cmp] of [
    ['gt', (a: number, b: number) => a > b],
    ['gte', (a: number, b: number) => a >= b],
    ['lt', (a: number, b: number) => a < b],
    ['lte', (a: number, b: number) => a <= b],
  ] as const) {
    if (mods.includes(mod)) return typeof actual === 'number' && cmp(actual, Number(expected));
  }
  if (typeof expected === 'number' || typeof expected === 'boolean') return actual === expected;
  const a = String(actual).toLowerCase();
  const e = String(expected).toLowerCase();
  if (mods.includes('contains')) return a.includes(e);
  if (mods.includes('startswith')) return a.startsWith(e);
  if (mods.includes('endswith')) return a.endsWith(e);
  if (mods.length > 0) throw new Error(`matcher: unsupported modifiers ${mods.join('|')}`);
  if (typeof actual !== 'string') return false;
  return a === e;
}

function matchMap(record: Obj, sel: Obj, mapField: (f: string) => string): boolean {
  return Object.entries(sel).every(([key, expected]) => {
    const [field, ...mods] = key.split('|') as [string, ...string[]];
    const actual = get(record, mapField(field));
    const values = Array.isArray(expected) ? expected : [expected];
    return values.some((v) => matchOne(actual, mods, v));
  });
}

function matchSelection(record: Obj, sel: unknown, mapField: (f: string) => string): boolean {
  if (Array.isArray(sel)) return sel.some((s) => matchMap(record, s as Obj, mapField));
  return matchMap(record, sel as Obj, mapField);
}

/** Evaluate a rule's `detection` against one record. `mapField` is the pipeline's field mapping. */
export function sigmaMatches(detection: Obj, record: Obj, mapField: (f: string) => string = (f) => f): boolean {
  const tokens = String(detection['condition']).match(/\(|\)|[A-Za-z_][\w]*/g) ?? [];
  let i = 0;
  const peek = () => tokens[i];
  const orExpr = (): boolean => {
    let v = andExpr();
    while (peek() === 'or') {
      i++;
      const r = andExpr();
      v = v || r;
    }
    return v;
  };
  const andExpr = (): boolean => {
    let v = notExpr();
    while (peek() === 'and') {
      i++;
      const r = notExpr();
      v = v && r;
    }
    return v;
  };
  const notExpr = (): boolean => {
    if (peek() === 'not') {
      i++;
      return !notExpr();
    }
    if (peek() === '(') {
      i++;
      const v = orExpr();
      if (tokens[i++] !== ')') throw new Error('matcher: unbalanced parentheses');
      return v;
    }
    const name = tokens[i++] as string;
    if (!(name in detection)) throw new Error(`matcher: unknown selection '${name}'`);
    return matchSelection(record, detection[name], mapField);
  };
  const v = orExpr();
  if (i !== tokens.length) throw new Error(`matcher: trailing tokens in '${String(detection['condition'])}'`);
  return v;
}

/**
 * Vault/OpenBao audit lines as the calls svm analyses: response entries (they carry the request and its
 * outcome), plus any request whose response never came, evaluated as the call it stands for (svm analyses such a
 * request on its own; the rules match responses only — the one documented difference).
 */
export function vaultCalls(lines: Obj[]): Obj[] {
  const id = (o: Obj) => (o['request'] as Obj | undefined)?.['id'];
  const responded = new Set(lines.filter((o) => o['type'] === 'response').map(id));
  return lines
    .filter((o) => o['type'] === 'response' || !responded.has(id(o)))
    .map((o) => (o['type'] === 'request' ? { ...o, type: 'response' } : o));
}

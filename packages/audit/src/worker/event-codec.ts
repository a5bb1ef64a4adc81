import type { AuditEvent } from '@svm/core';

/**
 * Events between a parse worker and the main thread, as columns: every string (and every list of strings) once
 * per batch in a table, and one number per event and field in a Float64Array (an index into the table, the
 * number itself, or NaN for absent). Cloning the table and transferring the array costs a fraction of cloning
 * or JSON-parsing the events, and the main thread builds each event from shared strings: a name, path or
 * accessor that repeats within the batch is one string, whose hash the detectors' maps compute once.
 */
export interface EncodedEvents {
  count: number;
  strings: string[];
  /** `count` rows of {@link FIELDS}.length numbers. */
  columns: Float64Array;
  /** Events with members outside {@link FIELDS}, by row: sent whole (no normaliser writes any today). */
  extra?: Record<number, AuditEvent>;
}

/** Every member of a normalised event, in the order every event is built with (one hidden class). */
const FIELDS = [
  'time',
  'source',
  'identity',
  'identityKind',
  'authMethod',
  'sourceIp',
  'operation',
  'path',
  'secret',
  'outcome',
  'statusCode',
  'errorMessage',
  'tokenTtl',
  'policies',
  'requestId',
  'accessor',
  'issuedPolicies',
  'issuedAccessor',
  'leaseId',
  'deniedBy',
  'mountType',
  'batchSize',
  'entry',
  'file',
  'line',
  'ms',
] as const;
const KNOWN = new Set<string>(FIELDS);
const WIDTH = FIELDS.length;
// `sourceIp` may be null (an address that did not parse): the table's index -2.
const NULL = -2;

/**
 * Encode a batch of events for the main thread.
 *
 * @example
 * ```ts
 * const enc = encodeEvents(events);
 * port.postMessage(enc, [enc.columns.buffer]);
 * ```
 */
export function encodeEvents(events: readonly AuditEvent[]): EncodedEvents {
  const strings: string[] = [];
  const index = new Map<string, number>();
  const str = (v: unknown): number => {
    if (v === undefined) return Number.NaN;
    if (v === null) return NULL;
    if (typeof v !== 'string') throw WRONG_TYPE;
    let i = index.get(v);
    if (i === undefined) {
      i = strings.length;
      strings.push(v);
      index.set(v, i);
    }
    return i;
  };
  // A string that is new on almost every event (its time, its request id): into the table without a lookup
  // (hashing it would cost more than the copy it could save).
  const own = (v: unknown): number => {
    if (v === undefined) return Number.NaN;
    if (v === null) return NULL;
    if (typeof v !== 'string') throw WRONG_TYPE;
    return strings.push(v) - 1;
  };
  const num = (v: unknown): number => {
    if (v === undefined) return Number.NaN;
    if (typeof v !== 'number') throw WRONG_TYPE;
    return v;
  };
  // Lists by their last element (the most telling: `["default", "<app>-read"]`): every event has its own copy of
  // its token's list, whose elements are the same strings, so a list seen before is found with a few compares,
  // without writing its JSON again.
  const lists = new Map<string, Array<{ v: readonly string[]; i: number }>>();
  const list = (v: unknown): number => {
    if (v === undefined) return Number.NaN;
    if (!Array.isArray(v)) throw WRONG_TYPE;
    const last = v[v.length - 1];
    if (typeof last !== 'string') return str(JSON.stringify(v));
    let seen = lists.get(last);
    if (seen === undefined) lists.set(last, (seen = []));
    for (const c of seen) if (sameStrings(c.v, v)) return c.i;
    const i = str(JSON.stringify(v));
    if (v.every((x) => typeof x === 'string')) seen.push({ v: v as string[], i });
    return i;
  };
  const columns = new Float64Array(events.length * WIDTH);
  let extra: Record<number, AuditEvent> | undefined;
  let shape: string[] | undefined;
  for (let r = 0; r < events.length; r++) {
    const e = events[r] as AuditEvent & { ms?: unknown };
    // Members outside FIELDS go whole. Events built alike list the same keys: one validated list is compared
    // by reference, key by key (interned property names), instead of looking every key up.
    const keys = Object.keys(e);
    if (!sameKeys(keys, shape)) {
      if (keys.some((k) => !KNOWN.has(k) && (e as Record<string, unknown>)[k] !== undefined)) {
        (extra ??= {})[r] = e;
        continue;
      }
      if (keys.length === WIDTH) shape = keys;
    }
    const b = r * WIDTH;
    try {
      columns[b] = own(e.time);
      columns[b + 1] = str(e.source);
      columns[b + 2] = str(e.identity);
      columns[b + 3] = str(e.identityKind);
      columns[b + 4] = str(e.authMethod);
      columns[b + 5] = str(e.sourceIp);
      columns[b + 6] = str(e.operation);
      columns[b + 7] = str(e.path);
      columns[b + 8] = str(e.secret);
      columns[b + 9] = str(e.outcome);
      columns[b + 10] = num(e.statusCode);
      columns[b + 11] = str(e.errorMessage);
      columns[b + 12] = num(e.tokenTtl);
      columns[b + 13] = list(e.policies);
      columns[b + 14] = own(e.requestId);
      columns[b + 15] = str(e.accessor);
      columns[b + 16] = list(e.issuedPolicies);
      columns[b + 17] = str(e.issuedAccessor);
      columns[b + 18] = str(e.leaseId);
      columns[b + 19] = str(e.deniedBy);
      columns[b + 20] = str(e.mountType);
      columns[b + 21] = num(e.batchSize);
      columns[b + 22] = str(e.entry);
      columns[b + 23] = str(e.file);
      columns[b + 24] = num(e.line);
      columns[b + 25] = num(e.ms);
    } catch (err) {
      if (err !== WRONG_TYPE) throw err;
      // A member of another type than normalisers write: the event goes whole.
      (extra ??= {})[r] = e;
    }
  }
  return extra === undefined
    ? { count: events.length, strings, columns }
    : { count: events.length, strings, columns, extra };
}

const WRONG_TYPE = new Error('member of an unexpected type');

/** Whether two lists of strings have the same elements (and so the same JSON). */
function sameStrings(a: readonly string[], b: readonly unknown[]): boolean {
  if (a.length !== b.length) return false;
  for (let k = 0; k < a.length; k++) if (a[k] !== b[k]) return false;
  return true;
}

function sameKeys(keys: readonly string[], shape: readonly string[] | undefined): boolean {
  if (shape === undefined || keys.length !== shape.length) return false;
  for (let i = 0; i < keys.length; i++) if (keys[i] !== shape[i]) return false;
  return true;
}

/**
 * The events of {@link encodeEvents}, every one with all members in one order.
 *
 * @example
 * ```ts
 * analyzer.push(decodeEvents(message));
 * ```
 */
export function decodeEvents(enc: EncodedEvents): AuditEvent[] {
  const { strings, columns } = enc;
  // Lists are decoded once per distinct list; each event gets its own copy.
  const lists = new Map<number, string[]>();
  const str = (x: number) => (x >= 0 ? strings[x] : x === NULL ? null : undefined);
  const num = (x: number) => (Number.isNaN(x) ? undefined : x);
  const list = (x: number) => {
    if (Number.isNaN(x)) return undefined;
    let l = lists.get(x);
    if (l === undefined) {
      l = JSON.parse(strings[x] as string) as string[];
      lists.set(x, l);
    }
    return l.slice();
  };
  const out: AuditEvent[] = new Array(enc.count);
  for (let r = 0; r < enc.count; r++) {
    const ex = enc.extra?.[r];
    if (ex !== undefined) {
      out[r] = ex;
      continue;
    }
    const b = r * WIDTH;
    const c = columns;
    out[r] = {
      time: str(c[b] as number),
      source: str(c[b + 1] as number),
      identity: str(c[b + 2] as number),
      identityKind: str(c[b + 3] as number),
      authMethod: str(c[b + 4] as number),
      sourceIp: str(c[b + 5] as number),
      operation: str(c[b + 6] as number),
      path: str(c[b + 7] as number),
      secret: str(c[b + 8] as number),
      outcome: str(c[b + 9] as number),
      statusCode: num(c[b + 10] as number),
      errorMessage: str(c[b + 11] as number),
      tokenTtl: num(c[b + 12] as number),
      policies: list(c[b + 13] as number),
      requestId: str(c[b + 14] as number),
      accessor: str(c[b + 15] as number),
      issuedPolicies: list(c[b + 16] as number),
      issuedAccessor: str(c[b + 17] as number),
      leaseId: str(c[b + 18] as number),
      deniedBy: str(c[b + 19] as number),
      mountType: str(c[b + 20] as number),
      batchSize: num(c[b + 21] as number),
      entry: str(c[b + 22] as number),
      file: str(c[b + 23] as number),
      line: num(c[b + 24] as number),
      ms: num(c[b + 25] as number) ?? 0,
    } as AuditEvent;
  }
  return out;
}

/**
 * The members a Vault response entry adds to its request's, read straight from the text: one pass validates them
 * as strict JSON (what `JSON.parse` accepts) and picks out the fields the event is built from ({@link VaultFields})
 * without building the rest. The file device repeats the request's members byte for byte in the response, so
 * with the request parsed, this is all of the response that needs reading — about a third of it.
 *
 * Hand-written, like the validator it builds on: a JSON library that builds values costs what `JSON.parse` costs,
 * and streaming tokenisers allocate a string per token. (On a whole line `JSON.parse` is faster than this scan;
 * on the third it reads, the scan is.)
 */
import { beginText, lastEscaped, scanString, skipValue, skipWs } from '../internal/validate-json.js';
import { num } from '../internal/json.js';
import { TextMemo } from '../internal/text-memo.js';
import { OTHER_SOURCE_MEMBERS } from './detect.js';
import { emptyVaultAuth, type VaultAuthFields, type VaultFields } from './vault.js';

/**
 * `s.slice(a, b)` as a string of its own. V8 makes a slice of 13 or more characters a view that keeps the whole
 * text alive (here the line, itself a view of a 64 KiB decoded piece): an event kept in a detector's map would
 * hold that piece in memory. Appending one character and slicing it off again copies just the value.
 */
export function ownSlice(s: string, a: number, b: number): string {
  return b - a < 13 ? s.slice(a, b) : `${s.slice(a, b)} `.slice(0, -1);
}

/** The value of the string token [a, b) (quotes included). */
function stringAt(s: string, a: number, b: number): string {
  return lastEscaped ? (JSON.parse(s.slice(a, b)) as string) : ownSlice(s, a + 1, b - 1);
}

/** `str()` of the value token [a, b): a non-empty string, else undefined. */
function strAt(s: string, a: number, b: number): string | undefined {
  if (s.charCodeAt(a) !== 34 || b - a === 2) return undefined;
  return stringAt(s, a, b);
}

/** Whether the key token [a, b) is `name` (an escaped key never matches here: the caller declines those). */
function keyIs(s: string, a: number, b: number, name: string): boolean {
  return b - a - 2 === name.length && s.startsWith(name, a + 1);
}

// Member handlers: given the key [ka, kb) and the value starting at `i`, return the end of the value or -1.
// A return of -2 declines the line.
type Members<T> = (s: string, ka: number, kb: number, i: number, n: number, into: T) => number;

/**
 * Scan the members of an object whose `{` is just before `i` (after whitespace), calling `member` for each;
 * returns the index after its `}`, -1 for invalid JSON, -2 when a handler or an escaped key declines. With
 * `afterMember`, `i` is just after a member of that object (a `,` or the `}` comes next). With `stop`, the scan
 * ends there, between two members (returning `stop`).
 */
function scanObject<T>(
  s: string,
  i: number,
  n: number,
  into: T,
  member: Members<T>,
  afterMember = false,
  stop = -1,
): number {
  i = skipWs(s, i, n);
  if (!afterMember) {
    if (s.charCodeAt(i) === 125) return i + 1;
  } else {
    const c = s.charCodeAt(i);
    if (c === 125) return i + 1;
    if (c !== 44) return -1;
    i = skipWs(s, i + 1, n);
  }
  for (;;) {
    if (s.charCodeAt(i) !== 34) return -1;
    const ka = i;
    i = scanString(s, i, n);
    if (i < 0) return -1;
    if (lastEscaped) return -2;
    const kb = i;
    i = skipWs(s, i, n);
    if (s.charCodeAt(i) !== 58) return -1;
    i = skipWs(s, i + 1, n);
    i = member(s, ka, kb, i, n, into);
    if (i < 0) return i;
    i = skipWs(s, i, n);
    // Asked to stop between two members at `stop`: a member that runs past it declines.
    if (stop >= 0 && i >= stop) return i === stop ? i : -2;
    const c = s.charCodeAt(i);
    if (c === 125) return i + 1;
    if (c !== 44) return -1;
    i = skipWs(s, i + 1, n);
  }
}

/** Scan a string value at `i`: its end, with {@link lastEscaped} set; -1 when `i` is not a valid string. */
function valueEnd(s: string, i: number, n: number): number {
  return s.charCodeAt(i) === 34 ? scanString(s, i, n) : skipValue(s, i, n);
}

// ---------------------------------------------------------------- auth blocks

const metadata: Members<VaultAuthFields> = (s, ka, kb, i, n, a) => {
  const end = valueEnd(s, i, n);
  if (end < 0) return -1;
  if (keyIs(s, ka, kb, 'role_name')) a.roleName = strAt(s, i, end);
  else if (keyIs(s, ka, kb, 'username')) a.username = strAt(s, i, end);
  else if (keyIs(s, ka, kb, 'email')) a.email = strAt(s, i, end);
  return end;
};

const policyResults: Members<VaultAuthFields> = (s, ka, kb, i, n, a) => {
  const end = valueEnd(s, i, n);
  if (end < 0) return -1;
  if (keyIs(s, ka, kb, 'allowed')) a.denied = end - i === 5 && s.charCodeAt(i) === 102;
  return end;
};

/** `strArray()` of the array at `i` (its strings, in order); sets {@link arrayOut}. */
let arrayOut: string[] | undefined;
function stringArray(s: string, i: number, n: number): number {
  if (s.charCodeAt(i) !== 91) {
    arrayOut = undefined;
    return skipValue(s, i, n);
  }
  const out: string[] = [];
  i = skipWs(s, i + 1, n);
  if (s.charCodeAt(i) === 93) {
    arrayOut = out;
    return i + 1;
  }
  for (;;) {
    const a = i;
    const end = valueEnd(s, i, n);
    if (end < 0) return -1;
    if (s.charCodeAt(a) === 34) out.push(stringAt(s, a, end));
    i = skipWs(s, end, n);
    const c = s.charCodeAt(i);
    if (c === 93) {
      arrayOut = out;
      return i + 1;
    }
    if (c !== 44) return -1;
    i = skipWs(s, i + 1, n);
  }
}

const authMember: Members<VaultAuthFields> = (s, ka, kb, i, n, a) => {
  const len = kb - ka - 2;
  if (len === 8 && keyIs(s, ka, kb, 'metadata')) {
    a.roleName = a.username = a.email = undefined;
    return s.charCodeAt(i) === 123 ? scanObject(s, i + 1, n, a, metadata) : skipValue(s, i, n);
  }
  if (len === 14 && keyIs(s, ka, kb, 'policy_results')) {
    a.denied = false;
    return s.charCodeAt(i) === 123 ? scanObject(s, i + 1, n, a, policyResults) : skipValue(s, i, n);
  }
  if (len === 8 && keyIs(s, ka, kb, 'policies')) {
    const end = stringArray(s, i, n);
    a.policies = arrayOut;
    return end;
  }
  const end = valueEnd(s, i, n);
  if (end < 0) return -1;
  if (len === 12 && keyIs(s, ka, kb, 'display_name')) a.displayName = strAt(s, i, end);
  else if (len === 8 && keyIs(s, ka, kb, 'accessor')) a.accessor = strAt(s, i, end);
  else if (len === 9 && keyIs(s, ka, kb, 'entity_id')) a.entityId = strAt(s, i, end);
  else if (len === 9 && keyIs(s, ka, kb, 'token_ttl')) {
    const c = s.charCodeAt(i);
    a.tokenTtl =
      c === 34 ? num(stringAt(s, i, end)) : c === 45 || (c >= 48 && c <= 57) ? num(Number(s.slice(i, end))) : undefined;
  }
  return end;
};

/** An `auth` value at `i`: fresh fields when it is an object (a repeated `auth` replaces the earlier one). */
let authOut: VaultAuthFields | undefined;
function authValue(s: string, i: number, n: number): number {
  if (s.charCodeAt(i) !== 123) {
    authOut = undefined;
    return skipValue(s, i, n);
  }
  const a = emptyVaultAuth();
  authOut = a;
  return scanObject(s, i + 1, n, a, authMember);
}

// ---------------------------------------------------------------- request and response

const requestMember: Members<VaultFields> = (s, ka, kb, i, n, f) => {
  const end = valueEnd(s, i, n);
  if (end < 0) return -1;
  switch (kb - ka - 2) {
    case 2:
      if (keyIs(s, ka, kb, 'id')) f.requestId = strAt(s, i, end);
      break;
    case 4:
      if (keyIs(s, ka, kb, 'path')) f.path = strAt(s, i, end);
      break;
    case 9:
      if (keyIs(s, ka, kb, 'operation')) f.operation = strAt(s, i, end);
      break;
    case 10:
      if (keyIs(s, ka, kb, 'mount_type')) f.mountType = strAt(s, i, end);
      break;
    case 11:
      if (keyIs(s, ka, kb, 'mount_point')) f.mountPoint = strAt(s, i, end);
      break;
    case 14:
      if (keyIs(s, ka, kb, 'remote_address')) f.remoteAddress = strAt(s, i, end);
      break;
  }
  return end;
};

const dataMember: Members<VaultFields> = (s, ka, kb, i, n, f) => {
  if (keyIs(s, ka, kb, 'error')) f.respDataError = true;
  return skipValue(s, i, n);
};

const secretMember: Members<VaultFields> = (s, ka, kb, i, n, f) => {
  const end = valueEnd(s, i, n);
  if (end >= 0 && keyIs(s, ka, kb, 'lease_id')) f.leaseId = strAt(s, i, end);
  return end;
};

const responseMember: Members<VaultFields> = (s, ka, kb, i, n, f) => {
  const len = kb - ka - 2;
  if (len === 4 && keyIs(s, ka, kb, 'auth')) {
    const end = authValue(s, i, n);
    f.respAuth = authOut;
    return end;
  }
  if (len === 4 && keyIs(s, ka, kb, 'data')) {
    f.respDataError = false;
    return s.charCodeAt(i) === 123 ? scanObject(s, i + 1, n, f, dataMember) : skipValue(s, i, n);
  }
  if (len === 6 && keyIs(s, ka, kb, 'secret')) {
    f.leaseId = undefined;
    return s.charCodeAt(i) === 123 ? scanObject(s, i + 1, n, f, secretMember) : skipValue(s, i, n);
  }
  // Source detection reads a response status code as the original script's format.
  if (len === 11 && keyIs(s, ka, kb, 'status_code')) return -2;
  return skipValue(s, i, n);
};

function resetRequest(f: VaultFields, has: boolean): void {
  f.hasRequest = has;
  f.path = f.mountType = f.mountPoint = f.operation = f.remoteAddress = f.requestId = undefined;
}

function resetResponse(f: VaultFields, has: boolean): void {
  f.hasResponse = has;
  f.respAuth = undefined;
  f.respDataError = false;
  f.leaseId = undefined;
}

const OTHER_SOURCE = new Set(OTHER_SOURCE_MEMBERS);

// Set by topMember: a `time` / `type` member was read (it overrides the entry's head).
let sawTime = false;
let sawType = false;

const topMember: Members<VaultFields> = (s, ka, kb, i, n, f) => {
  const len = kb - ka - 2;
  if (len === 7 && keyIs(s, ka, kb, 'request')) {
    if (s.charCodeAt(i) !== 123) {
      resetRequest(f, false);
      return skipValue(s, i, n);
    }
    resetRequest(f, true);
    return scanObject(s, i + 1, n, f, requestMember);
  }
  if (len === 8 && keyIs(s, ka, kb, 'response')) {
    if (s.charCodeAt(i) !== 123) {
      resetResponse(f, false);
      return skipValue(s, i, n);
    }
    resetResponse(f, true);
    return scanObject(s, i + 1, n, f, responseMember);
  }
  if (len === 4 && keyIs(s, ka, kb, 'auth')) {
    const end = authValue(s, i, n);
    f.auth = authOut;
    return end;
  }
  const end = valueEnd(s, i, n);
  if (end < 0) return -1;
  if (len === 4 && keyIs(s, ka, kb, 'time')) {
    sawTime = true;
    f.time = s.charCodeAt(i) === 34 ? stringAt(s, i, end) : undefined;
  } else if (len === 4 && keyIs(s, ka, kb, 'type')) {
    sawType = true;
    f.type = strAt(s, i, end);
  } else if (len === 5 && keyIs(s, ka, kb, 'error')) f.error = strAt(s, i, end);
  else if (OTHER_SOURCE.has(s.slice(ka + 1, kb - 1))) return -2;
  return end;
};

/**
 * Finish a Vault response entry that starts `{"time":"<time>","type":"response",` and whose members up to `at`
 * (where a `,` or the closing `}` follows) repeat its request entry's byte for byte, `f` holding what they and
 * the head say: read the members the response adds, and its end. True when the rest of the line is well-formed
 * JSON and `f` now holds exactly what `vaultFieldsOf(JSON.parse(line))` would; false to decline (invalid, a
 * member another source's detection reads, an escaped key) — the caller then parses the line the general way.
 *
 * @example
 * ```ts
 * if (scanVaultTail(response, at, fields)) events.push(vaultEvent(fields, { file, line }));
 * ```
 */
export function scanVaultTail(s: string, at: number, f: VaultFields): boolean {
  // The repeated members are the request's, already validated: only the time before them and the rest after
  // them can hold a raw control character.
  for (let i = 9; i < 64 && i < at; i++) {
    const c = s.charCodeAt(i);
    if (c === 34) break;
    if (c < 32) return false;
  }
  if (beginText(s, at)) return false;
  const n = s.length;
  // Re-enter the top-level object after its last member read.
  const i = scanObject(s, at, n, f, topMember, true);
  return i >= 0 && skipWs(s, i, n) === n;
}

// What a run of request members sets: each field, or UNSET when the run does not name it.
// A symbol: no value read from JSON can be it.
const UNSET = Symbol('unset') as unknown as string;
type RequestRun = Pick<VaultFields, 'requestId' | 'path' | 'mountType' | 'mountPoint' | 'operation' | 'remoteAddress'>;
// Runs of request members by their exact text (see TextMemo).
const requestRuns = new TextMemo<RequestRun>();

/**
 * Read a request entry from its request object on: `f` holds what its head and `auth` block say; the object is
 * written `{"id":"<id>"` + members + `,"remote_port":…` (as Vault writes it), `idStart`/`idEnd` delimiting the
 * id and `stop` the `,` before `"remote_port"`. The members between the id and `stop` are read once per distinct
 * text; the rest of the object and of the entry are scanned. True when everything from `idStart` on is
 * well-formed and `f` holds exactly what `vaultFieldsOf(JSON.parse(line))` would; false to decline. Afterwards
 * {@link lastScanSawTime} / {@link lastScanSawType} say whether a member repeated `time` / `type`.
 *
 * @example
 * ```ts
 * if (scanRequestFrom(line, idStart, idEnd, stop, fields)) pending.set(fields.requestId, fields);
 * ```
 */
export function scanRequestFrom(s: string, idStart: number, idEnd: number, stop: number, f: VaultFields): boolean {
  for (let k = idStart; k < idEnd; k++) {
    const c = s.charCodeAt(k);
    if (c < 32 || c === 92) return false;
  }
  const n = s.length;
  resetRequest(f, true);
  f.requestId = idEnd > idStart ? ownSlice(s, idStart, idEnd) : undefined;
  sawTime = sawType = false;
  let run = requestRuns.get(s.slice(idEnd + 1, stop));
  if (run === undefined) {
    if (beginText(s, idEnd + 1)) return false;
    const tmp = { ...f, requestId: UNSET, path: UNSET, mountType: UNSET, mountPoint: UNSET, operation: UNSET };
    tmp.remoteAddress = UNSET;
    if (scanObject(s, idEnd + 1, n, tmp, requestMember, true, stop) !== stop) return false;
    run = {
      requestId: tmp.requestId,
      path: tmp.path,
      mountType: tmp.mountType,
      mountPoint: tmp.mountPoint,
      operation: tmp.operation,
      remoteAddress: tmp.remoteAddress,
    };
    requestRuns.set(ownSlice(s, idEnd + 1, stop), run);
  } else if (beginText(s, stop)) return false;
  if (run.requestId !== UNSET) f.requestId = run.requestId;
  if (run.path !== UNSET) f.path = run.path;
  if (run.mountType !== UNSET) f.mountType = run.mountType;
  if (run.mountPoint !== UNSET) f.mountPoint = run.mountPoint;
  if (run.operation !== UNSET) f.operation = run.operation;
  if (run.remoteAddress !== UNSET) f.remoteAddress = run.remoteAddress;
  // The rest of the request object, then the rest of the entry.
  let i = scanObject(s, stop, n, f, requestMember, true);
  if (i < 0) return false;
  i = scanObject(s, i, n, f, topMember, true);
  return i >= 0 && skipWs(s, i, n) === n;
}

/** After {@link scanRequestFrom} accepted an entry: whether its members repeated `time`. */
export function lastScanSawTime(): boolean {
  return sawTime;
}

/** After {@link scanRequestFrom} accepted an entry: whether its members repeated `type`. */
export function lastScanSawType(): boolean {
  return sawType;
}

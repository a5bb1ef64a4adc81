import type { AuditEvent } from '@svm/core';
import { detectSource, normalizeRecord, OTHER_SOURCE_MEMBERS, type SourceChoice } from '../sources/detect.js';
import {
  emptyVaultFields,
  peekVaultRequestId,
  peekVaultType,
  type VaultAuthFields,
  vaultAuthFieldsOf,
  vaultEvent,
  vaultFieldsOf,
  type VaultFields,
} from '../sources/vault.js';
import { lastScanSawTime, lastScanSawType, ownSlice, scanRequestFrom, scanVaultTail } from '../sources/vault-scan.js';
import { obj, type Obj } from './json.js';
import { TextMemo } from './text-memo.js';
import { skipWs } from './validate-json.js';

/** One malformed input line. */
export interface MalformedLine {
  file: string;
  line: number;
  reason: string;
}

/** What parsing a batch of lines yields. Line numbers are relative to `firstLine`. */
export interface ParsedBatch {
  events: AuditEvent[];
  malformed: MalformedLine[];
  /** Non-empty lines seen. */
  lines: number;
}

/** A Vault request entry read in this batch, waiting for its response entry. */
interface PendingRequest {
  /** Its request id (the key it waits under). */
  id: string;
  index: number;
  fields: VaultFields;
  /** Its members after the head repeat `time` / `type` (those then hold for the response too). */
  ownTime: boolean;
  ownType: boolean;
}

/**
 * Parse a batch of NDJSON lines into normalised events. A Vault call is two entries, request then response, and
 * the file device repeats the request's members byte for byte in the response: the request entry is parsed
 * (`JSON.parse`), and its response entry, when it is in the batch, is checked against those members with one
 * memory compare and only the members it adds are read ({@link scanVaultTail}) — the pair becomes one event.
 * Requests without their response are returned as `entry: 'request'` for cross-batch pairing. Every line is
 * validated as a whole: a truncated or invalid line is recorded, whichever entry it is, and never stops the next.
 */
export function parseLines(
  lines: readonly string[],
  file: string,
  firstLine: number,
  source: SourceChoice,
): ParsedBatch {
  const events: AuditEvent[] = [];
  const malformed: MalformedLine[] = [];
  // Requests waiting for their response: the latest one apart (its response usually comes next, and then it
  // never enters the map), the others by request id.
  const pending = new Map<string, PendingRequest>();
  let latest: PendingRequest | undefined;
  let count = 0;
  const fast = source === 'auto' || source === 'vault';
  const push = (f: VaultFields, index: number, paired: boolean) => {
    const ev = vaultEvent(f, { file, line: firstLine + index });
    if (ev === undefined) malformed.push({ file, line: firstLine + index, reason: 'not a vault audit record' });
    else if (ev.time === '') malformed.push({ file, line: firstLine + index, reason: 'no valid timestamp' });
    else {
      if (paired) ev.entry = undefined;
      events.push(ev);
    }
  };
  /** A request waits; one with the same id that was already waiting stands alone. */
  const hold = (req: PendingRequest) => {
    if (latest !== undefined) {
      if (latest.id === req.id) push(latest.fields, latest.index, false);
      else {
        const earlier = pending.get(latest.id);
        if (earlier !== undefined) push(earlier.fields, earlier.index, false);
        pending.set(latest.id, latest);
      }
    }
    const earlier = pending.get(req.id);
    if (earlier !== undefined) {
      push(earlier.fields, earlier.index, false);
      pending.delete(req.id);
    }
    latest = req;
  };
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] as string;
    // A line that starts with '{' is not blank; only other lines pay for the whitespace check.
    if (line.length === 0 || (line.charCodeAt(0) !== 123 && isBlank(line))) continue;
    count++;
    if (fast && line.startsWith('{"time":"')) {
      const type = peekVaultType(line);
      if (type === 'request') {
        const rq = readRequest(line);
        if (rq?.f !== undefined) {
          const f = rq.f;
          if (f.requestId !== undefined)
            hold({ id: f.requestId, index: i, fields: f, ownTime: rq.ownTime, ownType: rq.ownType });
          else push(f, i, false);
          continue;
        }
        if (rq !== undefined) {
          const o = rq.o;
          const ownTime = Object.hasOwn(o, 'time');
          const ownType = Object.hasOwn(o, 'type');
          if (!ownTime) o['time'] = line.slice(9, line.indexOf('"', 9));
          if (!ownType) o['type'] = 'request';
          // Not Vault after all (rare): the general parse, of the whole line.
          if (!isVaultOnly(o, source)) {
            if (rq.auth === undefined) addObject(o, file, firstLine + i, source, events, malformed);
            else parseOne(line, file, firstLine + i, source, events, malformed);
            continue;
          }
          const f = vaultFieldsOf(o);
          // The auth block read apart holds unless a later `auth` member replaced it.
          if (rq.auth !== undefined && !Object.hasOwn(o, 'auth')) f.auth = rq.auth;
          if (f.hasRequest && f.requestId !== undefined)
            hold({ id: f.requestId, index: i, fields: f, ownTime, ownType });
          else push(f, i, false);
          continue;
        }
      } else if (type === 'response') {
        // A response usually follows its request closely: try the latest request's members first (one memory
        // compare), else look the request up by the id the response names.
        let req: PendingRequest | undefined;
        let tail = -1;
        if (latest !== undefined && repeatedMembers(lines[latest.index] as string, line) >= 0) {
          req = latest;
          tail = tailStart;
        } else {
          const id = peekVaultRequestId(line);
          req = id === undefined ? undefined : id === latest?.id ? latest : pending.get(id);
        }
        if (req !== undefined) {
          if (req === latest) latest = undefined;
          else pending.delete(req.id);
          // The pair is one event, built from the response entry (which repeats the request and says how it
          // ended); a response the scan declines is parsed the general way.
          const f = finishResponse(req, lines[req.index] as string, line, tail);
          const before = events.length;
          if (f !== undefined) push(f, i, true);
          else {
            parseOne(line, file, firstLine + i, source, events, malformed);
            if (events.length === before + 1) (events[before] as AuditEvent).entry = undefined;
          }
          // A response too damaged to give an event does not take its request's event with it.
          if (events.length === before) push(req.fields, req.index, false);
          continue;
        }
      }
    }
    parseOne(line, file, firstLine + i, source, events, malformed);
  }
  for (const req of pending.values()) push(req.fields, req.index, false);
  if (latest !== undefined) push(latest.fields, latest.index, false);
  return { events, malformed, lines: count };
}

/**
 * A request entry read by {@link readRequest}: its fields straight away, or its members parsed (`auth` read
 * apart when defined).
 */
type RequestMembers =
  | { f: VaultFields; ownTime: boolean; ownType: boolean; o?: undefined; auth?: undefined }
  | { o: Obj; auth: VaultAuthFields | undefined; f?: undefined };

// Validated `auth` blocks by their exact text. One token's block is the same on every call it makes, so most
// request entries repeat one seen before: its fields are looked up instead of parsed.
const authBlocks = new TextMemo<VaultAuthFields>();

/**
 * A request entry written `{"time":"<time>","type":"request",<members>}` parsed from its members on (the head is
 * checked here), or undefined for any other layout or invalid JSON (the general parse then reports it). When the
 * members start with `"auth":{…}` followed by `,"request":{`, the auth block is validated and read once per
 * distinct text, and only the members after it are parsed. (Wherever that split falls, the block is a complete,
 * well-formed value and the rest a well-formed continuation, so the line is exactly as valid as it would be parsed
 * whole.)
 */
function readRequest(line: string): RequestMembers | undefined {
  const r = membersStart(line, '","type":"request"');
  if (r < 0) return undefined;
  for (let i = 9; i < r; i++) if (line.charCodeAt(i) < 32) return undefined;
  // `{"time":"x","type":"request",}` is invalid, but `{` + `}` would not be: a member must follow the comma.
  const m = skipWs(line, r + 1, line.length);
  if (line.charCodeAt(m) !== 34) return undefined;
  if (line.startsWith('"auth":{', m)) {
    const end = line.indexOf('},"request":{', m + 8);
    if (end > 0) {
      const text = line.slice(m + 7, end + 1);
      let auth = authBlocks.get(text);
      if (auth === undefined) {
        // Not one value after all (the split fell elsewhere, or it is invalid): the members are parsed whole.
        const a = tryParse(text);
        auth = a === undefined ? undefined : vaultAuthFieldsOf(a as Obj);
        if (auth !== undefined) authBlocks.set(ownSlice(line, m + 7, end + 1), auth);
      }
      if (auth !== undefined) {
        // `"request":{"id":"<id>",…,"remote_port":…`: the members between the id and the port are read once
        // per distinct text (one caller, one path, one address). The port is near the end of the line, so it
        // is searched from there; any member boundary would do (the scan checks that the members end exactly
        // there), and a `,"remote_port":` that is no member boundary (a later or a nested one) is declined.
        if (line.startsWith('},"request":{"id":"', end)) {
          const idEnd = line.indexOf('"', end + 19);
          const stop = idEnd < 0 ? -1 : line.lastIndexOf(',"remote_port":');
          if (stop > idEnd) {
            const f = emptyVaultFields();
            f.time = ownSlice(line, 9, line.indexOf('"', 9));
            f.type = 'request';
            f.auth = auth;
            if (scanRequestFrom(line, end + 19, idEnd, stop, f))
              return { f, ownTime: lastScanSawTime(), ownType: lastScanSawType() };
          }
        }
        const o = tryParse(`{${line.slice(end + 2)}`);
        return o === undefined ? undefined : { o: o as Obj, auth };
      }
    }
  }
  const o = tryParse(`{${line.slice(m)}`);
  return o === undefined ? undefined : { o: o as Obj, auth: undefined };
}

/**
 * Whether a parsed entry is a Vault record (detection, when `auto`, says so) with no member another source's
 * detection reads, so that the members its response adds are all that can change what it is.
 */
function isVaultOnly(o: Obj, source: SourceChoice): boolean {
  for (const k of OTHER_SOURCE_MEMBERS) if (o[k] !== undefined) return false;
  const records = o['Records'] ?? o['records'];
  if (Array.isArray(records)) return false;
  return source === 'vault' || detectSource(o) === 'vault';
}

/**
 * The fields of a response entry whose request entry was read, when the response repeats its members verbatim
 * (`tail`, where they end, when already compared): the request's, with the response's head and the members it
 * adds; undefined when it does not, or the scan declines (the caller then parses it the general way).
 */
function finishResponse(req: PendingRequest, request: string, response: string, tail: number): VaultFields | undefined {
  if (tail < 0 && repeatedMembers(request, response) >= 0) tail = tailStart;
  if (tail < 0) return undefined;
  const f = { ...req.fields };
  // The head comes first: members that repeat `time` / `type` override it, in the response as in the request.
  if (!req.ownTime) f.time = ownSlice(response, 9, response.indexOf('"', 9));
  if (!req.ownType) f.type = 'response';
  return scanVaultTail(response, tail, f) ? f : undefined;
}

// Set by repeatedMembers: where the response's own members start (after the request's, repeated verbatim).
let tailStart = -1;

/**
 * Where the request entry's members (`,"auth":{…},"request":{…}`, everything after its `type`) sit verbatim in
 * the response entry (the file device writes them byte for byte), or -1 for any other layout; sets
 * {@link tailStart} to the index just after them.
 */
function repeatedMembers(request: string, response: string): number {
  const r = membersStart(request, '","type":"request"');
  if (r < 0 || request.charCodeAt(request.length - 1) !== 125) return -1;
  const q = membersStart(response, '","type":"response"');
  if (q < 0) return -1;
  const len = request.length - 1 - r;
  // Substring equality is a native memory compare (startsWith walks character by character).
  if (q + len >= response.length || response.slice(q, q + len) !== request.slice(r, r + len)) return -1;
  tailStart = q + len;
  return q;
}

/** Index of the `,` that follows `{"time":"<time>","type":"<type>"` at the start of a Vault line, or -1. */
function membersStart(line: string, typeMember: string): number {
  if (!line.startsWith('{"time":"')) return -1;
  const end = line.indexOf('"', 9);
  if (end < 0 || end > 64 || line.lastIndexOf('\\', end) >= 9 || !line.startsWith(typeMember, end)) return -1;
  const at = end + typeMember.length;
  return line.charCodeAt(at) === 44 ? at : -1;
}

function tryParse(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function isBlank(line: string): boolean {
  return line.trim().length === 0;
}

/** Parse one line into `events` (or `malformed`); true when the whole line is well-formed JSON. */
function parseOne(
  line: string,
  file: string,
  lineNo: number,
  source: SourceChoice,
  events: AuditEvent[],
  malformed: MalformedLine[],
): boolean {
  if (line.charCodeAt(0) === 0) {
    malformed.push({ file, line: lineNo, reason: 'line too long (dropped)' });
    return false;
  }
  let value: unknown;
  let whole = true;
  try {
    value = JSON.parse(line);
  } catch {
    whole = false;
    // A file device `prefix` or a syslog header before the JSON: parse from the first '{'.
    const brace = line.indexOf('{');
    value = brace > 0 ? tryParse(line.slice(brace)) : undefined;
    if (value === undefined) {
      malformed.push({
        file,
        line: lineNo,
        reason: line.trimStart().startsWith('{') ? 'truncated or invalid JSON' : 'not JSON',
      });
      return false;
    }
  }
  const o = obj(value);
  if (!o) malformed.push({ file, line: lineNo, reason: 'not a JSON object' });
  else addObject(o, file, lineNo, source, events, malformed);
  return whole;
}

/** One parsed line: a record, or a whole CloudTrail/Azure document on one line. */
function addObject(
  o: Obj,
  file: string,
  lineNo: number,
  source: SourceChoice,
  events: AuditEvent[],
  malformed: MalformedLine[],
): void {
  const records = o['Records'] ?? o['records'];
  if (Array.isArray(records)) parseRecords(records, file, lineNo, source, events, malformed);
  else addRecord(o, file, lineNo, source, events, malformed);
}

/** Parse the records of a `{"Records": [...]}` / `{"records": [...]}` / top-level array document. */
export function parseRecords(
  records: readonly unknown[],
  file: string,
  lineNo: number,
  source: SourceChoice,
  events: AuditEvent[],
  malformed: MalformedLine[],
): void {
  for (const r of records) {
    const o = obj(r);
    if (!o) {
      malformed.push({ file, line: lineNo, reason: 'record is not a JSON object' });
      continue;
    }
    addRecord(o, file, lineNo, source, events, malformed);
  }
}

function addRecord(
  o: Obj,
  file: string,
  lineNo: number,
  source: SourceChoice,
  events: AuditEvent[],
  malformed: MalformedLine[],
): void {
  const kind = source === 'auto' ? detectSource(o) : source;
  if (kind === undefined) {
    malformed.push({ file, line: lineNo, reason: 'not a recognised audit record' });
    return;
  }
  const ev = normalizeRecord(kind, o, { file, line: lineNo });
  if (!ev) malformed.push({ file, line: lineNo, reason: `not a ${kind} audit record` });
  else if (ev.time === '') malformed.push({ file, line: lineNo, reason: 'no valid timestamp' });
  else events.push(ev);
}

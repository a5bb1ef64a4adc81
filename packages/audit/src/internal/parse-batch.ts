import type { AuditEvent } from '@svm/core';
import { detectSource, normalizeRecord, type SourceChoice } from '../sources/detect.js';
import { peekVaultRequestId, peekVaultType } from '../sources/vault.js';
import { obj, type Obj } from './json.js';
import { isWellFormedJson } from './validate-json.js';

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

/**
 * Parse a batch of NDJSON lines into normalised events. A Vault call whose request and response entries are
 * both in the batch is built from one of them (the other is only validated, never turned into objects); the
 * rest are parsed and returned as `entry: 'request'` for cross-batch pairing. Every line is checked: a
 * truncated or invalid line is recorded, whichever entry it is, and never stops the next one.
 */
export function parseLines(
  lines: readonly string[],
  file: string,
  firstLine: number,
  source: SourceChoice,
): ParsedBatch {
  const events: AuditEvent[] = [];
  const malformed: MalformedLine[] = [];
  // Vault request lines held until their response shows up in this batch.
  const pending = new Map<string, number>();
  let count = 0;
  const allowVault = source === 'auto' || source === 'vault';
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] as string;
    // A line that starts with '{' is not blank; only other lines pay for the whitespace check.
    if (line.length === 0 || (line.charCodeAt(0) !== 123 && isBlank(line))) continue;
    count++;
    if (allowVault) {
      const t = peekVaultType(line);
      if (t === 'request') {
        const id = peekVaultRequestId(line);
        if (id !== undefined) {
          pending.set(id, i);
          continue;
        }
      } else if (t === 'response') {
        const id = peekVaultRequestId(line);
        const reqIndex = id === undefined ? undefined : pending.get(id);
        if (reqIndex !== undefined) {
          pending.delete(id as string);
          const before = events.length;
          // Skip work early: a plain successful call needs nothing from its response entry, and the request
          // entry is a third smaller to parse. Errors, denials, logins and issued tokens read the response.
          const request = lines[reqIndex] as string;
          if (!pairFromRequest(request, line, file, firstLine, reqIndex, i, source, events, malformed)) {
            // Any other call is built from its response entry, which says everything; the request is validated.
            if (!wellFormed(request))
              malformed.push({ file, line: firstLine + reqIndex, reason: 'truncated or invalid JSON' });
            parseOne(line, file, firstLine + i, source, events, malformed);
          }
          // Paired here: complete, no cross-batch pairing needed.
          if (events.length === before + 1) (events[before] as AuditEvent).entry = undefined;
          continue;
        }
      }
    }
    parseOne(line, file, firstLine + i, source, events, malformed);
  }
  for (const i of pending.values()) parseOne(lines[i] as string, file, firstLine + i, source, events, malformed);
  return { events, malformed, lines: count };
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

/**
 * Whether the members a response entry adds after the request's (from `at`) could change the event: a
 * response `auth` (a login or an issued token), an `error` (top level or in `response.data`), a second
 * `request`, `type` or `time`, or any escape (a key could be spelled with `\u`). Without them, parsing the
 * response yields exactly the event its request entry yields, dated by the response.
 */
function tailMatters(response: string, at: number): boolean {
  return (
    response.indexOf('\\', at) >= 0 ||
    response.indexOf('"auth"', at) >= 0 ||
    response.indexOf('"error"', at) >= 0 ||
    response.indexOf('"request"', at) >= 0 ||
    response.indexOf('"type"', at) >= 0 ||
    response.indexOf('"time"', at) >= 0
  );
}

/**
 * A Vault call whose response repeats its request's members and adds nothing the event reads
 * ({@link tailMatters}): parse the smaller request entry, date and locate the event by the response, and check
 * parsed). An `auth/` path (whose outcome depends on the entry type) is built from the response after all, the
 * request being valid. Returns false, having done nothing, for any other call.
 */
function pairFromRequest(
  request: string,
  response: string,
  file: string,
  firstLine: number,
  reqIndex: number,
  i: number,
  source: SourceChoice,
  events: AuditEvent[],
  malformed: MalformedLine[],
): boolean {
  const q = repeatedMembers(request, response);
  if (q < 0) return false;
  const tail = tailStart;
  if (tailMatters(response, tail)) return false;
  const respTime = peekTime(response);
  // The response's time as the parse would read it (isoTime keeps an RFC 3339 UTC time as written).
  if (respTime === undefined || respTime.charCodeAt(10) !== 84) return false;
  const before = events.length;
  const whole = parseOne(request, file, firstLine + reqIndex, source, events, malformed);
  const ev = events[before];
  if (whole && ev?.path.startsWith('auth/')) {
    events.length = before;
    parseOne(response, file, firstLine + i, source, events, malformed);
    return true;
  }
  if (!(whole ? isWellFormedJson(response.slice(0, q) + response.slice(tail)) : wellFormed(response)))
    malformed.push({ file, line: firstLine + i, reason: 'truncated or invalid JSON' });
  if (ev !== undefined) {
    ev.time = respTime;
    ev.line = firstLine + i;
  }
  return true;
}

/** Index of the `,` that follows `{"time":"<time>","type":"<type>"` at the start of a Vault line, or -1. */
function membersStart(line: string, typeMember: string): number {
  if (!line.startsWith('{"time":"')) return -1;
  const end = line.indexOf('"', 9);
  if (end < 0 || end > 64 || line.lastIndexOf('\\', end) >= 9 || !line.startsWith(typeMember, end)) return -1;
  const at = end + typeMember.length;
  return line.charCodeAt(at) === 44 ? at : -1;
}

/** A line is well-formed when it is JSON from its start or, after a file-device prefix or syslog header, from its first '{'. */
function wellFormed(line: string): boolean {
  if (line.charCodeAt(0) === 123) return isWellFormedJson(line);
  const brace = line.indexOf('{');
  return isWellFormedJson(line) || (brace > 0 && isWellFormedJson(line, brace));
}

function tryParse(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** The `time` Vault writes first on every line, without parsing. */
function peekTime(line: string): string | undefined {
  if (!line.startsWith('{"time":"')) return undefined;
  const end = line.indexOf('"', 9);
  return end > 9 && line.charCodeAt(end - 1) === 90 /* Z */ ? line.slice(9, end) : undefined;
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
  if (!o) {
    malformed.push({ file, line: lineNo, reason: 'not a JSON object' });
    return whole;
  }
  // A whole CloudTrail/Azure document on one line.
  const records = o['Records'] ?? o['records'];
  if (Array.isArray(records)) {
    parseRecords(records, file, lineNo, source, events, malformed);
    return whole;
  }
  addRecord(o, file, lineNo, source, events, malformed);
  return whole;
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

import type { AuditEvent } from '@svm/core';
import { detectSource, normalizeRecord, type SourceChoice } from '../sources/detect.js';
import { emptyVaultFields, peekVaultRequestId, peekVaultType, vaultEvent, type VaultFields } from '../sources/vault.js';
import { lastLineRepeatsHead, ownSlice, scanVaultLine, scanVaultTail } from '../sources/vault-scan.js';
import { obj, type Obj } from './json.js';

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
  index: number;
  fields: VaultFields;
  /** Its top level repeats `time` or `type`: its response cannot be finished from its members. */
  repeatsHead: boolean;
}

/**
 * Parse a batch of NDJSON lines into normalised events. Vault entries (`{"time":…` lines) are read straight from
 * their text ({@link scanVaultLine}); a response entry whose request entry is in the batch reads only what it
 * adds to the request's members, which the file device repeats byte for byte, and the pair becomes one event.
 * Requests without their response are returned as `entry: 'request'` for cross-batch pairing. Anything the scan
 * declines, and every other source, is parsed with `JSON.parse`. Every line is validated as a whole: a truncated
 * or invalid line is recorded, whichever entry it is, and never stops the next one.
 */
export function parseLines(
  lines: readonly string[],
  file: string,
  firstLine: number,
  source: SourceChoice,
): ParsedBatch {
  const events: AuditEvent[] = [];
  const malformed: MalformedLine[] = [];
  const pending = new Map<string, PendingRequest>();
  let count = 0;
  const fast = source === 'auto' || source === 'vault';
  const push = (f: VaultFields, index: number, paired: boolean) => {
    const ev = vaultEvent(f, { file, line: firstLine + index }) as AuditEvent;
    if (ev.time === '') malformed.push({ file, line: firstLine + index, reason: 'no valid timestamp' });
    else {
      if (paired) ev.entry = undefined;
      events.push(ev);
    }
  };
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] as string;
    // A line that starts with '{' is not blank; only other lines pay for the whitespace check.
    if (line.length === 0 || (line.charCodeAt(0) !== 123 && isBlank(line))) continue;
    count++;
    if (fast && line.startsWith('{"time":"')) {
      if (peekVaultType(line) === 'response') {
        const id = peekVaultRequestId(line);
        const req = id === undefined ? undefined : pending.get(id);
        if (req !== undefined) {
          pending.delete(id as string);
          // The pair is one event, built from the response entry (which repeats the request and says how it
          // ended); a response the scan declines is parsed the general way.
          const f = finishResponse(req, lines[req.index] as string, line);
          if (f !== undefined) push(f, i, true);
          else {
            const before = events.length;
            parseOne(line, file, firstLine + i, source, events, malformed);
            if (events.length === before + 1) (events[before] as AuditEvent).entry = undefined;
          }
          continue;
        }
      }
      const f = emptyVaultFields();
      if (scanVaultLine(line, f)) {
        if (f.type === 'request' && f.requestId !== undefined) {
          const earlier = pending.get(f.requestId);
          if (earlier !== undefined) push(earlier.fields, earlier.index, false);
          pending.set(f.requestId, { index: i, fields: f, repeatsHead: lastLineRepeatsHead() });
        } else push(f, i, false);
        continue;
      }
    }
    parseOne(line, file, firstLine + i, source, events, malformed);
  }
  for (const req of pending.values()) push(req.fields, req.index, false);
  return { events, malformed, lines: count };
}

/**
 * The fields of a response entry whose request entry was read: from the request's when the response repeats
 * its members verbatim (only the response's time and its own members are read), else from a full scan; undefined
 * when the scan declines (the caller then parses it the general way).
 */
function finishResponse(req: PendingRequest, request: string, response: string): VaultFields | undefined {
  if (!req.repeatsHead) {
    const q = repeatedMembers(request, response);
    if (q >= 0) {
      const f = { ...req.fields };
      f.time = ownSlice(response, 9, response.indexOf('"', 9));
      f.type = 'response';
      if (scanVaultTail(response, tailStart, f)) return f;
    }
  }
  const f = emptyVaultFields();
  return scanVaultLine(response, f) ? f : undefined;
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

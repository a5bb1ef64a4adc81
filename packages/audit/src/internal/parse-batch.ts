import type { AuditEvent } from '@svm/core';
import { detectSource, normalizeRecord, type SourceChoice } from '../sources/detect.js';
import { peekVaultRequestId, peekVaultType } from '../sources/vault.js';
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

/**
 * Parse a batch of NDJSON lines into normalised events. Vault request entries whose response is in the same
 * batch are skipped without being parsed (the response carries the request); the rest are parsed and returned
 * as `entry: 'request'` for cross-batch pairing. A bad line is recorded and never stops the next one.
 */
export function parseLines(lines: readonly string[], file: string, firstLine: number, source: SourceChoice): ParsedBatch {
  const events: AuditEvent[] = [];
  const malformed: MalformedLine[] = [];
  // Vault request lines held until their response shows up in this batch.
  const pending = new Map<string, number>();
  let count = 0;
  const allowVault = source === 'auto' || source === 'vault';
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] as string;
    if (line.length === 0 || isBlank(line)) continue;
    count++;
    if (allowVault) {
      const t = peekVaultType(line);
      if (t === 'request') {
        const id = peekVaultRequestId(line);
        if (id !== undefined) {
          pending.set(id, i);
          continue;
        }
      } else if (t === 'response' && pending.size > 0) {
        const id = peekVaultRequestId(line);
        if (id !== undefined) pending.delete(id);
      }
    }
    parseOne(line, file, firstLine + i, source, events, malformed);
  }
  for (const i of pending.values()) parseOne(lines[i] as string, file, firstLine + i, source, events, malformed);
  return { events, malformed, lines: count };
}

function isBlank(line: string): boolean {
  return line.trim().length === 0;
}

function parseOne(line: string, file: string, lineNo: number, source: SourceChoice, events: AuditEvent[], malformed: MalformedLine[]): void {
  if (line.charCodeAt(0) === 0) {
    malformed.push({ file, line: lineNo, reason: 'line too long (dropped)' });
    return;
  }
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    malformed.push({ file, line: lineNo, reason: line.trimStart().startsWith('{') ? 'truncated or invalid JSON' : 'not JSON' });
    return;
  }
  const o = obj(value);
  if (!o) {
    malformed.push({ file, line: lineNo, reason: 'not a JSON object' });
    return;
  }
  // A whole CloudTrail/Azure document on one line.
  const records = o['Records'] ?? o['records'];
  if (Array.isArray(records)) {
    parseRecords(records, file, lineNo, source, events, malformed);
    return;
  }
  addRecord(o, file, lineNo, source, events, malformed);
}

/** Parse the records of a `{"Records": [...]}` / `{"records": [...]}` / top-level array document. */
export function parseRecords(records: readonly unknown[], file: string, lineNo: number, source: SourceChoice, events: AuditEvent[], malformed: MalformedLine[]): void {
  for (const r of records) {
    const o = obj(r);
    if (!o) {
      malformed.push({ file, line: lineNo, reason: 'record is not a JSON object' });
      continue;
    }
    addRecord(o, file, lineNo, source, events, malformed);
  }
}

function addRecord(o: Obj, file: string, lineNo: number, source: SourceChoice, events: AuditEvent[], malformed: MalformedLine[]): void {
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

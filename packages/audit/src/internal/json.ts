/** Loose JSON object access without `any`. */
export type Obj = Record<string, unknown>;

export function obj(v: unknown): Obj | undefined {
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Obj) : undefined;
}

export function str(v: unknown): string | undefined {
  return typeof v === 'string' && v.length > 0 ? v : undefined;
}

export function num(v: unknown): number | undefined {
  if (typeof v === 'number' && Number.isFinite(v)) return v;
  if (typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v))) return Number(v);
  return undefined;
}

export function strArray(v: unknown): string[] | undefined {
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : undefined;
}

/** ISO instant from a source timestamp, or undefined when it is not a date. */
export function isoTime(v: unknown): string | undefined {
  if (typeof v !== 'string' || v.length < 10) return undefined;
  // Fast path: already RFC 3339 UTC (Vault, CloudTrail, GCP, Azure all write it).
  if (v.endsWith('Z') && v.charCodeAt(10) === 84 /* T */) return v;
  const ms = Date.parse(
    v.includes('T') || v.length <= 10 ? v : v.replace(' ', 'T') + (/[zZ]|[+-]\d\d:?\d\d$/.test(v) ? '' : 'Z'),
  );
  return Number.isFinite(ms) ? new Date(ms).toISOString() : undefined;
}

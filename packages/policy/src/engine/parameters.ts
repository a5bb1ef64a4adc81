import type { AclEntry } from './compile.js';

/** Why a parameter check refused a request. */
export interface ParameterRefusal {
  reason: 'required-parameter-missing' | 'parameter-denied' | 'parameter-not-allowed';
  parameter: string;
}

/**
 * Vault's `strutil.GlobbedStringsMatch`: `*x` suffix, `x*` prefix, `*x*` contains, else equal.
 *
 * @example
 * ```ts
 * globbedStringsMatch('prod-*', 'prod-db'); // true
 * ```
 */
export function globbedStringsMatch(item: string, value: string): boolean {
  if (item.length < 2) return value === item;
  const starts = item.startsWith('*');
  const ends = item.endsWith('*');
  if (starts && ends) return value.includes(item.slice(1, -1));
  if (starts) return value.endsWith(item.slice(1));
  if (ends) return value.startsWith(item.slice(0, -1));
  return value === item;
}

function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== typeof b || a === null || b === null || typeof a !== 'object') return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a))
    return a.length === (b as unknown[]).length && a.every((x, i) => deepEqual(x, (b as unknown[])[i]));
  const ka = Object.keys(a as object);
  const kb = Object.keys(b as object);
  return (
    ka.length === kb.length &&
    ka.every(
      (k) =>
        Object.hasOwn(b as object, k) &&
        deepEqual((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]),
    )
  );
}

/** Vault's `valueInSlice`: nil matches nil, strings glob-match, anything else deep-equals. */
function valueInList(value: unknown, list: readonly unknown[]): boolean {
  for (const el of list) {
    if (el === null || el === undefined || value === null || value === undefined) {
      if ((el ?? null) === (value ?? null)) return true;
    } else if (typeof el === 'string' && typeof value === 'string') {
      if (globbedStringsMatch(el, value)) return true;
    } else if (deepEqual(el, value)) return true;
  }
  return false;
}

/** `parseutil.ParseCommaStringSlice` for a string: split on commas, trim, drop empty parts. */
function commaParts(value: string): string[] {
  return value
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
}

function inAllowed(value: unknown, list: readonly unknown[], legacy: boolean): boolean {
  if (list.length === 0) return true;
  if (valueInList(value, list)) return true;
  if (legacy) return false;
  if (Array.isArray(value)) return value.every((v) => valueInList(v, list));
  if (typeof value === 'string') return commaParts(value).every((v) => valueInList(v, list));
  return false;
}

function inDenied(value: unknown, list: readonly unknown[], legacy: boolean): boolean {
  if (list.length === 0) return true;
  if (valueInList(value, list)) return true;
  if (legacy) return false;
  if (Array.isArray(value)) return value.some((v) => valueInList(v, list));
  if (typeof value === 'string') return commaParts(value).some((v) => valueInList(v, list));
  return false;
}

/**
 * Vault's parameter checks for read/create/update/patch (and recover), in its order: required
 * parameters, then no data → allowed, then denied parameters, then allowed parameters.
 * Returns `null` when the request passes.
 */
export function checkParameters(
  entry: AclEntry,
  data: Record<string, unknown> | undefined,
  legacy: boolean,
): ParameterRefusal | null {
  for (const required of entry.requiredParameters) {
    const key = required.toLowerCase();
    if (!data || !Object.hasOwn(data, key)) return { reason: 'required-parameter-missing', parameter: required };
  }
  if (!data) return null;
  const keys = Object.keys(data);
  if (keys.length === 0) return null;
  const denied = entry.deniedParameters;
  if (denied && denied.size > 0) {
    if (denied.has('*')) return { reason: 'parameter-denied', parameter: keys[0] as string };
    for (const key of keys) {
      const list = denied.get(key.toLowerCase());
      if (list && inDenied(data[key], list, legacy)) return { reason: 'parameter-denied', parameter: key };
    }
  }
  const allowed = entry.allowedParameters;
  if (!allowed || allowed.size === 0) return null;
  const allowedAll = allowed.has('*');
  if (allowed.size === 1 && allowedAll) return null;
  for (const key of keys) {
    const list = allowed.get(key.toLowerCase());
    if (!list && !allowedAll) return { reason: 'parameter-not-allowed', parameter: key };
    if (list && !inAllowed(data[key], list, legacy)) return { reason: 'parameter-not-allowed', parameter: key };
  }
  return null;
}

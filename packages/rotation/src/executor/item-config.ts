import { randomBytes } from 'node:crypto';
import { type InventoryItem, SvmError, parseDurationMs } from '@svm/core';

/**
 * The executor's settings of an item: its `rotation:` mapping (snake_case keys), e.g.
 * `rotation: { grace: 1h, accounts: [app_user_a, app_user_b], admin_secret: prod/db-admin }`.
 */
export function rotationConfig(item: InventoryItem): Record<string, unknown> {
  const r = (item as Record<string, unknown>).rotation;
  if (r === undefined || r === null) return {};
  if (typeof r !== 'object' || Array.isArray(r))
    throw new SvmError('INPUT_INVALID', `${item.id ?? item.name}: rotation: expected a mapping`, { field: 'rotation' });
  return r as Record<string, unknown>;
}

/** A string setting, or the default; anything else is an input error naming the field. */
export function configString(item: InventoryItem, key: string, fallback?: string): string | undefined {
  const v = rotationConfig(item)[key];
  if (v === undefined || v === null) return fallback;
  if (typeof v !== 'string' || v === '')
    throw new SvmError('INPUT_INVALID', `${item.id ?? item.name}: rotation.${key}: expected a string`, {
      field: `rotation.${key}`,
    });
  return v;
}

/** A required string setting. */
export function requireString(item: InventoryItem, key: string): string {
  const v = configString(item, key);
  if (v === undefined)
    throw new SvmError(
      'INPUT_INVALID',
      `${item.id ?? item.name}: rotation.${key} is required for strategy ${item.strategy ?? item.type}`,
      { field: `rotation.${key}` },
    );
  return v;
}

/** A list of strings. */
export function configList(item: InventoryItem, key: string): string[] | undefined {
  const v = rotationConfig(item)[key];
  if (v === undefined || v === null) return undefined;
  if (!Array.isArray(v) || !v.every((x) => typeof x === 'string'))
    throw new SvmError('INPUT_INVALID', `${item.id ?? item.name}: rotation.${key}: expected a list of strings`, {
      field: `rotation.${key}`,
    });
  return v as string[];
}

/** A duration (`1h`, `30m`, `7d`, or a number of seconds) in milliseconds. */
export function configDurationMs(item: InventoryItem, key: string, fallbackMs: number): number {
  const v = rotationConfig(item)[key];
  if (v === undefined || v === null) return fallbackMs;
  if (typeof v === 'number' && v >= 0) return v * 1000;
  if (typeof v === 'string') {
    try {
      return parseDurationMs(v.trim());
    } catch {
      // fall through to the error
    }
  }
  throw new SvmError(
    'INPUT_INVALID',
    `${item.id ?? item.name}: rotation.${key}: expected a duration such as 30m, 1h or 7d`,
    { field: `rotation.${key}` },
  );
}

/** A new random password: 32 URL-safe characters (192 bits). */
export function newPassword(): string {
  return randomBytes(24).toString('base64url');
}

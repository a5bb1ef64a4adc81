import type { InventoryItem } from '@svm/core';
import type { SecretActivity } from './aggregates.js';

/** The key an inventory item is known by: `path`, else `id`, else `name`. */
export function itemKey(item: InventoryItem): string {
  const path = (item as Record<string, unknown>)['path'];
  return (typeof path === 'string' && path) || item.id || item.name || '';
}

/**
 * Find the secrets in the logs an inventory item names: equal, or one ends with `/<other>` (so `prod/db`
 * matches Vault's `secret/prod/db` and Azure's `kv-pay/prod-db` matches `prod-db`).
 */
export function matchActivity(item: InventoryItem, secrets: readonly SecretActivity[]): SecretActivity[] {
  const keys = [itemKey(item), item.name, item.id]
    .filter((k): k is string => typeof k === 'string' && k.length > 0)
    .map((k) => k.replace(/^\/+|\/+$/g, ''));
  return secrets.filter((s) =>
    keys.some((k) => s.secret === k || s.secret.endsWith(`/${k}`) || k.endsWith(`/${s.secret}`)),
  );
}

/** The later of two ISO instants/dates (null-safe). */
export function latest(a: string | null | undefined, b: string | null | undefined): string | null {
  if (!a) return b ?? null;
  if (!b) return a;
  return Date.parse(a) >= Date.parse(b) ? a : b;
}

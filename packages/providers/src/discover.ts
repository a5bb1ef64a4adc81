import {
  type InventoryItem,
  type SecretMetadata,
  formatStoreUri,
  Inventory,
  isSvmError,
  redactStoreUri,
} from '@svm/core';
import { mapLimit } from './internal/pool.js';
import type { SecretStore } from './store.js';

/** Options of {@link discoverInventory}. */
export interface DiscoverOptions {
  /** Only secrets whose names start with this. */
  prefix?: string | undefined;
  /** Metadata requests in flight per store (default 4, to stay under provider rate limits). */
  concurrency?: number | undefined;
}

/** A discovered inventory (the core `Inventory` schema) and what could not be read. */
export interface DiscoverResult {
  inventory: { version: 1; secrets: InventoryItem[] };
  /** One line per secret or store that was skipped, with its error code; never a value. */
  warnings: string[];
}

/** Tag / label / custom-metadata keys read into inventory fields (case-insensitive, `-` or `_`). */
const TAG_FIELDS = ['type', 'owner', 'team', 'environment', 'criticality', 'strategy', 'interval'] as const;

/**
 * Build a rotation inventory from store metadata: AWS rotation rules and last-rotated dates, Vault KV
 * metadata (version times, custom metadata), GCP rotation period and expiry, Azure expiry and tags.
 * Reads metadata only, never values.
 *
 * @example
 * ```ts
 * const { inventory, warnings } = await discoverInventory([await openStore('aws-sm://eu-west-1')]);
 * // inventory.secrets[0]: { name: 'prod/db', store: 'aws-sm://eu-west-1', last_rotated: '…', interval: '30d', … }
 * ```
 */
export async function discoverInventory(
  stores: readonly SecretStore[],
  options: DiscoverOptions = {},
): Promise<DiscoverResult> {
  const secrets: InventoryItem[] = [];
  const warnings: string[] = [];
  for (const store of stores) {
    const uri = redactStoreUri(formatStoreUri(store.ref));
    let names: string[];
    try {
      names = (await store.list(options.prefix ?? '')).map((e) => e.name);
    } catch (error) {
      if (!isSvmError(error) || error.kind === 'internal') throw error;
      warnings.push(`${uri}: cannot list secrets (${error.code})`);
      continue;
    }
    const metas = await mapLimit(names, options.concurrency ?? 4, async (name) => {
      try {
        return await store.metadata(name);
      } catch (error) {
        if (!isSvmError(error) || error.kind === 'internal') throw error;
        // Vault lists keys whose versions are all deleted: those are not inventory.
        if (error.code !== 'SECRET_NOT_FOUND') warnings.push(`${uri}: ${name}: skipped (${error.code})`);
        return undefined;
      }
    });
    for (const meta of metas) if (meta && !meta.deletedAt) secrets.push(itemFrom(meta, uri));
  }
  const inventory = { version: 1 as const, secrets };
  Inventory.parse(inventory);
  return { inventory, warnings };
}

/**
 * One inventory item from a secret's metadata.
 *
 * @example
 * ```ts
 * itemFrom({ name: 'db', tags: { owner: 'payments' }, lastRotatedAt: '2026-01-01T00:00:00Z' }, 'file:///x.svm');
 * // { id: 'file:///x.svm#db', name: 'db', store: 'file:///x.svm', last_rotated: '2026-01-01T00:00:00Z', owner: 'payments', … }
 * ```
 */
export function itemFrom(meta: SecretMetadata, storeUri: string): InventoryItem {
  const tag = (key: string): string | undefined => {
    for (const [k, v] of Object.entries(meta.tags)) if (k.toLowerCase().replace(/-/g, '_') === key) return v;
    return undefined;
  };
  const item: InventoryItem = { id: `${storeUri}#${meta.name}`, name: meta.name, store: storeUri };
  const type = tag('type') ?? tag('secret_type') ?? guessType(meta.name);
  if (type) item.type = type;
  if (meta.createdAt) item.created = meta.createdAt;
  if (meta.lastRotatedAt) item.last_rotated = meta.lastRotatedAt;
  if (meta.expiresAt) item.expires_at = meta.expiresAt;
  const days = meta.rotation?.intervalDays;
  if (days !== undefined && Number.isInteger(days) && days > 0) item.interval = `${days}d`;
  else if (tag('interval') && /^\d+d?$/.test(tag('interval') as string))
    item.interval = (tag('interval') as string).replace(/^(\d+)$/, '$1d');
  for (const field of TAG_FIELDS) {
    if (field === 'type' || field === 'interval') continue;
    const value = tag(field) ?? (field === 'environment' ? tag('env') : undefined);
    if (value === undefined) continue;
    if (field === 'criticality' && !['low', 'medium', 'high', 'critical'].includes(value)) continue;
    (item as Record<string, unknown>)[field] = value;
  }
  if (meta.rotation) item.tags = { ...meta.tags, rotation_enabled: String(meta.rotation.enabled) };
  else if (Object.keys(meta.tags).length > 0) item.tags = { ...meta.tags };
  return item;
}

/** A secret type from common naming, or undefined when the name says nothing. */
function guessType(name: string): string | undefined {
  const n = name.toLowerCase();
  if (/(^|[/_.-])(db|database|postgres|pg|mysql|mongo|redis|rds)([/_.-]|$)/.test(n)) return 'database';
  if (/(tls|ssl|cert)/.test(n)) return 'tls-certificate';
  if (/ssh/.test(n)) return 'ssh-key';
  if (/(api[-_]?key|apikey)/.test(n)) return 'api-key';
  if (/(oauth|client[-_]?secret)/.test(n)) return 'oauth-secret';
  if (/token/.test(n)) return 'service-token';
  if (/(password|passwd|pwd)/.test(n)) return 'password';
  if (/(encryption|kek|dek|signing)[-_]?key/.test(n)) return 'encryption-key';
  return undefined;
}

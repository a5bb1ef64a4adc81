import { z } from 'zod';
import { DurationInput, IsoDate } from './common.js';

/** Canonical secret types (the original rotation_planner.py names). Unknown types are kept as given. */
export const SECRET_TYPES = [
  'database',
  'password',
  'tls-certificate',
  'api-key',
  'ssh-key',
  'encryption-key',
  'oauth-secret',
  'service-token',
] as const;
export const SecretType = z.enum(SECRET_TYPES);
export type SecretType = z.infer<typeof SecretType>;

export const Criticality = z.enum(['low', 'medium', 'high', 'critical']);
export type Criticality = z.infer<typeof Criticality>;

/** A date: `YYYY-MM-DD`, or a full ISO date-time whose calendar date is used. */
const DateLike = z.union([IsoDate, z.iso.datetime({ offset: true })], { message: 'expected YYYY-MM-DD' });

/**
 * One secret in a rotation inventory. The original script's keys (`name, type, store, last_rotated,
 * owner, environment`) are accepted unchanged; the richer keys are optional. Keys are snake_case.
 *
 * @example
 * ```ts
 * InventoryItem.parse({ name: 'prod-db-password', type: 'database', last_rotated: '2026-01-15' });
 * ```
 */
export const InventoryItem = z
  .object({
    id: z.string().min(1).optional(),
    name: z.string().min(1).optional(),
    /** Any type name; the canonical ones are {@link SECRET_TYPES}. */
    type: z.string().min(1).optional(),
    /** A store name such as `vault`, or a store URI such as `aws-sm://eu-west-1`. */
    store: z.string().optional(),
    created: DateLike.optional(),
    last_rotated: DateLike.nullable().optional(),
    expires_at: DateLike.nullable().optional(),
    /** Issue date of a certificate (for CA/Browser Forum validity limits). */
    issued_at: DateLike.nullable().optional(),
    interval: DurationInput.optional(),
    strategy: z.string().optional(),
    owner: z.string().optional(),
    team: z.string().optional(),
    criticality: Criticality.optional(),
    environment: z.string().optional(),
    compliance: z.array(z.string()).optional(),
    depends_on: z.array(z.string()).optional(),
    tags: z.record(z.string(), z.string()).optional(),
  })
  .loose();
export type InventoryItem = z.infer<typeof InventoryItem>;

/**
 * A rotation inventory: the original top-level array, or `{ secrets: [...] }` with optional defaults.
 *
 * @example
 * ```ts
 * Inventory.parse([{ name: 'a', type: 'api-key', last_rotated: '2026-01-01' }]);
 * ```
 */
export const Inventory = z.union([
  z.array(InventoryItem),
  z
    .object({
      version: z.literal(1).optional(),
      secrets: z.array(InventoryItem),
    })
    .loose(),
]);
export type Inventory = z.infer<typeof Inventory>;

/**
 * The items of an inventory, whichever form it came in.
 *
 * @example
 * ```ts
 * inventoryItems({ secrets: [] }); // []
 * ```
 */
export function inventoryItems(inventory: Inventory): InventoryItem[] {
  return Array.isArray(inventory) ? inventory : inventory.secrets;
}

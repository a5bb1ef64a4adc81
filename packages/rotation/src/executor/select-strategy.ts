import { type InventoryItem, SvmError } from '@svm/core';
import { DEFAULT_TYPE_RULES, canonicalType } from '../strategies/strategies.js';
import { dualAccountStrategy } from './strategies/dual-account.js';
import { newVersionStrategy } from './strategies/new-version.js';
import { overlapWindowStrategy } from './strategies/overlap-window.js';
import { pkiStrategy } from './strategies/pki.js';
import { staticRoleStrategy } from './strategies/static-role.js';
import { transitStrategy } from './strategies/transit.js';
import type { ExecutorStrategy } from './types.js';

const BY_ID: Record<string, () => ExecutorStrategy> = {
  'dual-account': () => dualAccountStrategy,
  'new-version': () => newVersionStrategy,
  'password-change': () => newVersionStrategy,
  'overlap-window': () => overlapWindowStrategy,
  'versioning-rewrap': () => transitStrategy,
  'renew-before-expiry': () => pkiStrategy,
  'static-role': () => staticRoleStrategy,
};

/**
 * Register an executor strategy under a planner method id (`overlap-window`, `versioning-rewrap`, …).
 * Built-in ones are registered by the package; callers may add their own.
 *
 * @example
 * ```ts
 * registerExecutorStrategy('my-vendor-key', () => myStrategy);
 * ```
 */
export function registerExecutorStrategy(id: string, factory: () => ExecutorStrategy): void {
  BY_ID[id] = factory;
}

/** The executor strategy ids that are known. */
export function executorStrategyIds(): string[] {
  return Object.keys(BY_ID).sort();
}

/**
 * The executor strategy of an inventory item: its `strategy`, else its type's method from the planner's table
 * (database → `dual-account`, api-key → `overlap-window`, encryption-key → `versioning-rewrap`, …).
 * A method the executor cannot carry out (manual, SSH CA) is `UNSUPPORTED`.
 *
 * @example
 * ```ts
 * strategyForItem({ id: 'db', type: 'database' }).id; // 'dual-account'
 * ```
 */
export function strategyForItem(item: InventoryItem): ExecutorStrategy {
  const id = item.strategy ?? DEFAULT_TYPE_RULES[canonicalType(item.type)]?.strategy ?? 'manual';
  const factory = Object.hasOwn(BY_ID, id) ? BY_ID[id] : undefined;
  if (!factory) {
    throw new SvmError(
      'UNSUPPORTED',
      `${item.id ?? item.name}: the executor has no strategy for method '${id}' (it knows ${executorStrategyIds().join(', ')}); set strategy: new-version to write a new random value`,
      { field: 'strategy' },
    );
  }
  return factory();
}

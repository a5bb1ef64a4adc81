import type { StepFacts } from '@svm/core';
import { newPassword } from '../item-config.js';
import type { ExecutorStrategy } from '../types.js';

/**
 * The fallback when no target-specific strategy applies: write a new random value as a new version of the
 * secret (`pending`, then `current` where the store has stages), keeping the old one as `previous`. It changes
 * the store only; whatever consumes the secret must accept the new value on its own.
 *
 * @example
 * ```ts
 * await rotate({ id: 'webhook-token', name: 'prod/webhook' }, { store, journal, strategy: newVersionStrategy });
 * ```
 */
export const newVersionStrategy: ExecutorStrategy = {
  id: 'new-version',
  async gate(ctx) {
    const current = await ctx.store.get(ctx.secretName);
    return { facts: { currentVersion: current.version } };
  },
  steps(ctx) {
    return [
      {
        id: 'create-pending',
        title: `Write a new random value to ${ctx.secretName} as pending`,
        async run(c): Promise<StepFacts | void> {
          if (typeof c.facts.newVersion === 'string') return;
          if (!c.store.capabilities.stages.includes('pending')) {
            const put = await c.store.put(c.secretName, newPassword());
            return { newVersion: put.version, promoted: true };
          }
          if (c.resumed) {
            const pending = await c.store.get(c.secretName, { stage: 'pending' }).catch(() => undefined);
            if (pending && pending.version !== c.facts.currentVersion) return { newVersion: pending.version };
          }
          const put = await c.store.put(c.secretName, newPassword(), { stage: 'pending' });
          return { newVersion: put.version };
        },
      },
      {
        id: 'promote',
        title: `Make the new version current in ${ctx.secretName}; the old one becomes previous`,
        async run(c) {
          const current = await c.store.get(c.secretName);
          if (current.version !== c.facts.newVersion)
            await c.store.setStage(c.secretName, 'current', String(c.facts.newVersion));
        },
      },
    ];
  },
};

import type { StepFacts } from '@svm/core';
import { SvmError } from '@svm/core';
import { configString, requireString } from '../item-config.js';
import { verifyLogin } from '../targets/postgres.js';
import { vaultCall, vaultTarget } from '../targets/vault.js';
import type { ExecutorStrategy, StepContext } from '../types.js';

function mountOf(ctx: Pick<StepContext, 'item'>): string {
  return configString(ctx.item, 'db_mount', 'database')!;
}

async function staticCreds(
  ctx: StepContext,
): Promise<{ username: string; password: string; last_vault_rotation: string }> {
  return vaultCall(
    vaultTarget(ctx.targets, ctx.itemId),
    'GET',
    `${mountOf(ctx)}/static-creds/${requireString(ctx.item, 'static_role')}`,
  );
}

/**
 * Vault / OpenBao database static role (`static-role`): `<db_mount>/rotate-role/<static_role>`, then log in to
 * PostgreSQL with the credentials Vault now serves (`static-creds`), at `rotation.host` / `port` / `database`.
 * With `rotation.publish: true` the connection JSON is also written to the store as `current`.
 *
 * @example
 * ```ts
 * await rotate({ id: 'reports-db', name: 'prod/reports-db', strategy: 'static-role',
 *   rotation: { db_mount: 'database', static_role: 'reports', host: 'db', port: 5432, database: 'reports' } }, { store, journal });
 * ```
 */
export const staticRoleStrategy: ExecutorStrategy = {
  id: 'static-role',
  async gate(ctx) {
    const creds = await staticCreds(ctx);
    return { facts: { lastRotationBefore: creds.last_vault_rotation, username: creds.username } };
  },
  steps(ctx) {
    const role = configString(ctx.item, 'static_role', '<rotation.static_role>')!;
    return [
      {
        id: 'rotate-role',
        title: `Rotate the static role's password: POST ${mountOf(ctx)}/rotate-role/${role}`,
        async run(c): Promise<StepFacts | void> {
          const before = await staticCreds(c);
          if (before.last_vault_rotation !== c.facts.lastRotationBefore)
            return { lastRotation: before.last_vault_rotation };
          await vaultCall(
            vaultTarget(c.targets, c.itemId),
            'POST',
            `${mountOf(c)}/rotate-role/${requireString(c.item, 'static_role')}`,
            {},
          );
          const after = await staticCreds(c);
          if (after.last_vault_rotation === c.facts.lastRotationBefore)
            throw new SvmError(
              'VERIFICATION_FAILED',
              `${c.itemId}: Vault did not record a new rotation of ${requireString(c.item, 'static_role')}`,
            );
          return { lastRotation: after.last_vault_rotation };
        },
      },
      {
        id: 'verify-login',
        title: 'Log in to PostgreSQL with the credentials Vault now serves (SELECT 1)',
        async run(c): Promise<StepFacts | void> {
          const creds = await staticCreds(c);
          const host = requireString(c.item, 'host');
          const port = Number((c.item as { rotation?: { port?: unknown } }).rotation?.port ?? 5432);
          await verifyLogin(
            {
              host,
              port,
              database: configString(c.item, 'database', 'postgres')!,
              username: creds.username,
              password: creds.password,
            },
            c.targets.connectTimeoutMs,
          );
        },
      },
      {
        id: 'publish',
        title: `Write the connection JSON to ${ctx.secretName} as current (only with rotation.publish: true)`,
        async run(c): Promise<StepFacts | void> {
          if ((c.item as { rotation?: { publish?: unknown } }).rotation?.publish !== true) return { published: false };
          const creds = await staticCreds(c);
          const port = Number((c.item as { rotation?: { port?: unknown } }).rotation?.port ?? 5432);
          const value = {
            host: requireString(c.item, 'host'),
            port,
            database: configString(c.item, 'database', 'postgres'),
            username: creds.username,
            password: creds.password,
          };
          const put = await c.store.put(c.secretName, JSON.stringify(value));
          return { published: true, newVersion: put.version };
        },
      },
    ];
  },
};

import { SvmError, isSvmError } from '@svm/core';
import type { SecretValue } from '@svm/providers';
import { configDurationMs, configList, configString, newPassword } from '../item-config.js';
import { type DbConnection, parseDbSecret, setRolePassword, verifyLogin } from '../targets/postgres.js';
import type { ExecutorStrategy, StepContext } from '../types.js';

const DEFAULT_ACCOUNTS = ['app_user_a', 'app_user_b'] as const;
const DEFAULT_GRACE_MS = 24 * 3600_000;

function accountsOf(ctx: Pick<StepContext, 'item'>): [string, string] {
  const list = configList(ctx.item, 'accounts') ?? [...DEFAULT_ACCOUNTS];
  if (list.length !== 2 || list[0] === list[1]) {
    throw new SvmError(
      'INPUT_INVALID',
      `${ctx.item.id ?? ctx.item.name}: rotation.accounts: expected two different role names`,
      { field: 'rotation.accounts' },
    );
  }
  return [list[0]!, list[1]!];
}

async function stageValue(ctx: StepContext, stage: 'previous' | 'pending'): Promise<SecretValue | undefined> {
  try {
    return await ctx.store.get(ctx.secretName, { stage });
  } catch (error) {
    if (isSvmError(error) && error.code === 'SECRET_NOT_FOUND') return undefined;
    throw error;
  }
}

function usernameOf(value: SecretValue | undefined): string | undefined {
  if (!value) return undefined;
  try {
    const u = (JSON.parse(value.value) as { username?: unknown }).username;
    return typeof u === 'string' ? u : undefined;
  } catch {
    return undefined;
  }
}

async function versionConn(ctx: StepContext, version: string): Promise<DbConnection> {
  const v = await ctx.store.get(ctx.secretName, { version });
  return parseDbSecret(v.value, `${ctx.secretName} version ${version}`);
}

async function adminConn(ctx: StepContext): Promise<DbConnection> {
  const admin = configString(ctx.item, 'admin_secret');
  if (admin !== undefined) return parseDbSecret((await ctx.store.get(admin)).value, admin);
  // Without an admin secret the active account changes the idle one's password (it needs CREATEROLE).
  return versionConn(ctx, String(ctx.facts.currentVersion));
}

/**
 * Dual-account PostgreSQL rotation (`app_user_a` / `app_user_b`, AWS's alternating-users model): a new password
 * for the idle account is stored as `pending`, set with `ALTER ROLE … PASSWORD` (as a SCRAM verifier), checked by
 * logging in, then published as `current`; the active account becomes `previous` and keeps working until the next
 * rotation, which waits for the grace period (`rotation.grace`, default 24h) before it changes that account.
 * Connection details come from the store entry: JSON with host, port, database, username, password.
 *
 * @example
 * ```ts
 * await rotate({ id: 'orders-db', type: 'database', name: 'prod/orders-db',
 *   rotation: { grace: '1h', admin_secret: 'prod/orders-db-admin' } }, { store, journal });
 * ```
 */
export const dualAccountStrategy: ExecutorStrategy = {
  id: 'dual-account',
  async gate(ctx) {
    if (!ctx.store.capabilities.stages.includes('pending')) {
      throw new SvmError(
        'UNSUPPORTED',
        `${ctx.itemId}: dual-account rotation needs a store with a pending stage (file, Vault KV v2, AWS)`,
      );
    }
    const [a, b] = accountsOf(ctx);
    const current = await ctx.store.get(ctx.secretName);
    const active = usernameOf(current);
    if (active !== a && active !== b) {
      throw new SvmError(
        'INPUT_INVALID',
        `${ctx.itemId}: the current secret's username is not one of rotation.accounts (${a}, ${b})`,
        { field: 'rotation.accounts' },
      );
    }
    const idle = active === a ? b : a;
    const previous = await stageValue(ctx, 'previous');
    const facts = {
      currentVersion: current.version,
      activeAccount: active,
      account: idle,
      ...(usernameOf(previous) === idle ? { previousVersion: previous!.version } : {}),
    };
    if (usernameOf(previous) === idle && current.createdAt) {
      // Consumers may still hold the idle account's password: wait out the grace period after the last publish.
      const graceMs = configDurationMs(ctx.item, 'grace', DEFAULT_GRACE_MS);
      const notBefore = new Date(Date.parse(current.createdAt) + graceMs);
      return {
        facts,
        notBefore,
        message: `grace period: ${idle} may still be in use until ${notBefore.toISOString()}`,
      };
    }
    return { facts };
  },
  steps(ctx) {
    const [a, b] = accountsOf(ctx);
    return [
      {
        id: 'create-pending',
        title: `Generate a new password for the idle account (${a} or ${b}) and store it as pending in ${ctx.secretName}`,
        async run(c) {
          if (typeof c.facts.newVersion === 'string') return;
          if (c.resumed) {
            const pending = await stageValue(c, 'pending');
            if (pending && pending.version !== c.facts.currentVersion && usernameOf(pending) === c.facts.account)
              return { newVersion: pending.version };
          }
          const base = await versionConn(c, String(c.facts.currentVersion));
          const value = JSON.stringify({ ...base, username: String(c.facts.account), password: newPassword() });
          const put = await c.store.put(c.secretName, value, { stage: 'pending' });
          return { newVersion: put.version };
        },
        async undo(c) {
          if (typeof c.facts.newVersion !== 'string') return;
          const pending = await stageValue(c, 'pending');
          if (pending?.version === c.facts.newVersion)
            await c.store.setStage(c.secretName, 'pending', String(c.facts.currentVersion));
        },
      },
      {
        id: 'set-password',
        title: 'Set the pending password on the idle account (ALTER ROLE … PASSWORD, sent as a SCRAM verifier)',
        async run(c) {
          const next = await versionConn(c, String(c.facts.newVersion));
          await setRolePassword(await adminConn(c), next.username, next.password, c.targets.connectTimeoutMs);
        },
        async undo(c) {
          // Put the idle account back on its stored previous password; without one the pending version stays stored.
          if (typeof c.facts.previousVersion !== 'string') return;
          const old = await versionConn(c, c.facts.previousVersion);
          await setRolePassword(await adminConn(c), old.username, old.password, c.targets.connectTimeoutMs);
        },
      },
      {
        id: 'verify-login',
        title: 'Log in as the idle account with the pending password (SELECT 1)',
        async run(c) {
          await verifyLogin(await versionConn(c, String(c.facts.newVersion)), c.targets.connectTimeoutMs);
        },
      },
      {
        id: 'promote',
        title: `Publish the pending version as current in ${ctx.secretName}; the active account's version becomes previous`,
        async run(c) {
          const current = await c.store.get(c.secretName);
          if (current.version !== c.facts.newVersion)
            await c.store.setStage(c.secretName, 'current', String(c.facts.newVersion));
        },
      },
    ];
  },
};

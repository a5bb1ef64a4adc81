import type { StepFacts } from '@svm/core';
import { SvmError } from '@svm/core';
import { configString } from '../item-config.js';
import { vaultCall, vaultTarget } from '../targets/vault.js';
import type { ExecutorStrategy, StepContext } from '../types.js';

function mountOf(ctx: Pick<StepContext, 'item'>): string {
  return configString(ctx.item, 'transit_mount', 'transit')!;
}
function keyOf(ctx: Pick<StepContext, 'item' | 'itemId'>): string {
  return configString(ctx.item, 'key', ctx.item.name ?? ctx.itemId)!;
}
function listSecretOf(ctx: Pick<StepContext, 'item' | 'itemId'>): string | undefined {
  return configString(ctx.item, 'ciphertexts_secret');
}

/** Ciphertexts are kept in the store as a JSON array of strings, or an object of name → ciphertext. */
function parseList(text: string, where: string): Record<string, string> | string[] {
  const data = JSON.parse(text) as unknown;
  if (Array.isArray(data) && data.every((x) => typeof x === 'string')) return data as string[];
  if (data && typeof data === 'object' && Object.values(data).every((x) => typeof x === 'string'))
    return data as Record<string, string>;
  throw new SvmError(
    'INPUT_INVALID',
    `${where}: expected a JSON array of ciphertexts or an object of name → ciphertext`,
  );
}

function versionOf(ciphertext: string): number {
  const m = /^vault:v(\d+):/.exec(ciphertext);
  return m ? Number(m[1]) : 0;
}

async function latestVersion(ctx: StepContext): Promise<number> {
  const key = await vaultCall(vaultTarget(ctx.targets, ctx.itemId), 'GET', `${mountOf(ctx)}/keys/${keyOf(ctx)}`);
  return Number(key.latest_version);
}

/**
 * Vault / OpenBao transit key rotation (`versioning-rewrap`): `transit/keys/<k>/rotate`, then every ciphertext of
 * the list kept in the store (`rotation.ciphertexts_secret`: a JSON array, or object, of `vault:vN:` strings) is
 * rewrapped with `transit/rewrap` (the plaintext never leaves Vault) and the list is written back as a new version,
 * then `min_decryption_version` is raised — only when every listed ciphertext is on the new version.
 *
 * @example
 * ```ts
 * await rotate({ id: 'orders-key', type: 'encryption-key', name: 'orders/ciphertexts',
 *   rotation: { transit_mount: 'transit', key: 'orders', ciphertexts_secret: 'orders/ciphertexts' } }, { store, journal });
 * ```
 */
export const transitStrategy: ExecutorStrategy = {
  id: 'versioning-rewrap',
  async gate(ctx) {
    return { facts: { fromVersion: await latestVersion(ctx) } };
  },
  steps(ctx) {
    const key = keyOf(ctx);
    const list = listSecretOf(ctx);
    return [
      {
        id: 'rotate-key',
        title: `Rotate transit key ${mountOf(ctx)}/keys/${key} to a new version (old versions keep decrypting)`,
        async run(c): Promise<StepFacts | void> {
          const latest = await latestVersion(c);
          if (latest > Number(c.facts.fromVersion)) return { targetVersion: latest };
          await vaultCall(vaultTarget(c.targets, c.itemId), 'POST', `${mountOf(c)}/keys/${keyOf(c)}/rotate`, {});
          return { targetVersion: await latestVersion(c) };
        },
      },
      {
        id: 'rewrap',
        title: list
          ? `Rewrap every ciphertext listed in ${list} to the new key version and store the list as a new version`
          : 'Rewrap stored ciphertexts (no rotation.ciphertexts_secret: nothing listed)',
        async run(c): Promise<StepFacts | void> {
          const name = listSecretOf(c);
          if (!name) return { rewrapped: 0 };
          const current = await c.store.get(name);
          const data = parseList(current.value, name);
          const target = Number(c.facts.targetVersion);
          const entries = Array.isArray(data) ? data.map((v, i) => [String(i), v] as const) : Object.entries(data);
          const stale = entries.filter(([, v]) => versionOf(v) < target);
          if (stale.length === 0) return { listVersion: current.version, rewrapped: 0 };
          const out = await vaultCall(vaultTarget(c.targets, c.itemId), 'POST', `${mountOf(c)}/rewrap/${keyOf(c)}`, {
            batch_input: stale.map(([, ciphertext]) => ({ ciphertext })),
          });
          const results = (out.batch_results ?? []) as Array<{ ciphertext?: string; error?: string }>;
          const fresh = new Map<string, string>();
          stale.forEach(([k], i) => {
            const r = results[i];
            if (!r?.ciphertext || r.error)
              throw new SvmError('VERIFICATION_FAILED', `${name}: entry ${k} could not be rewrapped`);
            fresh.set(k, r.ciphertext);
          });
          const next = Array.isArray(data)
            ? data.map((v, i) => fresh.get(String(i)) ?? v)
            : Object.fromEntries(entries.map(([k, v]) => [k, fresh.get(k) ?? v]));
          const put = await c.store.put(name, JSON.stringify(next));
          return { listVersion: put.version, rewrapped: stale.length };
        },
      },
      {
        id: 'raise-min-decryption',
        title: `Raise min_decryption_version of ${key} to the new version once every listed ciphertext is on it`,
        async run(c): Promise<StepFacts | void> {
          const target = Number(c.facts.targetVersion);
          const name = listSecretOf(c);
          // Without a list there is no evidence that nothing still needs the old versions: leave them readable.
          if (!name) return { minDecryptionRaised: false };
          const data = parseList((await c.store.get(name)).value, name);
          const behind = Object.values(data).filter((v) => versionOf(v) < target).length;
          if (behind > 0)
            throw new SvmError(
              'VERIFICATION_FAILED',
              `${name}: ${behind} ciphertext(s) are still below key version ${target}; min_decryption_version not raised`,
            );
          await vaultCall(vaultTarget(c.targets, c.itemId), 'POST', `${mountOf(c)}/keys/${keyOf(c)}/config`, {
            min_decryption_version: target,
          });
          return { minDecryptionVersion: target };
        },
      },
    ];
  },
};

import type { Detector } from './types.js';
import { CLOUD_POLICY_OPERATIONS, VAULT_POLICY_PREFIXES } from './catalog.js';
import { isVaultChange, singleEventDetector } from './single-event.js';

const CLOUD_POLICY: ReadonlySet<string> = new Set(Object.values(CLOUD_POLICY_OPERATIONS).flat());

/** The policy name a Vault policy write touches, or undefined. */
export function vaultPolicyName(path: string): string | undefined {
  for (const prefix of VAULT_POLICY_PREFIXES) {
    if (path.startsWith(prefix) && path.length > prefix.length) return path.slice(prefix.length);
  }
  return undefined;
}

/**
 * `policy-change`: a successful Vault ACL/RGP/EGP policy write or delete, or a cloud resource-policy change
 * (Secrets Manager/KMS `Put*Policy`, GCP `SetIamPolicy`, Azure `VaultPut`/`VaultPatch`/access-policy change).
 * Medium; deletes and writes alike (the drift report shows what changed).
 *
 * @example
 * ```ts
 * const d = createPolicyChangeDetector();
 * ```
 */
export function createPolicyChangeDetector(): Detector {
  return singleEventDetector('policy-change', (ev) => {
    if (ev.source === 'vault' || ev.source === 'simple') {
      if (!isVaultChange(ev)) return undefined;
      const name = vaultPolicyName(ev.path);
      if (!name) return undefined;
      return { severity: 'medium', message: `policy '${name}' ${ev.operation === 'delete' ? 'deleted' : 'written'}` };
    }
    if (ev.outcome === 'success' && CLOUD_POLICY.has(ev.operation))
      return { severity: 'medium', message: `${ev.operation} on ${ev.secret ?? ev.path}` };
    return undefined;
  });
}

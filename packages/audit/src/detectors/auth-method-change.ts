import type { Detector } from './types.js';
import { VAULT_AUTH_METHOD_PREFIX } from './catalog.js';
import { isVaultChange, singleEventDetector } from './single-event.js';

const SYS_AUTH = new RegExp(`^${VAULT_AUTH_METHOD_PREFIX}(.+?)(/tune)?$`);

/**
 * `auth-method-change`: a Vault auth method enabled (medium), tuned (medium) or disabled (high), via
 * `sys/auth/<path>` and `sys/auth/<path>/tune`.
 *
 * @example
 * ```ts
 * const d = createAuthMethodChangeDetector();
 * ```
 */
export function createAuthMethodChangeDetector(): Detector {
  return singleEventDetector('auth-method-change', (ev) => {
    if (!isVaultChange(ev)) return undefined;
    const m = SYS_AUTH.exec(ev.path);
    if (!m) return undefined;
    if (m[2]) return { severity: 'medium', message: `auth method '${m[1]}' tuned` };
    return ev.operation === 'delete'
      ? { severity: 'high', message: `auth method '${m[1]}' disabled` }
      : { severity: 'medium', message: `auth method '${m[1]}' enabled or changed` };
  });
}

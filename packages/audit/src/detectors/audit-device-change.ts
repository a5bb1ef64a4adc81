import type { Detector } from './types.js';
import {
  CLOUDTRAIL_LOGGING_CHANGES,
  CLOUDTRAIL_LOGGING_STOPS,
  VAULT_AUDIT_DEVICE_PREFIX,
  VAULT_AUDIT_HEADERS_PREFIX,
  VAULT_AUDIT_SELF_TEST_PATH,
} from './catalog.js';
import { isVaultChange, singleEventDetector } from './single-event.js';

const TRAIL_CHANGES: ReadonlySet<string> = new Set(CLOUDTRAIL_LOGGING_CHANGES);
const TRAIL_STOPS: ReadonlySet<string> = new Set(CLOUDTRAIL_LOGGING_STOPS);

/**
 * `audit-device-change`: a Vault audit device enabled or changed (high) or disabled (critical), audited request
 * headers changed (medium), or CloudTrail logging stopped or reconfigured (high/critical).
 *
 * @example
 * ```ts
 * const d = createAuditDeviceChangeDetector();
 * ```
 */
export function createAuditDeviceChangeDetector(): Detector {
  return singleEventDetector('audit-device-change', (ev) => {
    if (ev.source === 'cloudtrail') {
      if (!TRAIL_CHANGES.has(ev.operation) || ev.outcome !== 'success') return undefined;
      return {
        severity: TRAIL_STOPS.has(ev.operation) ? 'critical' : 'high',
        message: `CloudTrail ${ev.operation}`,
      };
    }
    if (!isVaultChange(ev)) return undefined;
    // The self-test entry a device writes when it is enabled: no caller, no token, no address.
    if (ev.path === VAULT_AUDIT_SELF_TEST_PATH && !ev.sourceIp && !ev.accessor) return undefined;
    const device = ev.path.startsWith(VAULT_AUDIT_DEVICE_PREFIX) ? ev.path.slice(VAULT_AUDIT_DEVICE_PREFIX.length) : '';
    if (device !== '') {
      return ev.operation === 'delete'
        ? { severity: 'critical', message: `audit device '${device}' disabled` }
        : { severity: 'high', message: `audit device '${device}' enabled or changed` };
    }
    if (ev.path.startsWith(VAULT_AUDIT_HEADERS_PREFIX))
      return { severity: 'medium', message: `audited request headers changed (${ev.path})` };
    return undefined;
  });
}

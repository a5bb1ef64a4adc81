import type { Detector } from './types.js';
import { isVaultChange, singleEventDetector } from './single-event.js';

const AUDIT_PATH = /^sys\/audit\/(.+)$/;
const TRAIL_CHANGES = new Set(['StopLogging', 'DeleteTrail', 'UpdateTrail', 'PutEventSelectors']);

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
        severity: ev.operation === 'StopLogging' || ev.operation === 'DeleteTrail' ? 'critical' : 'high',
        message: `CloudTrail ${ev.operation}`,
      };
    }
    if (!isVaultChange(ev)) return undefined;
    // The self-test entry a device writes when it is enabled: no caller, no token, no address.
    if (ev.path === 'sys/audit/test' && !ev.sourceIp && !ev.accessor) return undefined;
    const m = AUDIT_PATH.exec(ev.path);
    if (m) {
      return ev.operation === 'delete'
        ? { severity: 'critical', message: `audit device '${m[1]}' disabled` }
        : { severity: 'high', message: `audit device '${m[1]}' enabled or changed` };
    }
    if (ev.path.startsWith('sys/config/auditing/'))
      return { severity: 'medium', message: `audited request headers changed (${ev.path})` };
    return undefined;
  });
}

import type { AuditEvent, Severity } from '@svm/core';
import { VAULT_WRITE_OPERATIONS } from './catalog.js';
import { type Detector, type RuleId, finding } from './types.js';

/** What a single-event rule says about one event, or undefined when it does not apply. */
export type SingleEventMatch = { severity: Severity; message: string } | undefined;

/** A stateless detector: one finding per matching event. */
export function singleEventDetector(rule: RuleId, match: (ev: AuditEvent) => SingleEventMatch): Detector {
  return {
    rule,
    observe(ev, emit) {
      const m = match(ev);
      if (m) emit(finding(rule, m.severity, { ...ev, secret: undefined }, 1, m.message));
    },
    flush() {},
    stateSize: () => 0,
  };
}

const WRITE_OPS: ReadonlySet<string> = new Set(VAULT_WRITE_OPERATIONS);

/** True for a successful Vault write/delete. */
export function isVaultChange(ev: AuditEvent): boolean {
  return (ev.source === 'vault' || ev.source === 'simple') && WRITE_OPS.has(ev.operation) && ev.outcome === 'success';
}

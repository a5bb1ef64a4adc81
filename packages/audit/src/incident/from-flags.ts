import { CredentialKind, IncidentSignal, SvmError } from '@svm/core';
import type { IncidentInput } from './plan.js';

/** An incident as a user typed it (`svm incident plan` flags). */
export interface IncidentFlags {
  signal: readonly string[];
  credential: string;
  secret?: string | undefined;
  /** ISO 8601 date-time; default now. */
  detectedAt?: string | undefined;
  regulated?: boolean | undefined;
  customerData?: boolean | undefined;
}

/**
 * The input of {@link planIncident} from the typed flags: signals and credential kind checked against the schema,
 * the detection time an ISO 8601 date-time (`USAGE` naming `--detected-at` otherwise; default `now`).
 *
 * @example
 * ```ts
 * planIncident(incidentFromFlags({ signal: ['public-repo'], credential: 'api-key', detectedAt: '2026-03-01T10:00:00Z' }));
 * ```
 */
export function incidentFromFlags(flags: IncidentFlags, now: Date = new Date()): IncidentInput {
  const detectedAt = flags.detectedAt === undefined ? now : new Date(flags.detectedAt);
  if (
    Number.isNaN(detectedAt.getTime()) ||
    (flags.detectedAt !== undefined && !/^\d{4}-\d{2}-\d{2}T/.test(flags.detectedAt))
  ) {
    throw new SvmError(
      'USAGE',
      `--detected-at: expected an ISO 8601 date-time such as 2026-03-01T10:00:00Z, got '${flags.detectedAt}'`,
    );
  }
  return {
    signals: flags.signal.map((s) => IncidentSignal.parse(s)),
    credential: CredentialKind.parse(flags.credential),
    secret: flags.secret,
    detectedAt,
    regulatedData: flags.regulated,
    customerData: flags.customerData,
  };
}

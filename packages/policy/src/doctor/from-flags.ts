import { type DoctorReport, type Severity, severityAtLeast } from '@svm/core';
import { createVaultClient } from '../apply/client.js';
import { vaultConnection } from '../apply/report.js';
import { vaultDoctor } from './doctor.js';

/** The flags of `svm vault doctor` that choose the server and the exit code. */
export interface DoctorFlags {
  /** Server address (default `VAULT_ADDR`, then `BAO_ADDR`). */
  addr?: string | undefined;
  /** Namespace for every request (default `VAULT_NAMESPACE`, then `BAO_NAMESPACE`). */
  vaultNamespace?: string | undefined;
  /** Exit 1 when a finding reaches this severity. */
  failOn: Severity | 'none';
}

/**
 * `svm vault doctor` as one call: the server from the flags and the environment (a missing token is a `USAGE`
 * error naming `DOCTOR_POLICY_HCL`), `log` told which server is checked, the report, and the exit code at `failOn`.
 *
 * @example
 * ```ts
 * const { report, exitCode } = await doctorFromFlags({ failOn: 'high' }, { env: process.env });
 * ```
 */
export async function doctorFromFlags(
  flags: DoctorFlags,
  io: { env: Record<string, string | undefined>; log?: ((message: string) => void) | undefined },
): Promise<{ report: DoctorReport; exitCode: 0 | 1 }> {
  const connection = vaultConnection(
    io.env,
    { address: flags.addr, namespace: flags.vaultNamespace },
    { addressFlag: '--addr', tokenNeeds: 'with the read access of DOCTOR_POLICY_HCL (see the @svm/policy README)' },
  );
  io.log?.(`Checking ${connection.address}…`);
  const report = await vaultDoctor(createVaultClient(connection), { address: connection.address });
  const { failOn } = flags;
  const exitCode = failOn !== 'none' && report.findings.some((f) => severityAtLeast(f.severity, failOn)) ? 1 : 0;
  return { report, exitCode };
}

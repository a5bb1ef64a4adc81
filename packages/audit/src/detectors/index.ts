import type { ResolvedOptions } from '../options.js';
import type { BoundedMap } from '../internal/bounded-map.js';
import { createAuditDeviceChangeDetector } from './audit-device-change.js';
import { createAuthMethodChangeDetector } from './auth-method-change.js';
import { createBulkReadDetector } from './bulk-read.js';
import { createDeniedAccessDetector } from './denied-access.js';
import { createFailedAuthDetector } from './failed-auth.js';
import { createLongTtlDetector } from './long-ttl-token.js';
import { createNewSourceIpDetector, type IdentityBaseline } from './new-source-ip.js';
import { createPasswordSprayDetector } from './password-spray.js';
import { createOffHoursDetector } from './off-hours.js';
import { createPolicyChangeDetector } from './policy-change.js';
import { createRootTokenDetector } from './root-token.js';
import { createSecretDestroyDetector } from './secret-destroy.js';
import type { Detector, RuleId } from './types.js';
import { createVolumeSpikeDetector, type RateBaseline } from './volume-spike.js';

/** Learned state the analyzer can load and save between runs. */
export interface Baselines {
  identities: BoundedMap<string, IdentityBaseline>;
  rates: BoundedMap<string, RateBaseline>;
}

/** Every detector, in a stable order; `rules` limits the set. */
export function createDetectors(
  options: ResolvedOptions,
  baselines: Baselines | undefined,
  rules?: readonly RuleId[],
): { detectors: Detector[]; baselines: Baselines } {
  const nsi = createNewSourceIpDetector(options, baselines?.identities);
  const vs = createVolumeSpikeDetector(options, baselines?.rates);
  const all: Detector[] = [
    nsi,
    vs,
    createOffHoursDetector(options),
    createDeniedAccessDetector(options),
    createFailedAuthDetector(options),
    createPasswordSprayDetector(options),
    createLongTtlDetector(options),
    createRootTokenDetector(options),
    createAuditDeviceChangeDetector(),
    createPolicyChangeDetector(),
    createAuthMethodChangeDetector(),
    createSecretDestroyDetector(options),
    createBulkReadDetector(options),
  ];
  const detectors = rules ? all.filter((d) => rules.includes(d.rule)) : all;
  return { detectors, baselines: { identities: nsi.baseline, rates: vs.baseline } };
}

import { SvmError } from '@svm/core';
import { parseCidrs, type CidrList } from './internal/ip.js';

/**
 * Auth methods whose tokens belong to people (configurable with `humanAuthMethods`).
 *
 * @example
 * ```ts
 * new AuditAnalyzer({ humanAuthMethods: [...DEFAULT_HUMAN_AUTH_METHODS, 'my-sso'] });
 * ```
 */
export const DEFAULT_HUMAN_AUTH_METHODS = [
  'userpass',
  'ldap',
  'oidc',
  'okta',
  'radius',
  'github',
  'saml',
  'sso',
  'entra-user',
  'google',
  'root',
] as const;
/**
 * Auth methods whose tokens belong to workloads (configurable with `machineAuthMethods`).
 *
 * @example
 * ```ts
 * DEFAULT_MACHINE_AUTH_METHODS.includes('approle'); // true
 * ```
 */
export const DEFAULT_MACHINE_AUTH_METHODS = [
  'approle',
  'kubernetes',
  'aws',
  'gcp',
  'azure',
  'cert',
  'jwt',
  'service',
  'service-account',
  'entra-app',
  'iam',
] as const;

/**
 * Every threshold the detectors use, with its default. All are optional; see {@link DEFAULT_ANALYZER_OPTIONS}.
 */
export interface AnalyzerOptions {
  /** Auth methods treated as human. */
  humanAuthMethods?: readonly string[];
  /** Auth methods treated as machine. */
  machineAuthMethods?: readonly string[];
  newSourceIp?: {
    /** Events an identity needs before its addresses count as a baseline (default 10). */
    minEvents?: number;
    /** Time from an identity's first event before new addresses are flagged (default 1h). */
    learningMs?: number;
    /** IPv4 prefix length addresses are grouped by (default 24). */
    v4Prefix?: number;
    /** IPv6 prefix length (default 64). */
    v6Prefix?: number;
    /** Networks never flagged (CIDRs). */
    allow?: readonly string[];
  };
  volumeSpike?: {
    /** Rate over this multiple of the baseline is a spike (default 3). */
    factor?: number;
    /** The baseline is never taken as lower than this many events per hour (default 5). */
    minBaselinePerHour?: number;
    /** Hours of history a key needs before spikes are flagged (default 6). */
    minHistoryHours?: number;
    /** EWMA smoothing of hourly counts (default 0.1). */
    alpha?: number;
    /**
     * Cold start: an identity without `minHistoryHours` of history for a path is a spike when its hour exceeds
     * this multiple of the path's baseline across all identities (mean hourly count per reading identity; default 10).
     */
    coldStartFactor?: number;
    /** Cold start: an identity without history for a path is a spike above this many events per hour, whatever the path's baseline (default 250). */
    coldStartPerHour?: number;
  };
  offHours?: {
    /** First business hour, 0–23, inclusive (default 7). */
    startHour?: number;
    /** Last business hour, exclusive (default 20). */
    endHour?: number;
    /** Business days, 0 = Sunday … 6 = Saturday (default Monday–Friday). */
    workDays?: readonly number[];
    /** IANA timezone (default `UTC`). */
    timeZone?: string;
  };
  deniedAccess?: { windowMs?: number; burst?: number };
  failedAuth?: { windowMs?: number; threshold?: number };
  passwordSpray?: { windowMs?: number; distinctIdentities?: number };
  longTtl?: { humanMaxSeconds?: number; maxSeconds?: number };
  bulkRead?: { windowMs?: number; distinctSecrets?: number };
  secretDestroy?: { windowMs?: number; massCount?: number };
  rootToken?: { windowMs?: number };
  /** Request/response pairing: how long a request waits for its response (default 60s of log time). */
  pairWindowMs?: number;
  /** Caps on state (see README "State bounds"). */
  limits?: { identities?: number; keys?: number; pendingRequests?: number; accessors?: number; secrets?: number };
}

/** Fully resolved options. */
export interface ResolvedOptions {
  humanAuthMethods: Set<string>;
  machineAuthMethods: Set<string>;
  newSourceIp: { minEvents: number; learningMs: number; v4Prefix: number; v6Prefix: number; allow: CidrList };
  volumeSpike: {
    factor: number;
    minBaselinePerHour: number;
    minHistoryHours: number;
    alpha: number;
    coldStartFactor: number;
    coldStartPerHour: number;
  };
  offHours: { startHour: number; endHour: number; workDays: Set<number>; timeZone: string };
  deniedAccess: { windowMs: number; burst: number };
  failedAuth: { windowMs: number; threshold: number };
  passwordSpray: { windowMs: number; distinctIdentities: number };
  longTtl: { humanMaxSeconds: number; maxSeconds: number };
  bulkRead: { windowMs: number; distinctSecrets: number };
  secretDestroy: { windowMs: number; massCount: number };
  rootToken: { windowMs: number };
  pairWindowMs: number;
  limits: { identities: number; keys: number; pendingRequests: number; accessors: number; secrets: number };
}

const MIN = 60_000;
const HOUR = 60 * MIN;

/**
 * The documented defaults. Failed-auth follows Vault's own lockout (5 failures in 15 minutes); long TTL follows
 * HashiCorp's guidance (24h for people, Vault's 768h default max for anything); bulk-read follows Elastic's
 * rapid-retrieval rule (20 distinct secrets in about 5 minutes).
 *
 * @example
 * ```ts
 * DEFAULT_ANALYZER_OPTIONS.failedAuth.threshold; // 5
 * ```
 */
export const DEFAULT_ANALYZER_OPTIONS = {
  newSourceIp: { minEvents: 10, learningMs: HOUR, v4Prefix: 24, v6Prefix: 64, allow: [] as string[] },
  volumeSpike: {
    factor: 3,
    minBaselinePerHour: 5,
    minHistoryHours: 6,
    alpha: 0.1,
    coldStartFactor: 10,
    coldStartPerHour: 250,
  },
  offHours: { startHour: 7, endHour: 20, workDays: [1, 2, 3, 4, 5], timeZone: 'UTC' },
  deniedAccess: { windowMs: 15 * MIN, burst: 5 },
  failedAuth: { windowMs: 15 * MIN, threshold: 5 },
  passwordSpray: { windowMs: 15 * MIN, distinctIdentities: 10 },
  longTtl: { humanMaxSeconds: 24 * 3600, maxSeconds: 768 * 3600 },
  bulkRead: { windowMs: 5 * MIN, distinctSecrets: 20 },
  secretDestroy: { windowMs: HOUR, massCount: 10 },
  rootToken: { windowMs: HOUR },
  pairWindowMs: MIN,
  limits: { identities: 100_000, keys: 200_000, pendingRequests: 50_000, accessors: 200_000, secrets: 200_000 },
} as const;

function positive(
  name: string,
  v: number | undefined,
  d: number,
  { integer = false, max = Number.POSITIVE_INFINITY } = {},
): number {
  if (v === undefined) return d;
  if (!Number.isFinite(v) || v <= 0 || v > max || (integer && !Number.isInteger(v))) {
    throw new SvmError(
      'INPUT_INVALID',
      `${name} must be a positive ${integer ? 'integer' : 'number'}${max < Infinity ? ` up to ${max}` : ''}, got ${v}`,
      { field: name },
    );
  }
  return v;
}

/**
 * Fill in defaults and validate thresholds (`INPUT_INVALID` names the bad field).
 *
 * @example
 * ```ts
 * resolveOptions({ failedAuth: { threshold: 3 } }).failedAuth.windowMs; // 900000
 * ```
 */
export function resolveOptions(o: AnalyzerOptions = {}): ResolvedOptions {
  const D = DEFAULT_ANALYZER_OPTIONS;
  const tz = o.offHours?.timeZone ?? D.offHours.timeZone;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
  } catch {
    throw new SvmError('INPUT_INVALID', `unknown time zone '${tz}' (expected an IANA name such as Europe/Berlin)`, {
      field: 'offHours.timeZone',
    });
  }
  let allow: CidrList;
  try {
    allow = parseCidrs(o.newSourceIp?.allow ?? D.newSourceIp.allow);
  } catch (cause) {
    throw new SvmError('INPUT_INVALID', `newSourceIp.allow: ${(cause as Error).message}`, {
      field: 'newSourceIp.allow',
      cause,
    });
  }
  const startHour = o.offHours?.startHour ?? D.offHours.startHour;
  const endHour = o.offHours?.endHour ?? D.offHours.endHour;
  if (
    !(
      Number.isInteger(startHour) &&
      Number.isInteger(endHour) &&
      startHour >= 0 &&
      endHour <= 24 &&
      startHour < endHour
    )
  ) {
    throw new SvmError(
      'INPUT_INVALID',
      `offHours: expected 0 <= startHour < endHour <= 24, got ${startHour}–${endHour}`,
      { field: 'offHours' },
    );
  }
  const L = o.limits ?? {};
  return {
    humanAuthMethods: new Set(o.humanAuthMethods ?? DEFAULT_HUMAN_AUTH_METHODS),
    machineAuthMethods: new Set(o.machineAuthMethods ?? DEFAULT_MACHINE_AUTH_METHODS),
    newSourceIp: {
      minEvents: positive('newSourceIp.minEvents', o.newSourceIp?.minEvents, D.newSourceIp.minEvents, {
        integer: true,
      }),
      learningMs: o.newSourceIp?.learningMs ?? D.newSourceIp.learningMs,
      v4Prefix: positive('newSourceIp.v4Prefix', o.newSourceIp?.v4Prefix, D.newSourceIp.v4Prefix, {
        integer: true,
        max: 32,
      }),
      v6Prefix: positive('newSourceIp.v6Prefix', o.newSourceIp?.v6Prefix, D.newSourceIp.v6Prefix, {
        integer: true,
        max: 128,
      }),
      allow,
    },
    volumeSpike: {
      factor: positive('volumeSpike.factor', o.volumeSpike?.factor, D.volumeSpike.factor),
      minBaselinePerHour: positive(
        'volumeSpike.minBaselinePerHour',
        o.volumeSpike?.minBaselinePerHour,
        D.volumeSpike.minBaselinePerHour,
      ),
      minHistoryHours: positive(
        'volumeSpike.minHistoryHours',
        o.volumeSpike?.minHistoryHours,
        D.volumeSpike.minHistoryHours,
        { integer: true },
      ),
      alpha: positive('volumeSpike.alpha', o.volumeSpike?.alpha, D.volumeSpike.alpha, { max: 1 }),
      coldStartFactor: positive(
        'volumeSpike.coldStartFactor',
        o.volumeSpike?.coldStartFactor,
        D.volumeSpike.coldStartFactor,
      ),
      coldStartPerHour: positive(
        'volumeSpike.coldStartPerHour',
        o.volumeSpike?.coldStartPerHour,
        D.volumeSpike.coldStartPerHour,
      ),
    },
    offHours: { startHour, endHour, workDays: new Set(o.offHours?.workDays ?? D.offHours.workDays), timeZone: tz },
    deniedAccess: {
      windowMs: positive('deniedAccess.windowMs', o.deniedAccess?.windowMs, D.deniedAccess.windowMs),
      burst: positive('deniedAccess.burst', o.deniedAccess?.burst, D.deniedAccess.burst, { integer: true }),
    },
    failedAuth: {
      windowMs: positive('failedAuth.windowMs', o.failedAuth?.windowMs, D.failedAuth.windowMs),
      threshold: positive('failedAuth.threshold', o.failedAuth?.threshold, D.failedAuth.threshold, { integer: true }),
    },
    passwordSpray: {
      windowMs: positive('passwordSpray.windowMs', o.passwordSpray?.windowMs, D.passwordSpray.windowMs),
      distinctIdentities: positive(
        'passwordSpray.distinctIdentities',
        o.passwordSpray?.distinctIdentities,
        D.passwordSpray.distinctIdentities,
        { integer: true },
      ),
    },
    longTtl: {
      humanMaxSeconds: positive('longTtl.humanMaxSeconds', o.longTtl?.humanMaxSeconds, D.longTtl.humanMaxSeconds),
      maxSeconds: positive('longTtl.maxSeconds', o.longTtl?.maxSeconds, D.longTtl.maxSeconds),
    },
    bulkRead: {
      windowMs: positive('bulkRead.windowMs', o.bulkRead?.windowMs, D.bulkRead.windowMs),
      distinctSecrets: positive('bulkRead.distinctSecrets', o.bulkRead?.distinctSecrets, D.bulkRead.distinctSecrets, {
        integer: true,
      }),
    },
    secretDestroy: {
      windowMs: positive('secretDestroy.windowMs', o.secretDestroy?.windowMs, D.secretDestroy.windowMs),
      massCount: positive('secretDestroy.massCount', o.secretDestroy?.massCount, D.secretDestroy.massCount, {
        integer: true,
      }),
    },
    rootToken: { windowMs: positive('rootToken.windowMs', o.rootToken?.windowMs, D.rootToken.windowMs) },
    pairWindowMs: positive('pairWindowMs', o.pairWindowMs, D.pairWindowMs),
    limits: {
      identities: positive('limits.identities', L.identities, D.limits.identities, { integer: true }),
      keys: positive('limits.keys', L.keys, D.limits.keys, { integer: true }),
      pendingRequests: positive('limits.pendingRequests', L.pendingRequests, D.limits.pendingRequests, {
        integer: true,
      }),
      accessors: positive('limits.accessors', L.accessors, D.limits.accessors, { integer: true }),
      secrets: positive('limits.secrets', L.secrets, D.limits.secrets, { integer: true }),
    },
  };
}

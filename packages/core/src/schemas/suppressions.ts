import { z } from 'zod';
import { IsoDate, IsoDateTime } from './common.js';

/** A date (`2027-01-31`, meaning 00:00 UTC that day) or an instant with a zone. */
const DateOrInstant = z.union([IsoDate, IsoDateTime], {
  error: 'expected YYYY-MM-DD or an ISO 8601 date-time such as 2026-12-05T12:00:00Z',
});

/**
 * One acknowledged, expected activity: the findings it matches are reported under `suppressed` instead of
 * among the findings (never dropped). Every field given must match; at least one of `rule`, `identity`,
 * `accessor`, `path` or `window` is required. `path` is a glob (picomatch: `*` stays inside one segment, `**`
 * crosses them) matched against the finding's path as logged and its logical secret. `expires` is required: an
 * expired suppression no longer applies and is reported.
 *
 * @example
 * ```ts
 * Suppression.parse({ identity: 'terraform', rule: 'policy-change', path: 'sys/policies/acl/**',
 *   expires: '2027-06-30', reason: 'Terraform applies the policies from the infra repo' });
 * ```
 */
export const Suppression = z
  .strictObject({
    /** A short name shown when it applies or expires. */
    id: z.string().min(1).optional(),
    /** A rule id, or several. */
    rule: z.union([z.string().min(1), z.array(z.string().min(1)).min(1)]).optional(),
    /** The identity exactly as findings show it (`approle-terraform`, `token`). */
    identity: z.string().min(1).optional(),
    /** The token accessor exactly as logged (HMAC'd, `hmac-sha256:…`): one token among those sharing a name. */
    accessor: z.string().min(1).optional(),
    /** Glob over the finding's path (and logical secret), e.g. `sys/policies/acl/*`. */
    path: z.string().min(1).optional(),
    /** Only findings inside this time window (from inclusive, until exclusive), e.g. a maintenance window. */
    window: z
      .strictObject({ from: DateOrInstant.optional(), until: DateOrInstant.optional() })
      .refine((w) => w.from !== undefined || w.until !== undefined, { message: 'expected from and/or until' })
      .optional(),
    /** From this date or instant on, the suppression no longer applies and is reported as expired. */
    expires: DateOrInstant,
    /** Why this activity is expected (shown with every suppressed finding). */
    reason: z.string().trim().min(1, { message: 'expected a reason' }),
  })
  .refine(
    (s) =>
      s.rule !== undefined ||
      s.identity !== undefined ||
      s.accessor !== undefined ||
      s.path !== undefined ||
      s.window !== undefined,
    { message: 'expected at least one of rule, identity, accessor, path or window (this would suppress everything)' },
  );
export type Suppression = z.infer<typeof Suppression>;

/**
 * A suppression file (`svm audit analyze --suppressions <file>`, YAML or JSON).
 *
 * @example
 * ```ts
 * Suppressions.parse({ suppressions: [{ rule: 'off-hours', identity: 'userpass-oncall', expires: '2027-01-01',
 *   reason: 'on-call rota' }] });
 * ```
 */
export const Suppressions = z.strictObject({
  /** Format version (1). */
  version: z.literal(1).optional(),
  suppressions: z.array(Suppression),
});
export type Suppressions = z.infer<typeof Suppressions>;

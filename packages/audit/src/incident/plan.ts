import type { CredentialKind, IncidentPlan, IncidentSeverity, IncidentSignal, PlaybookStep } from '@svm/core';

/** What is known when a leak is reported. */
export interface IncidentInput {
  /** What was seen (one or more of the escalation matrix's signals). */
  signals: IncidentSignal[];
  credential: CredentialKind;
  /** The leaked secret's name or path, used in the commands. */
  secret?: string | undefined;
  /** When the leak was detected. */
  detectedAt: Date;
  /** Regulated data (PCI, PHI, PII) behind the credential: compliance is notified. */
  regulatedData?: boolean | undefined;
  /** Customer data behind the credential: legal is notified. */
  customerData?: boolean | undefined;
}

const RESPONSE_MINUTES: Record<IncidentSeverity, number> = { P0: 15, P1: 60, P2: 240, P3: 1440 };
const RANK: Record<IncidentSeverity, number> = { P0: 0, P1: 1, P2: 2, P3: 3 };

/** The escalation matrix: the severity each signal alone calls for, and why. */
export const SIGNAL_SEVERITY: Record<IncidentSignal, { severity: IncidentSeverity; why: string }> = {
  'vault-node-compromised': { severity: 'P0', why: 'a Vault node is compromised' },
  'kms-key-compromised': { severity: 'P0', why: 'a cloud KMS key is compromised' },
  'public-repo-used': { severity: 'P0', why: 'the credential is public and there is evidence of use' },
  'public-repo': { severity: 'P1', why: 'the credential is in a public place (no evidence of use yet)' },
  'audit-log-gap': { severity: 'P1', why: 'an audit log gap: assume the worst' },
  'beyond-scope': { severity: 'P1', why: 'an internal credential was exposed beyond its scope' },
  'internal-log': { severity: 'P2', why: 'the secret appeared in an internal log' },
  'failed-auth-unknown-source': { severity: 'P2', why: 'repeated failed logins from an unknown source' },
  'non-production': { severity: 'P2', why: 'a non-production credential was exposed' },
  'expired-or-limited': { severity: 'P3', why: 'the credential is expired or of limited scope' },
};

const INFRASTRUCTURE: ReadonlySet<IncidentSignal> = new Set(['vault-node-compromised', 'kms-key-compromised']);

/**
 * Classify a leak: the most severe signal wins, except that a non-production credential is at most P2 and
 * an expired or limited-scope one at most P3 — unless Vault or KMS infrastructure itself is compromised.
 *
 * @example
 * ```ts
 * classifyIncident(['public-repo']).severity; // 'P1'
 * classifyIncident(['public-repo', 'non-production']).severity; // 'P2'
 * ```
 */
export function classifyIncident(signals: readonly IncidentSignal[]): { severity: IncidentSeverity; reason: string } {
  if (signals.length === 0) throw new RangeError('classifyIncident: at least one signal is needed');
  let worst = signals[0] as IncidentSignal;
  for (const s of signals) if (RANK[SIGNAL_SEVERITY[s].severity] < RANK[SIGNAL_SEVERITY[worst].severity]) worst = s;
  let severity = SIGNAL_SEVERITY[worst].severity;
  let reason = SIGNAL_SEVERITY[worst].why;
  const infrastructure = signals.some((s) => INFRASTRUCTURE.has(s));
  if (!infrastructure) {
    if (signals.includes('expired-or-limited') && RANK[severity] < RANK.P3) {
      severity = 'P3';
      reason += ', but the credential is expired or of limited scope';
    } else if (signals.includes('non-production') && RANK[severity] < RANK.P2) {
      severity = 'P2';
      reason += ', but it is a non-production credential';
    }
  }
  return { severity, reason };
}

/**
 * Build the leak-response plan: severity, deadlines from the detection time, and the four phases
 * (contain, assess, recover, post-mortem) with the commands for this kind of credential.
 *
 * @example
 * ```ts
 * const plan = planIncident({ signals: ['public-repo'], credential: 'aws-access-key', secret: 'ci-deployer',
 *   detectedAt: new Date('2026-03-01T10:00:00Z') });
 * plan.severity;  // 'P1'
 * plan.respondBy; // '2026-03-01T11:00:00.000Z'
 * ```
 */
export function planIncident(input: IncidentInput): IncidentPlan {
  const { severity, reason } = classifyIncident(input.signals);
  const t0 = input.detectedAt.getTime();
  const at = (minutes: number) => new Date(t0 + minutes * 60_000).toISOString();
  const respond = RESPONSE_MINUTES[severity];
  const urgent = severity === 'P0' || severity === 'P1';
  // P0/P1: contain within 15 min, assess within the hour, recover within 24 h, post-mortem within 72 h.
  // P2/P3: the response window is the containment deadline, the rest scales from it.
  const due = urgent
    ? { contain: 15, assess: 60, recover: 24 * 60, postMortem: 72 * 60 }
    : { contain: respond, assess: respond * 2, recover: respond + 24 * 60, postMortem: respond + 7 * 24 * 60 };
  const secret = input.secret ?? null;
  const name = secret ?? '<secret>';
  const seal = input.signals.includes('vault-node-compromised')
    ? {
        recommended: true,
        reason:
          'a Vault node is compromised: seal every node (standbys first, leader last), then rotate every secret it could reach',
      }
    : {
        recommended: false,
        reason: 'do not seal Vault for an ordinary secret leak: it stops every application; revoke and rotate instead',
      };

  const steps: PlaybookStep[] = [
    {
      phase: 'contain',
      id: 'identify',
      title: 'Identify the exposure',
      due: at(Math.min(5, due.contain)),
      actions: [
        'What leaked, where (repository, log, ticket, third party), since when, and whether it is still exposed',
      ],
      commands: [],
    },
    {
      phase: 'contain',
      id: 'revoke',
      title: 'Revoke the credential at its source',
      due: at(due.contain),
      actions: [
        'Rotate at the source and revoke every Vault / OpenBao token that read it, in one journaled command',
        ...revokeActions(input.credential),
      ],
      commands: [
        `svm incident contain --secret <store> ${name} --since <exposure-start> --audit <audit-logs> --signal ${input.signals.join(' ')} --execute`,
        ...revokeCommands(input.credential, name),
      ],
    },
    {
      phase: 'contain',
      id: 'remove-exposure',
      title: 'Remove the exposure',
      due: at(due.contain),
      actions: exposureActions(input.signals),
      commands: input.signals.some((s) => s === 'public-repo' || s === 'public-repo-used')
        ? [
            'git filter-repo --replace-text <file-with-the-leaked-string>',
            'git push --force --all && git push --force --tags',
          ]
        : [],
    },
    {
      phase: 'contain',
      id: 'deploy',
      title: 'Deploy the new credential and verify services are healthy',
      due: at(due.contain),
      actions: ['Store the new value, restart or reload the consumers, check health and error rates'],
      commands: [`svm secret put <store> ${name} --value-stdin`, `svm secret versions <store> ${name}`],
    },
    {
      phase: 'assess',
      id: 'blast-radius',
      title: 'Audit the blast radius',
      due: at(due.assess),
      actions: [
        'Every use of the credential during the exposure window: unknown addresses, unusual identities, privilege escalation',
      ],
      commands: [`svm incident blast-radius --secret <store> ${name} --since <exposure-start> --audit <audit-logs>`],
    },
    {
      phase: 'assess',
      id: 'notify',
      title: 'Notify',
      due: at(due.assess),
      actions: notifyList(severity, input).map((who) => `Notify ${who}`),
      commands: [],
    },
    {
      phase: 'recover',
      id: 'rotate-adjacent',
      title: 'Rotate adjacent credentials',
      due: at(due.recover),
      actions: [
        "Everything the leaked credential's policies could reach, in order: infrastructure, services, integrations, humans",
      ],
      commands: ['svm policy who-can --policy <policies-dir> --path <path> --op read'],
    },
    {
      phase: 'recover',
      id: 'harden',
      title: 'Harden',
      due: at(due.recover),
      actions: [
        'Pre-commit secret scanning (gitleaks, detect-secrets)',
        'Mask secrets in CI logs',
        'Review who holds access',
      ],
      commands: [],
    },
    {
      phase: 'post-mortem',
      id: 'post-mortem',
      title: 'Write the post-mortem',
      due: at(due.postMortem),
      actions: ['Timeline, root cause, impact, remediation, preventive measures'],
      commands: [],
    },
  ];

  return {
    severity,
    reason,
    responseWithinMinutes: respond,
    detectedAt: input.detectedAt.toISOString(),
    respondBy: at(respond),
    credential: input.credential,
    secret,
    seal,
    notify: notifyList(severity, input),
    steps,
  };
}

function notifyList(severity: IncidentSeverity, input: IncidentInput): string[] {
  const who = ['the security team', 'the owners of the affected services'];
  if (input.regulatedData) who.push('compliance');
  if (input.customerData || input.signals.includes('public-repo-used')) who.push('legal');
  if (severity === 'P0') who.push('executives');
  return who;
}

function exposureActions(signals: readonly IncidentSignal[]): string[] {
  const actions: string[] = [];
  if (signals.includes('public-repo') || signals.includes('public-repo-used'))
    actions.push(
      'Purge the secret from the repository history and force-push; ask the host to purge cached views and forks',
    );
  if (signals.includes('internal-log') || signals.includes('beyond-scope'))
    actions.push('Delete or redact the log lines, build logs or tickets that hold it; fix the code that logged it');
  if (actions.length === 0) actions.push('Close the channel the secret leaked through');
  return actions;
}

function revokeActions(kind: CredentialKind): string[] {
  switch (kind) {
    case 'database':
      return [
        'Revoke dynamic leases and rotate the static or root password',
        'Kill sessions opened with the leaked account',
      ];
    case 'vault-token':
      return ['Revoke the token by accessor (its children go with it)'];
    case 'aws-access-key':
      return ['Deactivate the key, create a replacement, delete the leaked key once consumers moved'];
    case 'gcp-service-account-key':
      return ['Disable, then delete, the leaked service account key'];
    case 'tls-certificate':
      return ['Revoke the certificate at the CA and issue a new one with a new key'];
    case 'encryption-key':
      return ['Rotate the key, rewrap data, then raise the minimum decryption version'];
    case 'ssh-key':
      return ['Remove the key from authorized_keys everywhere, or rotate the SSH CA if its key leaked'];
    default:
      return ['Generate a new value at the provider, store it as current, revoke the leaked one'];
  }
}

function revokeCommands(kind: CredentialKind, name: string): string[] {
  switch (kind) {
    case 'database':
      return [
        'vault lease revoke -prefix database/creds/<role>',
        'vault write -f database/rotate-role/<static-role>',
        'vault write -f database/rotate-root/<connection>',
      ];
    case 'vault-token':
      return ['vault token revoke -accessor <accessor>'];
    case 'aws-access-key':
      return [
        'aws iam update-access-key --user-name <user> --access-key-id <key-id> --status Inactive',
        'aws iam create-access-key --user-name <user>',
        'aws iam delete-access-key --user-name <user> --access-key-id <key-id>',
      ];
    case 'aws-secret':
      return [`aws secretsmanager rotate-secret --secret-id ${name} --rotate-immediately`];
    case 'gcp-service-account-key':
      return [
        'gcloud iam service-accounts keys disable <key-id> --iam-account <service-account-email>',
        'gcloud iam service-accounts keys delete <key-id> --iam-account <service-account-email>',
      ];
    case 'gcp-secret':
      return [
        `gcloud secrets versions add ${name} --data-file=-`,
        `gcloud secrets versions disable <leaked-version> --secret ${name}`,
      ];
    case 'azure-secret':
      return [
        `az keyvault secret set --vault-name <vault> --name ${name} --file <new-value-file>`,
        `az keyvault secret set-attributes --vault-name <vault> --name ${name} --version <leaked-version> --enabled false`,
      ];
    case 'tls-certificate':
      return [
        'vault write pki/revoke serial_number=<serial>',
        'vault write pki/issue/<role> common_name=<common-name>',
      ];
    case 'encryption-key':
      return [
        `vault write -f transit/keys/${name}/rotate`,
        `vault write transit/keys/${name}/config min_decryption_version=<new-version>`,
      ];
    case 'ssh-key':
      return ['vault write ssh/config/ca generate_signing_key=true  # only if the CA key itself leaked'];
    default:
      return [`svm secret put <store> ${name} --value-stdin`];
  }
}

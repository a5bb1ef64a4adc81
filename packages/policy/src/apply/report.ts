import { readFileSync } from 'node:fs';
import { SvmError, type TextStyle, fullStyle } from '@svm/core';
import type { ApplyPlan } from './apply.js';
import type { VaultClientOptions } from './client.js';

/**
 * The server and token to apply to: `address` (else `VAULT_ADDR`, then `BAO_ADDR`), the token from `VAULT_TOKEN`
 * (else `BAO_TOKEN`), the namespace (else `VAULT_NAMESPACE`, then `BAO_NAMESPACE`) and the CA bundle named by
 * `VAULT_CACERT` (else `BAO_CACERT`), read here. Throws `USAGE` without an http(s) address, `CREDENTIALS_MISSING`
 * without a token and `FILE_NOT_FOUND`/`FILE_UNREADABLE` for a CA file that cannot be read.
 *
 * @example
 * ```ts
 * const api = createVaultClient(vaultConnection(process.env));
 * ```
 */
export function vaultConnection(
  env: Record<string, string | undefined>,
  flags: { address?: string | undefined; namespace?: string | undefined } = {},
  wording: {
    /** The address flag named in errors (default `--address`; `svm vault doctor` uses `--addr`). */
    addressFlag?: string | undefined;
    /** What the token must be allowed, for the missing-token error. */
    tokenNeeds?: string | undefined;
  } = {},
): VaultClientOptions {
  const flag = wording.addressFlag ?? '--address';
  const address = flags.address ?? env.VAULT_ADDR ?? env.BAO_ADDR;
  if (!address) throw new SvmError('USAGE', `no server address: pass ${flag} or set VAULT_ADDR (or BAO_ADDR)`);
  if (!/^https?:\/\//.test(address))
    throw new SvmError('USAGE', `${flag} must be an http(s) URL, got ${JSON.stringify(address)}`);
  const token = env.VAULT_TOKEN ?? env.BAO_TOKEN;
  if (!token)
    throw new SvmError(
      'CREDENTIALS_MISSING',
      `no token: set VAULT_TOKEN (or BAO_TOKEN) to a token ${wording.tokenNeeds ?? 'that may write sys/policies/acl and auth/<mount>/role'}`,
    );
  const options: VaultClientOptions = {
    address,
    token,
    namespace: flags.namespace ?? env.VAULT_NAMESPACE ?? env.BAO_NAMESPACE,
  };
  const caPath = env.VAULT_CACERT ?? env.BAO_CACERT;
  if (caPath) {
    try {
      options.caCert = readFileSync(caPath, 'utf8');
    } catch (cause) {
      const missing = (cause as NodeJS.ErrnoException)?.code === 'ENOENT';
      throw new SvmError(
        missing ? 'FILE_NOT_FOUND' : 'FILE_UNREADABLE',
        `${env.VAULT_CACERT ? 'VAULT_CACERT' : 'BAO_CACERT'}: cannot read the CA bundle (${missing ? 'no such file' : (cause as Error).message})`,
        { file: caPath, cause },
      );
    }
  }
  return options;
}

/** The `svm policy apply --json` document. */
export interface ApplyDocument {
  address: string;
  dryRun: boolean;
  summary: ApplyPlan['summary'];
  items: Array<{
    action: string;
    kind: string;
    /** For engine objects: what is configured (`database-connection`, `pki-role`, …). */
    engine?: string | undefined;
    method: string;
    path: string;
    namespace?: string | undefined;
    changes: Array<{ field: string; from: unknown; to: unknown }>;
  }>;
  written: number;
}

/**
 * An apply plan (and how many writes were sent) as the JSON document: one item per object, never a token.
 *
 * @example
 * ```ts
 * applyDocument(plan, { address: 'https://vault:8200', dryRun: true, written: 0 }).summary;
 * ```
 */
export function applyDocument(
  plan: ApplyPlan,
  run: { address: string; dryRun: boolean; written: number },
): ApplyDocument {
  return {
    address: run.address,
    dryRun: run.dryRun,
    summary: plan.summary,
    items: plan.items.map((i) => ({
      action: i.action,
      kind: i.request.kind,
      engine: i.request.engine,
      method: i.request.method,
      path: i.request.path,
      namespace: i.request.namespace,
      changes: i.changes,
    })),
    written: run.written,
  };
}

function show(value: unknown): string {
  return value === undefined ? '(unset)' : JSON.stringify(value);
}

/**
 * An apply plan for a terminal: a count, `+`/`~`/`=` per object with the changed lines or fields, and what was
 * written.
 *
 * @example
 * ```ts
 * console.log(renderApplyText(plan, applyDocument(plan, { address, dryRun: true, written: 0 })));
 * ```
 */
export function renderApplyText(plan: ApplyPlan, doc: ApplyDocument, style: TextStyle = {}): string {
  const c = fullStyle(style);
  const { create, update, unchanged } = plan.summary;
  const lines = [`Plan against ${doc.address}: ${create} to create, ${update} to update, ${unchanged} unchanged.`];
  for (const item of plan.items) {
    const kind =
      item.request.kind === 'policy' ? 'policy' : (item.request.engine ?? `${item.request.authMethod ?? 'auth'} role`);
    const label = `${kind} ${item.request.path}${item.request.namespace ? ` (namespace ${item.request.namespace})` : ''}`;
    if (item.action === 'unchanged') {
      lines.push(c.dim(`  = ${label}`));
      continue;
    }
    lines.push(item.action === 'create' ? c.green(`  + ${label}`) : c.yellow(`  ~ ${label}`));
    if (item.action === 'update') {
      if (item.textDiff.length > 0)
        for (const l of item.textDiff) lines.push(`      ${l.startsWith('+') ? c.green(l) : c.red(l)}`);
      else for (const ch of item.changes) lines.push(`      ${ch.field}: ${show(ch.from)} → ${show(ch.to)}`);
    }
  }
  if (doc.dryRun) lines.push('Dry run: nothing written.');
  else
    lines.push(
      doc.written === 0
        ? 'Nothing to do: the server already matches.'
        : `Applied: ${doc.written} write${doc.written === 1 ? '' : 's'}.`,
    );
  return lines.join('\n');
}

import { type InventoryItem, type SecretVersion, type TextStyle, fullStyle, renderTable } from '@svm/core';
import type { CopyEntry } from '../copy.js';
import type { StoreDiffEntry } from '../diff.js';
import type { FileStoreSelfTest } from '../file-store/self-test.js';

/** What {@link renderSecretMetadata} shows: a secret version's metadata, never its value. */
export interface SecretMetadataView {
  name: string;
  version: string;
  stages: readonly string[];
  createdAt: string | null;
}

/**
 * A secret version's metadata as `key value` lines; the value line says it is hidden (`svm secret get`).
 *
 * @example
 * ```ts
 * renderSecretMetadata({ name: 'app/db', version: '3', stages: ['current'], createdAt: null });
 * // 'name     app/db\nversion  3\nstages   current\ncreated  -\nvalue    (hidden; --reveal prints it)'
 * ```
 */
export function renderSecretMetadata(secret: SecretMetadataView, style: TextStyle = {}): string {
  return [
    ['name', secret.name],
    ['version', secret.version],
    ['stages', secret.stages.join(', ') || '-'],
    ['created', secret.createdAt ?? '-'],
    ['value', fullStyle(style).dim('(hidden; --reveal prints it)')],
  ]
    .map(([k, v]) => `${(k as string).padEnd(8)} ${v}`)
    .join('\n');
}

/**
 * Secret names and when they changed, as a table (`svm secret list`).
 *
 * @example
 * ```ts
 * renderSecretList([{ name: 'app/db', updatedAt: null }]); // 'NAME    UPDATED\napp/db  -'
 * ```
 */
export function renderSecretList(
  secrets: readonly { name: string; updatedAt: string | null }[],
  style: TextStyle = {},
): string {
  if (secrets.length === 0) return fullStyle(style).dim('no secrets');
  return renderTable(
    ['NAME', 'UPDATED'],
    secrets.map((e) => [e.name, e.updatedAt ?? '-']),
  );
}

/**
 * A secret's versions with their stages and state, as a table (`svm secret versions`).
 *
 * @example
 * ```ts
 * renderSecretVersions(await store.versions('app/db'));
 * ```
 */
export function renderSecretVersions(versions: readonly SecretVersion[]): string {
  return renderTable(
    ['VERSION', 'STAGES', 'STATE', 'CREATED'],
    versions.map((v) => [v.version, v.stages.join(',') || '-', v.state, v.createdAt ?? '-']),
  );
}

/**
 * The outcome of {@link copySecrets} per secret, as a table (`svm secret copy`).
 *
 * @example
 * ```ts
 * renderCopyEntries(await copySecrets(from, to, 'app/'));
 * ```
 */
export function renderCopyEntries(entries: readonly CopyEntry[], style: TextStyle = {}): string {
  if (entries.length === 0) return fullStyle(style).dim('nothing to copy');
  return renderTable(
    ['NAME', 'ACTION', 'VERSIONS'],
    entries.map((e) => [e.name, e.error ? `${e.action}: ${e.error}` : e.action, String(e.versions)]),
  );
}

/**
 * The result of {@link diffStores} as a table and a count of the names that differ (`svm secret diff`).
 *
 * @example
 * ```ts
 * renderStoreDiff(await diffStores(a, b, 'app/')); // 'NAME    STATUS\napp/db  differs\n\n1 of 1 differ'
 * ```
 */
export function renderStoreDiff(entries: readonly StoreDiffEntry[], style: TextStyle = {}): string {
  const { dim, yellow } = fullStyle(style);
  if (entries.length === 0) return dim('no secrets on either side');
  const drift = entries.filter((e) => e.status !== 'same').length;
  const table = renderTable(
    ['NAME', 'STATUS'],
    entries.map((e) => [e.name, e.status === 'same' ? e.status : yellow(e.status)]),
  );
  return `${table}\n\n${drift} of ${entries.length} differ`;
}

/**
 * A discovered inventory (see {@link discoverInventory}) as a table of names, stores and rotation facts.
 *
 * @example
 * ```ts
 * renderInventoryTable((await discoverInventory([store])).inventory.secrets);
 * ```
 */
export function renderInventoryTable(secrets: readonly InventoryItem[], style: TextStyle = {}): string {
  if (secrets.length === 0) return fullStyle(style).dim('no secrets found');
  return renderTable(
    ['NAME', 'STORE', 'TYPE', 'LAST ROTATED', 'EXPIRES', 'INTERVAL'],
    secrets.map((s) => [
      s.name ?? '-',
      s.store ?? '-',
      s.type ?? '-',
      s.last_rotated ?? '-',
      s.expires_at ?? '-',
      String(s.interval ?? '-'),
    ]),
  );
}

/**
 * What {@link selfTestFileStore} found, in five lines naming the store's `path` and never a value (`svm demo`).
 *
 * @example
 * ```ts
 * renderFileStoreSelfTest(await selfTestFileStore('/tmp/check.svm'), '/tmp/check.svm')[1];
 * // 'put demo/db-password twice: versions 1 and 2'
 * ```
 */
export function renderFileStoreSelfTest(t: FileStoreSelfTest, path: string): string[] {
  return [
    `created an AES-256-GCM file store (scrypt passphrase, mode 0600): ${path}`,
    `put demo/db-password twice: versions ${t.written[0]} and ${t.written[1]}`,
    `read back current (v${t.current}) and previous (v${t.previous}): ${t.verified ? 'values match' : 'VALUES DIFFER'} (not printed)`,
    `versions: ${t.versions.map((v) => `${v.version} [${v.stages.join(',') || '-'}]`).join(', ')}`,
    `wrong passphrase: ${t.refused ? 'refused (DECRYPT_FAILED, exit 2 in the CLI)' : 'NOT REFUSED'}`,
  ];
}

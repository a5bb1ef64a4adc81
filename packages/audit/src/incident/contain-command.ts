import { isAbsolute, resolve } from 'node:path';
import type { Readable } from 'node:stream';
import { type Containment, type CredentialKind, type IncidentSignal, type StoreContainment, SvmError } from '@svm/core';
import { type ContainmentTextStyle, renderContainmentText, renderStoreContainmentText } from '../render/containment.js';
import { parseSecretFlag, parseWindowTime } from './blast-radius.js';
import { containSecret } from './contain.js';
import { containStore } from './contain-store.js';

/** The flags of `svm incident contain`, as a command line gives them. */
export interface ContainFlags {
  secret?: string[] | undefined;
  store?: string | undefined;
  all?: boolean | undefined;
  since?: string | undefined;
  until?: string | undefined;
  audit?: string[] | undefined;
  execute?: boolean | undefined;
  signal?: IncidentSignal[] | undefined;
  credential?: CredentialKind | undefined;
  journal?: string | undefined;
  reportDir?: string | undefined;
  keyFile?: string | undefined;
}

/** What {@link runContain} needs besides the flags: the process edges and the inventory text. */
export interface ContainEnvironment {
  env: Record<string, string | undefined>;
  cwd: string;
  stdin?: Readable | undefined;
  /** The `--inventory` file's text and name. */
  inventory?: { text: string; file: string } | undefined;
  startedAt?: Date | undefined;
  onProgress?: ((line: string) => void) | undefined;
  onStoreProgress?: ((p: { done: number; total: number; name: string }) => void) | undefined;
}

/** A containment of one secret or of a whole store. */
export type ContainRun = { kind: 'secret'; result: Containment } | { kind: 'store'; result: StoreContainment };

/**
 * Check the flag combination of `svm incident contain`: `--secret <store-uri> <name> --since --audit`, or
 * `--store <uri> --all`. Throws `USAGE` naming what is missing; returns the mode.
 *
 * @example
 * ```ts
 * checkContainFlags({ store: 'file://./s.svm', all: true }); // 'store'
 * ```
 */
export function checkContainFlags(flags: ContainFlags): 'secret' | 'store' {
  if (flags.store !== undefined || flags.all) {
    if (!flags.store || !flags.all || flags.secret)
      throw new SvmError('USAGE', 'a store-wide containment takes --store <uri> --all (and no --secret)');
    if (flags.since !== undefined) parseWindowTime(flags.since, '--since');
    return 'store';
  }
  parseSecretFlag(flags.secret);
  if (!flags.since || !flags.audit?.length)
    throw new SvmError('USAGE', '--secret needs --since <time> and --audit <logs...> (the logs that say who read it)');
  parseWindowTime(flags.since, '--since');
  if (flags.until !== undefined) parseWindowTime(flags.until, '--until');
  return 'secret';
}

/**
 * `svm incident contain` as one call: checks the flags, loads the inventory, and runs {@link containSecret} or
 * {@link containStore} (relative paths resolve from `cwd`).
 *
 * @example
 * ```ts
 * const run = await runContain({ secret: ['vault://v:8200/secret', 'prod/db'], since: '2026-03-01', audit: ['a.log'] },
 *   { env: process.env, cwd: process.cwd() });
 * run.result.outcome; // 'planned'
 * ```
 */
export async function runContain(flags: ContainFlags, io: ContainEnvironment): Promise<ContainRun> {
  const mode = checkContainFlags(flags);
  const path = (p: string) => (isAbsolute(p) ? p : resolve(io.cwd, p));
  const inventory = io.inventory
    ? (await import('@svm/rotation')).loadInventory(io.inventory.text, { file: io.inventory.file }).items
    : undefined;
  const common = {
    journal: flags.journal,
    env: io.env,
    cwd: io.cwd,
    startedAt: io.startedAt,
    execute: flags.execute,
    storeOptions: flags.keyFile ? { file: { keyFile: path(flags.keyFile) } } : undefined,
  };
  const since = flags.since === undefined ? undefined : parseWindowTime(flags.since, '--since');
  if (mode === 'store') {
    const result = await containStore({
      ...common,
      store: flags.store as string,
      items: inventory,
      since,
      onProgress: io.onStoreProgress,
    });
    return { kind: 'store', result };
  }
  const result = await containSecret({
    ...common,
    ...parseSecretFlag(flags.secret),
    since: since as Date,
    until: flags.until === undefined ? undefined : parseWindowTime(flags.until, '--until'),
    audit: flags.audit ?? [],
    signals: flags.signal,
    credential: flags.credential,
    inventory,
    reportDir: flags.reportDir ? path(flags.reportDir) : undefined,
    stdin: io.stdin,
    onProgress: io.onProgress,
  });
  return { kind: 'secret', result };
}

/**
 * A {@link ContainRun} as terminal text.
 *
 * @example
 * ```ts
 * console.log(renderContainRun(await runContain(flags, io)));
 * ```
 */
export function renderContainRun(run: ContainRun, style: ContainmentTextStyle = {}): string {
  return run.kind === 'store'
    ? renderStoreContainmentText(run.result, style)
    : renderContainmentText(run.result, style);
}

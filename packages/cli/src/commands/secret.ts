import { isAbsolute } from 'node:path';
import { Option, type Command } from 'commander';
import {
  type SecretStage,
  type SecretVersion,
  type StoreRef,
  SvmError,
  parseStoreUri,
  redactStoreUri,
  renderTable,
} from '@svm/core';
import type { CopyEntry, SecretStore, StoreDiffEntry } from '@svm/providers';
import { action } from '../internal/command.js';
import type { AnyCommandOutput, CliContext } from '../internal/context.js';
import { absolutePath, readInput, readStream } from '../internal/input.js';

interface StoreFlags {
  keyFile?: string;
}

/** `svm secret …`: read and write secrets in any store; values are printed only with `get --reveal`. */
export function register(group: Command, ctx: CliContext): void {
  const keyFile = (): Option =>
    new Option('--key-file <file>', 'file store: key file of 32 random bytes (else SVM_FILE_PASSPHRASE)');
  group.addHelpText(
    'after',
    '\nStores: file://<path>  vault://host:port/<mount>  vault+http://…  aws-sm://<region>  gcp-sm://<project>  azure-kv://<vault-name>\nValues are never printed unless `get --reveal`.',
  );

  group
    .command('put')
    .description('write a new version of a secret and print its version id')
    .argument('<store>', 'store URI')
    .argument('<name>', 'secret name')
    .option('--value-stdin', 'read the value from standard input (one trailing newline is dropped)')
    .option('--from-file <file>', 'read the value from a file, byte for byte')
    .addOption(
      new Option('--stage <stage>', 'label of the new version').choices(['current', 'pending']).default('current'),
    )
    .addOption(keyFile())
    .action(
      action(
        ctx,
        (
          store: string,
          name: string,
          flags: StoreFlags & { valueStdin?: boolean; fromFile?: string; stage: 'current' | 'pending' },
        ) => put(ctx, store, name, flags),
      ),
    );

  group
    .command('get')
    .description("show a secret version's metadata; --reveal prints the value alone")
    .argument('<store>', 'store URI')
    .argument('<name>', 'secret name')
    .option('--version <id>', 'a version id')
    .addOption(new Option('--stage <stage>', 'a stage label').choices(['current', 'previous', 'pending']))
    .option('--reveal', 'print the value (alone, or {"value": …} with --json)')
    .addOption(keyFile())
    .action(
      action(
        ctx,
        (
          store: string,
          name: string,
          flags: StoreFlags & { version?: string; stage?: SecretStage; reveal?: boolean },
        ) => get(ctx, store, name, flags),
      ),
    );

  group
    .command('list')
    .description('list secret names, optionally under a prefix')
    .argument('<store>', 'store URI')
    .argument('[prefix]', 'name prefix', '')
    .addOption(keyFile())
    .action(action(ctx, (store: string, prefix: string, flags: StoreFlags) => list(ctx, store, prefix, flags)));

  group
    .command('versions')
    .description('list the versions of a secret, newest first, with stages and state')
    .argument('<store>', 'store URI')
    .argument('<name>', 'secret name')
    .addOption(keyFile())
    .action(action(ctx, (store: string, name: string, flags: StoreFlags) => versions(ctx, store, name, flags)));

  group
    .command('stage')
    .description('move a stage label onto a version, e.g. make a pending version current (finishes a rotation)')
    .argument('<store>', 'store URI')
    .argument('<name>', 'secret name')
    .argument('<version>', 'version id')
    .addOption(
      new Option('--stage <stage>', 'the label to move').choices(['current', 'previous', 'pending']).default('current'),
    )
    .addOption(keyFile())
    .action(
      action(ctx, (store: string, name: string, version: string, flags: StoreFlags & { stage: SecretStage }) =>
        stage(ctx, store, name, version, flags),
      ),
    );

  group
    .command('delete')
    .description(
      'soft-delete a secret where the store can restore it (Vault, AWS recovery window, Azure, GCP disable, file store)',
    )
    .argument('<store>', 'store URI')
    .argument('<name>', 'secret name')
    .addOption(keyFile())
    .action(action(ctx, (store: string, name: string, flags: StoreFlags) => remove(ctx, store, name, flags, false)));

  group
    .command('destroy')
    .description('remove a secret and every version for good (needs --yes)')
    .argument('<store>', 'store URI')
    .argument('<name>', 'secret name')
    .option('--yes', 'confirm: nothing can be recovered afterwards')
    .addOption(keyFile())
    .action(
      action(ctx, (store: string, name: string, flags: StoreFlags & { yes?: boolean }) =>
        remove(ctx, store, name, flags, true),
      ),
    );

  group
    .command('copy')
    .description('copy secrets between stores (all versions with --versions), skipping ones already equal')
    .argument('<from>', 'source store URI')
    .argument('<to>', 'target store URI')
    .argument('[prefix]', 'only names starting with this', '')
    .option('--versions', 'copy every readable version, oldest first (the current one last)')
    .option('--dry-run', 'print what would be copied; write nothing')
    .addOption(keyFile())
    .option(
      '--to-key-file <file>',
      "key file of the target file store (else SVM_FILE_PASSPHRASE_TO, then the source's key)",
    )
    .action(
      action(
        ctx,
        (
          from: string,
          to: string,
          prefix: string,
          flags: StoreFlags & { versions?: boolean; dryRun?: boolean; toKeyFile?: string },
        ) => copy(ctx, from, to, prefix, flags),
      ),
    );

  group
    .command('diff')
    .description(
      'report drift between two stores by comparing keyed hashes of current values (never the values); exit 1 on drift',
    )
    .argument('<a>', 'store URI')
    .argument('<b>', 'store URI')
    .argument('[prefix]', 'only names starting with this', '')
    .addOption(keyFile())
    .option(
      '--to-key-file <file>',
      "key file of the second file store (else SVM_FILE_PASSPHRASE_TO, then the first one's key)",
    )
    .action(
      action(ctx, (a: string, b: string, prefix: string, flags: StoreFlags & { toKeyFile?: string }) =>
        diff(ctx, a, b, prefix, flags),
      ),
    );

  group.action(() => {
    group.help({ error: true });
  });
}

/** Parse a store URI, making a relative file path relative to the CLI's working directory. */
function storeRef(ctx: CliContext, uri: string): StoreRef {
  const ref = parseStoreUri(uri);
  if (ref.kind === 'file' && !isAbsolute(ref.path)) return { ...ref, path: absolutePath(ctx.io, ref.path) };
  return ref;
}

async function open(
  ctx: CliContext,
  uri: string,
  flags: StoreFlags,
  passphraseVar = 'SVM_FILE_PASSPHRASE',
): Promise<SecretStore> {
  const { openStore } = await import('@svm/providers');
  const ref = storeRef(ctx, uri);
  const env = { ...ctx.io.env, SVM_FILE_PASSPHRASE: ctx.io.env[passphraseVar] ?? ctx.io.env.SVM_FILE_PASSPHRASE };
  return openStore(ref, { env, file: { ...(flags.keyFile ? { keyFile: absolutePath(ctx.io, flags.keyFile) } : {}) } });
}

async function using<TResult>(store: SecretStore, fn: (store: SecretStore) => Promise<TResult>): Promise<TResult> {
  try {
    return await fn(store);
  } finally {
    await store.close().catch(() => undefined);
  }
}

async function readStdin(ctx: CliContext): Promise<string> {
  return (await readStream(ctx.io.stdin)).replace(/\r?\n$/, '');
}

async function put(
  ctx: CliContext,
  uri: string,
  name: string,
  flags: StoreFlags & { valueStdin?: boolean; fromFile?: string; stage: 'current' | 'pending' },
): Promise<AnyCommandOutput> {
  if (Boolean(flags.valueStdin) === Boolean(flags.fromFile))
    throw new SvmError('USAGE', 'pass exactly one of --value-stdin or --from-file <file>');
  let value: string;
  if (flags.fromFile) {
    value = (await readInput(ctx.io, flags.fromFile)).text;
  } else value = await readStdin(ctx);
  if (value.length === 0) throw new SvmError('INPUT_INVALID', 'the value is empty');
  const store = await open(ctx, uri, flags);
  const result = await using(store, (s) => s.put(name, value, { stage: flags.stage }));
  return {
    data: { store: redactStoreUri(uri), name: result.name, version: result.version, stages: result.stages },
    text: (d) => d.version,
  };
}

async function get(
  ctx: CliContext,
  uri: string,
  name: string,
  flags: StoreFlags & { version?: string; stage?: SecretStage; reveal?: boolean },
): Promise<AnyCommandOutput> {
  if (flags.version !== undefined && flags.stage !== undefined)
    throw new SvmError('USAGE', 'pass --version or --stage, not both');
  const store = await open(ctx, uri, flags);
  const secret = await using(store, (s) => s.get(name, { version: flags.version, stage: flags.stage }));
  if (flags.reveal) {
    return { data: null, raw: ctx.flags.json ? `${JSON.stringify({ value: secret.value })}\n` : secret.value };
  }
  const data = {
    store: redactStoreUri(uri),
    name: secret.name,
    version: secret.version,
    stages: secret.stages,
    createdAt: secret.createdAt ?? null,
  };
  return {
    data,
    text: (d) =>
      [
        ['name', d.name],
        ['version', d.version],
        ['stages', d.stages.join(', ') || '-'],
        ['created', d.createdAt ?? '-'],
        ['value', ctx.colors.dim('(hidden; --reveal prints it)')],
      ]
        .map(([k, v]) => `${(k as string).padEnd(8)} ${v}`)
        .join('\n'),
  };
}

async function list(ctx: CliContext, uri: string, prefix: string, flags: StoreFlags): Promise<AnyCommandOutput> {
  const store = await open(ctx, uri, flags);
  const secrets = await using(store, (s) => s.list(prefix));
  return {
    data: {
      store: redactStoreUri(uri),
      prefix,
      secrets: secrets.map((e) => ({ name: e.name, updatedAt: e.updatedAt ?? null })),
    },
    text: (d) =>
      d.secrets.length === 0
        ? ctx.colors.dim('no secrets')
        : renderTable(
            ['NAME', 'UPDATED'],
            d.secrets.map((e: { name: string; updatedAt: string | null }) => [e.name, e.updatedAt ?? '-']),
          ),
  };
}

async function versions(ctx: CliContext, uri: string, name: string, flags: StoreFlags): Promise<AnyCommandOutput> {
  const store = await open(ctx, uri, flags);
  const list: SecretVersion[] = await using(store, (s) => s.versions(name));
  return {
    data: { store: redactStoreUri(uri), name, versions: list },
    text: (d) =>
      renderTable(
        ['VERSION', 'STAGES', 'STATE', 'CREATED'],
        d.versions.map((v: SecretVersion) => [v.version, v.stages.join(',') || '-', v.state, v.createdAt ?? '-']),
      ),
  };
}

async function stage(
  ctx: CliContext,
  uri: string,
  name: string,
  version: string,
  flags: StoreFlags & { stage: SecretStage },
): Promise<AnyCommandOutput> {
  const store = await open(ctx, uri, flags);
  const after = await using(store, async (s) => {
    await s.setStage(name, flags.stage, version);
    return s.versions(name);
  });
  return {
    data: { store: redactStoreUri(uri), name, stage: flags.stage, version, versions: after },
    text: (d: { stage: string; version: string; name: string }) => `${d.stage} -> ${d.name} version ${d.version}`,
  };
}

async function remove(
  ctx: CliContext,
  uri: string,
  name: string,
  flags: StoreFlags & { yes?: boolean },
  destroy: boolean,
): Promise<AnyCommandOutput> {
  if (destroy && !flags.yes)
    throw new SvmError('USAGE', `destroy removes '${name}' and every version for good; pass --yes to confirm`);
  const store = await open(ctx, uri, flags);
  await using(store, (s) => (destroy ? s.destroy(name) : s.delete(name)));
  const recoverable = !destroy && store.capabilities.softDelete;
  return {
    data: { store: redactStoreUri(uri), name, action: destroy ? 'destroyed' : 'deleted', recoverable },
    text: (d) => `${d.action} ${d.name}${d.recoverable ? ' (recoverable in the store)' : ''}`,
  };
}

/** Errors that concern a whole store rather than one secret: they stop `copy` at once. */
async function copy(
  ctx: CliContext,
  fromUri: string,
  toUri: string,
  prefix: string,
  flags: StoreFlags & { versions?: boolean; dryRun?: boolean; toKeyFile?: string },
): Promise<AnyCommandOutput> {
  const { copySecrets } = await import('@svm/providers');
  const from = await open(ctx, fromUri, flags);
  const to = await open(ctx, toUri, { keyFile: flags.toKeyFile ?? flags.keyFile }, 'SVM_FILE_PASSPHRASE_TO').catch(
    async (error: unknown) => {
      await from.close();
      throw error;
    },
  );
  const entries = await using(from, () => using(to, () => copySecrets(from, to, prefix, flags)));
  const failed = entries.filter((e) => e.action === 'failed').length;
  return {
    data: { from: redactStoreUri(fromUri), to: redactStoreUri(toUri), dryRun: Boolean(flags.dryRun), entries },
    text: (d) =>
      d.entries.length === 0
        ? ctx.colors.dim('nothing to copy')
        : renderTable(
            ['NAME', 'ACTION', 'VERSIONS'],
            d.entries.map((e: CopyEntry) => [
              e.name,
              e.error ? `${e.action}: ${e.error}` : e.action,
              String(e.versions),
            ]),
          ),
    exitCode: failed > 0 ? 3 : 0,
  };
}

async function diff(
  ctx: CliContext,
  aUri: string,
  bUri: string,
  prefix: string,
  flags: StoreFlags & { toKeyFile?: string },
): Promise<AnyCommandOutput> {
  const { diffStores } = await import('@svm/providers');
  const a = await open(ctx, aUri, flags);
  const b = await open(ctx, bUri, { keyFile: flags.toKeyFile ?? flags.keyFile }, 'SVM_FILE_PASSPHRASE_TO').catch(
    async (error: unknown) => {
      await a.close();
      throw error;
    },
  );
  const entries = await using(a, () => using(b, () => diffStores(a, b, prefix)));
  const drift = entries.filter((e) => e.status !== 'same').length;
  return {
    data: { a: redactStoreUri(aUri), b: redactStoreUri(bUri), prefix, drift, entries },
    text: (d) =>
      d.entries.length === 0
        ? ctx.colors.dim('no secrets on either side')
        : `${renderTable(
            ['NAME', 'STATUS'],
            d.entries.map((e: StoreDiffEntry) => [
              e.name,
              e.status === 'same' ? e.status : ctx.colors.yellow(e.status),
            ]),
          )}\n\n${d.drift} of ${d.entries.length} differ`,
    exitCode: drift > 0 ? 1 : 0,
  };
}

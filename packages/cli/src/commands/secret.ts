import { type Command, Option } from 'commander';
import { type SecretStage, SvmError } from '@svm/core';
import { handler, subcommand } from '../internal/command.js';
import type { AnyCommandOutput, CliContext } from '../internal/context.js';
import { readInput, readStream } from '../internal/input.js';

interface StoreFlags {
  keyFile?: string;
}
type PutFlags = StoreFlags & { valueStdin?: boolean; fromFile?: string; stage: 'current' | 'pending' };
type GetFlags = StoreFlags & { version?: string; stage?: SecretStage; reveal?: boolean };
type PairFlags = StoreFlags & { versions?: boolean; dryRun?: boolean; toKeyFile?: string };
type StageFlags = StoreFlags & { stage: SecretStage };
type RemoveFlags = StoreFlags & { yes?: boolean };

/** `svm secret …`: read and write secrets in any store; values are printed only with `get --reveal`. */
export function register(group: Command, ctx: CliContext): void {
  const keyFile = (): Option =>
    new Option('--key-file <file>', 'file store: key file of 32 random bytes (else SVM_FILE_PASSPHRASE)');
  const stage = (description: string, choices: string[]) => new Option('--stage <stage>', description).choices(choices);
  const command = (name: string, description: string, ...args: string[]) => subcommand(group, name, description, args);
  group.addHelpText(
    'after',
    '\nStores: file://<path>  vault://host:port/<mount>  vault+http://…  aws-sm://<region>  gcp-sm://<project>  azure-kv://<vault-name>\nValues are never printed unless `get --reveal`.',
  );

  // Most subcommands act on one secret: `<store> <name>` and the file store's key.
  const named = (name: string, description: string) =>
    command(name, description, '<store> store URI', '<name> secret name');
  named('put', 'write a new version of a secret and print its version id')
    .option('--value-stdin', 'read the value from standard input (one trailing newline is dropped)')
    .option('--from-file <file>', 'read the value from a file, byte for byte')
    .addOption(stage('label of the new version', ['current', 'pending']).default('current'))
    .addOption(keyFile())
    .action(handler(ctx, put));
  named('get', "show a secret version's metadata; --reveal prints the value alone")
    .option('--version <id>', 'a version id')
    .addOption(stage('a stage label', ['current', 'previous', 'pending']))
    .option('--reveal', 'print the value (alone, or {"value": …} with --json)')
    .addOption(keyFile())
    .action(handler(ctx, get));
  command('list', 'list secret names, optionally under a prefix', '<store> store URI')
    .argument('[prefix]', 'name prefix', '')
    .addOption(keyFile())
    .action(handler(ctx, list));
  named('versions', 'list the versions of a secret, newest first, with stages and state')
    .addOption(keyFile())
    .action(handler(ctx, versions));
  named('stage', 'move a stage label onto a version, e.g. make a pending version current (finishes a rotation)')
    .argument('<version>', 'version id')
    .addOption(stage('the label to move', ['current', 'previous', 'pending']).default('current'))
    .addOption(keyFile())
    .action(handler(ctx, setStage));
  named(
    'delete',
    'soft-delete a secret where the store can restore it (Vault, AWS recovery window, Azure, GCP disable, file store)',
  )
    .addOption(keyFile())
    .action(handler(ctx, (c, uri: string, name: string, flags: StoreFlags) => remove(c, uri, name, flags, false)));
  named('destroy', 'remove a secret and every version for good (needs --yes)')
    .option('--yes', 'confirm: nothing can be recovered afterwards')
    .addOption(keyFile())
    .action(handler(ctx, (c, uri: string, name: string, flags: StoreFlags) => remove(c, uri, name, flags, true)));
  command(
    'copy',
    'copy secrets between stores (all versions with --versions), skipping ones already equal',
    '<from> source store URI',
    '<to> target store URI',
  )
    .argument('[prefix]', 'only names starting with this', '')
    .option('--versions', 'copy every readable version, oldest first (the current one last)')
    .option('--dry-run', 'print what would be copied; write nothing')
    .addOption(keyFile())
    .option(
      '--to-key-file <file>',
      "key file of the target file store (else SVM_FILE_PASSPHRASE_TO, then the source's key)",
    )
    .action(handler(ctx, copy));
  command(
    'diff',
    'report drift between two stores by comparing keyed hashes of current values (never the values); exit 1 on drift',
    '<a> store URI',
    '<b> store URI',
  )
    .argument('[prefix]', 'only names starting with this', '')
    .addOption(keyFile())
    .option(
      '--to-key-file <file>',
      "key file of the second file store (else SVM_FILE_PASSPHRASE_TO, then the first one's key)",
    )
    .action(handler(ctx, diff));

  group.action(() => {
    group.help({ error: true });
  });
}

/** Where the user is and which credentials they gave: how every subcommand opens its stores. */
function at(ctx: CliContext, flags: PairFlags) {
  return { cwd: ctx.io.cwd, env: ctx.io.env, keyFile: flags.keyFile, toKeyFile: flags.toKeyFile };
}

async function put(ctx: CliContext, uri: string, name: string, flags: PutFlags): Promise<AnyCommandOutput> {
  if (Boolean(flags.valueStdin) === Boolean(flags.fromFile))
    throw new SvmError('USAGE', 'pass exactly one of --value-stdin or --from-file <file>');
  const value = flags.fromFile
    ? (await readInput(ctx.io, flags.fromFile)).text
    : (await readStream(ctx.io.stdin)).replace(/\r?\n$/, '');
  if (value.length === 0) throw new SvmError('INPUT_INVALID', 'the value is empty');
  const { putSecretAt } = await import('@svm/providers');
  const data = await putSecretAt(uri, name, value, { ...at(ctx, flags), stage: flags.stage });
  return { data, text: (d) => d.version };
}

async function get(ctx: CliContext, uri: string, name: string, flags: GetFlags): Promise<AnyCommandOutput> {
  if (flags.version !== undefined && flags.stage !== undefined)
    throw new SvmError('USAGE', 'pass --version or --stage, not both');
  const { getSecretAt, renderSecretMetadata } = await import('@svm/providers');
  const { document, value } = await getSecretAt(uri, name, {
    ...at(ctx, flags),
    version: flags.version,
    stage: flags.stage,
  });
  if (flags.reveal) return { data: null, raw: ctx.flags.json ? `${JSON.stringify({ value })}\n` : value };
  return { data: document, text: (d) => renderSecretMetadata(d, ctx.colors) };
}

async function list(ctx: CliContext, uri: string, prefix: string, flags: StoreFlags): Promise<AnyCommandOutput> {
  const { listSecretsAt, renderSecretList } = await import('@svm/providers');
  const data = await listSecretsAt(uri, prefix, at(ctx, flags));
  return { data, text: () => renderSecretList(data.secrets, ctx.colors) };
}

async function versions(ctx: CliContext, uri: string, name: string, flags: StoreFlags): Promise<AnyCommandOutput> {
  const { secretVersionsAt, renderSecretVersions } = await import('@svm/providers');
  const data = await secretVersionsAt(uri, name, at(ctx, flags));
  return { data, text: () => renderSecretVersions(data.versions) };
}

async function setStage(ctx: CliContext, uri: string, name: string, version: string, flags: StageFlags) {
  const { setSecretStageAt } = await import('@svm/providers');
  const data = await setSecretStageAt(uri, name, flags.stage, version, at(ctx, flags));
  return { data, text: () => `${flags.stage} -> ${name} version ${version}` };
}

async function remove(ctx: CliContext, uri: string, name: string, flags: RemoveFlags, destroy: boolean) {
  if (destroy && !flags.yes)
    throw new SvmError('USAGE', `destroy removes '${name}' and every version for good; pass --yes to confirm`);
  const { removeSecretAt } = await import('@svm/providers');
  const data = await removeSecretAt(uri, name, { ...at(ctx, flags), destroy });
  return {
    data,
    text: () => `${data.action} ${data.name}${data.recoverable ? ' (recoverable in the store)' : ''}`,
  };
}

async function copy(ctx: CliContext, from: string, to: string, prefix: string, flags: PairFlags) {
  const { copySecretsAt, renderCopyEntries } = await import('@svm/providers');
  const data = await copySecretsAt(from, to, prefix, {
    ...at(ctx, flags),
    versions: flags.versions,
    dryRun: flags.dryRun,
  });
  return {
    data,
    text: () => renderCopyEntries(data.entries, ctx.colors),
    exitCode: data.entries.some((e) => e.action === 'failed') ? 3 : 0,
  };
}

async function diff(ctx: CliContext, a: string, b: string, prefix: string, flags: PairFlags) {
  const { diffStoresAt, renderStoreDiff } = await import('@svm/providers');
  const data = await diffStoresAt(a, b, prefix, at(ctx, flags));
  return { data, text: () => renderStoreDiff(data.entries, ctx.colors), exitCode: data.drift > 0 ? 1 : 0 };
}

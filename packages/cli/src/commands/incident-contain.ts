import { createInterface } from 'node:readline/promises';
import { type Command, Option } from 'commander';
import { CredentialKind, IncidentSignal, SvmError } from '@svm/core';
import { action } from '../internal/command.js';
import type { AnyCommandOutput, CliContext } from '../internal/context.js';
import { readInput } from '../internal/input.js';
import { progressBar } from '../internal/progress.js';
import { secretOption } from './incident-blast-radius.js';

import type { ContainFlags } from '@svm/audit';

type Flags = ContainFlags & { inventory?: string; yes?: boolean };

/** `svm incident contain`: rotate, revoke and report a leaked secret (dry run unless --execute). */
export function registerContain(group: Command, ctx: CliContext): void {
  group
    .command('contain')
    .description(
      'contain a leak: rotate the secret at its source, revoke every token that read it, write the post-mortem',
    )
    .addOption(secretOption())
    .option('--store <uri>', 'a compromised store (with --all): rotate every secret in it')
    .option('--all', 'with --store: every secret, infrastructure → services → integrations → humans')
    .option('--since <time>', 'start of the exposure window (ISO 8601)')
    .option('--until <time>', 'end of the exposure window (ISO 8601)')
    .option('--audit <logs...>', 'audit logs naming who read the secret (files, directories, globs, .gz)')
    .option('--execute', 'act (default: print the plan and touch nothing)')
    .option('--yes', 'do not ask for confirmation (a P0 never asks)')
    .addOption(
      new Option('--signal <signal...>', 'what was seen: classifies the leak P0–P3').choices(IncidentSignal.options),
    )
    .addOption(
      new Option('--credential <kind>', 'kind of credential, for the playbook').choices(CredentialKind.options),
    )
    .option('--inventory <file>', "inventory with the secret's strategy and rotation settings")
    .option(
      '--journal <uri>',
      'journal: postgres://… or a file (default: beside a file store, else ./svm-rotation-journal.jsonl)',
    )
    .option('--report-dir <dir>', 'where the Markdown and HTML post-mortem go (default: the working directory)')
    .option('--key-file <file>', 'file store: key file (else SVM_FILE_PASSPHRASE)')
    .addHelpText(
      'after',
      '\nExit codes: 0 contained or planned · 1 incomplete (see "Not done"; run again to resume) · 2 usage or input error · 3 a server was unreachable (run again to resume)\n\nExamples:\n  svm incident contain --secret vault://vault:8200/secret prod/db --since 2026-03-01T08:00:00Z --audit audit.log\n  svm incident contain --secret vault://vault:8200/secret prod/db --since 2026-03-01T08:00:00Z --audit audit.log --signal public-repo-used --execute\n  svm incident contain --store vault://vault:8200/secret --all --execute --yes',
    )
    .action(action(ctx, async (flags: Flags) => contain(ctx, flags)));
}

async function contain(ctx: CliContext, flags: Flags): Promise<AnyCommandOutput> {
  const startedAt = new Date();
  const audit = await import('@svm/audit');
  const mode = audit.checkContainFlags(flags);
  const inventory = flags.inventory
    ? { text: (await readInput(ctx.io, flags.inventory)).text, file: flags.inventory }
    : undefined;
  await confirm(ctx, audit.containConfirmation, flags, flags.store ?? flags.secret?.join(' ') ?? '');
  // --store --all: a bar of secrets contained, on a TTY stderr.
  const format = 'containing {bar} {value}/{total} | {name}';
  const bar = mode === 'store' ? await progressBar<{ name: string }>(ctx, { format, hideCursor: true }) : undefined;
  const run = await audit.runContain(flags, {
    ...ctx.io,
    inventory,
    startedAt,
    onProgress: (line) => ctx.log(line),
    onStoreProgress: bar && ((p) => bar.update(p.total, p.done, { name: p.name })),
  });
  bar?.stop();
  return {
    data: run.result,
    text: () => audit.renderContainRun(run, ctx.colors),
    exitCode: audit.containExitCode(run.result),
  };
}

async function confirm(
  ctx: CliContext,
  decide: typeof import('@svm/audit')['containConfirmation'],
  flags: Flags,
  what: string,
): Promise<void> {
  const interactive = Boolean(ctx.io.stdin.isTTY && ctx.io.stderr.isTTY) && !ctx.flags.json;
  const c = decide({ signals: flags.signal, execute: Boolean(flags.execute), yes: Boolean(flags.yes), interactive });
  if (c.action === 'refuse') throw new SvmError('USAGE', c.reason);
  if (c.action === 'proceed') return;
  const rl = createInterface({ input: ctx.io.stdin, output: ctx.io.stderr });
  const answer = await rl.question(`Contain ${what}: rotate it and revoke the tokens that read it? [y/N] `);
  rl.close();
  if (!/^y(es)?$/i.test(answer.trim())) throw new SvmError('USAGE', 'not confirmed: nothing was done');
}

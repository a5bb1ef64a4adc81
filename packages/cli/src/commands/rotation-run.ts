import type { Command } from 'commander';
import type { RunFlags } from '@svm/rotation';
import { action, collectList as collect } from '../internal/command.js';
import type { AnyCommandOutput, CliContext } from '../internal/context.js';
import { inputReader } from '../internal/input.js';

/** `svm rotation run` and `svm rotation resume`: carry out rotations with the executor. */
export function registerRun(group: Command, ctx: CliContext): void {
  group
    .command('run')
    .description("rotate the inventory's secrets for real: journaled idempotent steps, resumable after a crash")
    .argument('<inventory>', 'inventory file (.yaml, .json, .csv); items name their store URI in `store`')
    .option('--only <id...>', 'only these item ids (repeat or comma-separate)', collect)
    .option('--due-only', 'only items that are due (overdue, due today or never rotated) per the plan')
    .option('--dry-run', 'print every step each rotation would take; touch nothing')
    .option(
      '--journal <uri>',
      'journal: postgres://… (many runners, leases) or a file (default: beside the file store, else beside the inventory)',
    )
    .option(
      '--update-inventory',
      'set last_rotated of rotated items in the inventory file (YAML comments and formatting kept)',
    )
    .option('--key-file <file>', 'file store: key file of 32 random bytes (else SVM_FILE_PASSPHRASE)')
    .option('--now <date>', 'planning day for --due-only, YYYY-MM-DD (default today, UTC)')
    .addHelpText(
      'after',
      '\nExit codes: 0 rotated, waiting or planned · 1 a verification failed and was rolled back · 2 usage or input error · 3 a store or database was unreachable (run `svm rotation resume`) or another runner holds the lease\n\nExamples:\n  svm rotation run inventory.yaml --dry-run\n  svm rotation run inventory.yaml --due-only --update-inventory --json\n  svm rotation run inventory.yaml --only orders-db --journal postgres://svm@db:5432/ops',
    )
    .action(action(ctx, async (file: string, flags: RunFlags) => runCommand(ctx, file, flags, false)));

  group
    .command('resume')
    .description('finish or roll back rotations a crashed or interrupted run left open in the journal')
    .argument('<inventory>', 'the inventory the interrupted run used')
    .option('--only <id...>', 'only these item ids', collect)
    .option('--journal <uri>', 'journal URI (as given to run)')
    .option('--update-inventory', 'set last_rotated of items whose rotation finished')
    .option('--key-file <file>', 'file store: key file of 32 random bytes (else SVM_FILE_PASSPHRASE)')
    .action(action(ctx, async (file: string, flags: RunFlags) => runCommand(ctx, file, flags, true)));
}

async function runCommand(
  ctx: CliContext,
  file: string,
  flags: RunFlags,
  resumeOnly: boolean,
): Promise<AnyCommandOutput> {
  const rotation = await import('@svm/rotation');
  const document = await rotation.runInventoryFile(file, flags, {
    ...inputReader(ctx.io),
    resumeOnly,
    env: ctx.io.env,
    log: (message) => ctx.log(message),
  });
  return {
    data: document,
    text: () => rotation.renderRunsText(document, ctx.colors),
    exitCode: rotation.runExitCode(document),
  };
}

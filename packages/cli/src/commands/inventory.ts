import type { Command } from 'commander';
import { toJsonDocument } from '@svm/core';
import { action } from '../internal/command.js';
import type { AnyCommandOutput, CliContext } from '../internal/context.js';
import { writeOutput, readInput } from '../internal/input.js';

interface DiscoverFlags {
  store: string[];
  prefix?: string;
  keyFile?: string;
  out?: string;
}

/** `svm inventory …`: build a rotation inventory from store metadata; validate one. */
export function register(group: Command, ctx: CliContext): void {
  group
    .command('discover')
    .description('build a rotation inventory (the core Inventory schema) from store metadata; never reads values')
    .requiredOption('--store <uri...>', 'store URIs to scan (repeatable)')
    .option('--prefix <prefix>', 'only secrets whose names start with this')
    .option('--key-file <file>', 'file store: key file (else SVM_FILE_PASSPHRASE)')
    .option('--out <file>', 'write the inventory (JSON, which YAML readers accept too) to this file')
    .addHelpText(
      'after',
      '\nExamples:\n  svm inventory discover --store aws-sm://eu-west-1 --store vault://vault:8200/secret --out inventory.json\n  svm inventory discover --store file://./secrets.svm --json | svm rotation plan -',
    )
    .action(action(ctx, (flags: DiscoverFlags) => discover(ctx, flags)));

  group
    .command('validate')
    .description('check an inventory file (JSON, YAML or CSV) against the schema; errors name the file, line and field')
    .argument('<file>', 'inventory file')
    .action(action(ctx, (file: string) => validate(ctx, file)));

  group.action(() => {
    group.help({ error: true });
  });
}

async function discover(ctx: CliContext, flags: DiscoverFlags): Promise<AnyCommandOutput> {
  const { discoverInventoryAt, renderInventoryTable } = await import('@svm/providers');
  const options = { cwd: ctx.io.cwd, env: ctx.io.env, keyFile: flags.keyFile, prefix: flags.prefix };
  const { inventory, warnings } = await discoverInventoryAt(flags.store, options);
  for (const warning of warnings) ctx.warn(warning);
  if (flags.out) {
    await writeOutput(ctx.io, flags.out, toJsonDocument(inventory), { mode: 0o644 });
    ctx.log(`wrote ${inventory.secrets.length} secrets to ${flags.out}`);
  }
  return { data: inventory, text: () => renderInventoryTable(inventory.secrets, ctx.colors) };
}

async function validate(ctx: CliContext, file: string): Promise<AnyCommandOutput> {
  const { validateInventory } = await import('@svm/rotation');
  const { text, name } = await readInput(ctx.io, file);
  return { data: validateInventory(text, name), text: (d) => `${d.file}: valid, ${d.secrets} secrets` };
}

import { writeFile } from 'node:fs/promises';
import { isAbsolute } from 'node:path';
import type { Command } from 'commander';
import { type InventoryItem, type StoreRef, parseStoreUri, toJsonDocument, renderTable } from '@svm/core';
import type { SecretStore } from '@svm/providers';
import { action } from '../internal/command.js';
import type { AnyCommandOutput, CliContext } from '../internal/context.js';
import { absolutePath, readInput } from '../internal/input.js';

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
    .action(
      action(ctx, (flags: { store: string[]; prefix?: string; keyFile?: string; out?: string }) =>
        discover(ctx, flags),
      ),
    );

  group
    .command('validate')
    .description('check an inventory file (JSON, YAML or CSV) against the schema; errors name the file, line and field')
    .argument('<file>', 'inventory file')
    .action(action(ctx, (file: string) => validate(ctx, file)));

  group.action(() => {
    group.help({ error: true });
  });
}

async function discover(
  ctx: CliContext,
  flags: { store: string[]; prefix?: string; keyFile?: string; out?: string },
): Promise<AnyCommandOutput> {
  const { discoverInventory, openStore } = await import('@svm/providers');
  const refs: StoreRef[] = flags.store.map((uri) => {
    const ref = parseStoreUri(uri);
    return ref.kind === 'file' && !isAbsolute(ref.path) ? { ...ref, path: absolutePath(ctx.io, ref.path) } : ref;
  });
  const stores: SecretStore[] = [];
  try {
    for (const ref of refs)
      stores.push(
        await openStore(ref, {
          env: ctx.io.env,
          file: flags.keyFile ? { keyFile: absolutePath(ctx.io, flags.keyFile) } : {},
        }),
      );
    const { inventory, warnings } = await discoverInventory(stores, { prefix: flags.prefix });
    for (const warning of warnings) ctx.warn(warning);
    if (flags.out) {
      await writeFile(absolutePath(ctx.io, flags.out), toJsonDocument(inventory), { mode: 0o644 });
      ctx.log(`wrote ${inventory.secrets.length} secrets to ${flags.out}`);
    }
    return {
      data: inventory,
      text: (d: { secrets: InventoryItem[] }) =>
        d.secrets.length === 0
          ? ctx.colors.dim('no secrets found')
          : renderTable(
              ['NAME', 'STORE', 'TYPE', 'LAST ROTATED', 'EXPIRES', 'INTERVAL'],
              d.secrets.map((s) => [
                s.name ?? '-',
                s.store ?? '-',
                s.type ?? '-',
                s.last_rotated ?? '-',
                s.expires_at ?? '-',
                String(s.interval ?? '-'),
              ]),
            ),
    };
  } finally {
    for (const store of stores) await store.close().catch(() => undefined);
  }
}

async function validate(ctx: CliContext, file: string): Promise<AnyCommandOutput> {
  const { loadInventory } = await import('@svm/rotation');
  const { text, name } = await readInput(ctx.io, file);
  const inventory = loadInventory(text, { file: name });
  return {
    data: { file: name, valid: true, secrets: inventory.items.length },
    text: (d: { file: string; secrets: number }) => `${d.file}: valid, ${d.secrets} secrets`,
  };
}

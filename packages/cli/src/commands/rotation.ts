import type { Command } from 'commander';
import type { CliContext } from '../internal/context.js';

/** `svm rotation …`: subcommands are added by the issue that builds @svm/rotation's CLI. */
export function register(group: Command, _ctx: CliContext): void {
  group.action(() => {
    group.help({ error: true });
  });
}

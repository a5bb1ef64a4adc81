import type { Command } from 'commander';
import { action } from '../internal/command.js';
import type { CliContext } from '../internal/context.js';
import { runDemo } from '../demo/run.js';

/** `svm demo`: the main job end to end on the embedded defaults. */
export function register(group: Command, ctx: CliContext): void {
  group
    .option('--examples <dir>', 'folder with the example inputs (default: the bundled examples)')
    .option('--now <date>', 'treat this date (YYYY-MM-DD) as today, for reproducible output')
    .action(action(ctx, async (opts: { examples?: string; now?: string }) => runDemo(ctx, opts)));
}

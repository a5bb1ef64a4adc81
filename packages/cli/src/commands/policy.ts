import type { Command } from 'commander';
import type { CliContext } from '../internal/context.js';
import { registerEngineCommands } from './policy/engine.js';
import { registerGenerateCommands } from './policy/generate.js';

/** `svm policy …`: the engine's queries (eval, explain, who-can, diff, fmt) and the generator/linter. */
export function register(group: Command, ctx: CliContext): void {
  registerEngineCommands(group, ctx);
  registerGenerateCommands(group, ctx);
}

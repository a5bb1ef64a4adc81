import type { Command } from 'commander';
import type { CliContext } from '../../internal/context.js';

/** Adds this part's `svm policy` subcommands. */
export function registerEngineCommands(_group: Command, _ctx: CliContext): void {}

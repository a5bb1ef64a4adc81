export { EXIT } from './internal/command.js';
export { run } from './main.js';
export type { CliIo } from './internal/io.js';
export type { CommandOutput, CliContext, GlobalFlags } from './internal/context.js';
export { VERSION } from './version.js';

import type { Command } from 'commander';
import type { CliContext } from '../internal/context.js';

/** A command group's module: it adds its subcommands to the group's Command. */
export interface CommandGroupModule {
  register(group: Command, ctx: CliContext): void;
}

/** A top-level command group. Declared here, loaded only when it runs. */
export interface CommandGroup {
  name: string;
  summary: string;
  load(): Promise<CommandGroupModule>;
}

/**
 * The one place commands are declared. Each `load` is a dynamic import, so `svm --help` and
 * `svm --version` load none of them, and a cloud SDK loads only inside the group that needs it.
 */
export const COMMAND_GROUPS: readonly CommandGroup[] = [
  {
    name: 'policy',
    summary: 'Vault ACL policies: eval, explain, who-can, diff, fmt, generate, apply, lint',
    load: () => import('./policy.js'),
  },
  {
    name: 'rotation',
    summary: 'Rotation plans from a secret inventory: plan, schedule, calendars',
    load: () => import('./rotation.js'),
  },
  { name: 'audit', summary: 'Audit logs: anomaly detection and compliance reports', load: () => import('./audit.js') },
  {
    name: 'secret',
    summary: 'Secrets in any store: put, get, list, versions, stage, delete, destroy, copy, diff',
    load: () => import('./secret.js'),
  },
  {
    name: 'inventory',
    summary: 'Secret inventories: discover from stores, validate',
    load: () => import('./inventory.js'),
  },
  {
    name: 'vault',
    summary: 'Live Vault/OpenBao servers: doctor (seal, HA, audit devices, roles, policies, TTLs, root tokens)',
    load: () => import('./vault.js'),
  },
  {
    name: 'incident',
    summary: 'Leak response: blast radius, containment checklist, timeline',
    load: () => import('./incident.js'),
  },
  {
    name: 'demo',
    summary: 'Run the main job end to end on the embedded defaults (no account needed)',
    load: () => import('../demo/run.js'),
  },
];

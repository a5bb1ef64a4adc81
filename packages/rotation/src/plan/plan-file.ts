// `svm rotation plan` as one call: the flags as a command line gives them, the inventory (and policy) file read
// through the caller's `read`, the planner, nothing printed. On `@svm/rotation/plan`'s light start-up path: a
// JSON or YAML inventory of plain items is planned without loading zod (core's schemas); the schema, the CSV
// reader and the policy file's schema are imported only when an input needs them.
import type { InventoryItem } from '@svm/core';
import { parseDocumentText } from '@svm/core/base';
import { provideTemporal } from '../internal/lazy.js';
import { documentItems, inventoryFormatOf, type LoadedInventory, withItemLines } from '../inventory/plain-inventory.js';
import { type RotationPlanDocument, planRotations } from './plan.js';
import { type PlanRequest, planForOwner, planSettings } from './settings.js';

/** Reads a file a user named (`-` may be standard input): its text, the name to show and its absolute path. */
export type ReadUserFile = (file: string) => Promise<{ text: string; name: string; path?: string | undefined }>;

/** The flags of `svm rotation plan` that choose what is planned. */
export interface PlanFlags extends PlanRequest {
  /** IANA time zone for "today" and date-times in the inventory (default UTC). */
  tz?: string | undefined;
  /** Rotation policy file: type overrides, capacity, blackouts, maintenance windows, profiles. */
  policyFile?: string | undefined;
  /** Compliance profiles for every item. */
  profile?: string[] | undefined;
  /** Only this owner's or team's part of the plan (`shown`). */
  owner?: string | undefined;
}

/**
 * `svm rotation plan` as one call: check the settings ({@link planSettings}), read and load the inventory and the
 * policy file, and plan. Returns the whole plan and the part `flags.owner` is responsible for (the whole plan
 * without `owner`).
 *
 * @example
 * ```ts
 * const read = async (file: string) => ({ text: await readFile(file, 'utf8'), name: file });
 * const { shown } = await planInventoryFile('inventory.yaml', { now: '2026-03-01', owner: 'platform' }, read);
 * shown.summary.overdue;
 * ```
 */
export async function planInventoryFile(
  file: string,
  flags: PlanFlags,
  read: ReadUserFile,
): Promise<{ plan: RotationPlanDocument; shown: RotationPlanDocument }> {
  const settings = planSettings(flags);
  const { text, name } = await read(file);
  const inventory = await loadForPlan(text, name);
  const policy = flags.policyFile
    ? (await import('../policy/rotation-policy.js')).loadRotationPolicy(
        (await read(flags.policyFile)).text,
        flags.policyFile,
      )
    : undefined;
  if (needsTemporal(inventory.items, flags.tz ?? policy?.defaults?.timezone ?? 'UTC'))
    provideTemporal((await import('temporal-polyfill')).Temporal);
  const plan = planRotations(inventory.items, {
    ...settings,
    timeZone: flags.tz,
    policy,
    profiles: flags.profile,
    source: inventory,
  });
  return { plan, shown: flags.owner === undefined ? plan : planForOwner(plan, flags.owner) };
}

/** Whether planning needs the Temporal polyfill: a zone other than UTC, or a date-time (not `YYYY-MM-DD`). */
function needsTemporal(items: readonly InventoryItem[], timeZone: string): boolean {
  if (timeZone !== 'UTC') return true;
  const dateTime = (v: string | null | undefined) => typeof v === 'string' && v.length !== 10 && v !== '';
  return items.some(
    (x) => dateTime(x.last_rotated) || dateTime(x.issued_at) || dateTime(x.created) || dateTime(x.expires_at),
  );
}

/** What `loadInventory` returns for this text, through the schema only when some item is not plain. */
async function loadForPlan(text: string, file: string): Promise<LoadedInventory> {
  const format = inventoryFormatOf(file, text);
  if (format === 'csv') return (await import('../inventory/load-inventory.js')).loadInventory(text, { file, format });
  const data = parseDocumentText(text, { file, format });
  const items = documentItems(data, () => undefined);
  if (items) return withItemLines(file, format, items, text);
  return (await import('../inventory/load-inventory.js')).inventoryOfDocument(data, text, file, format);
}

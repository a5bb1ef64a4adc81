// `pnpm fuzz`: inventories (YAML, JSON, CSV), mutated from the example inventory, load or fail with a coded
// SvmError; what loads also plans without an untyped error.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { describe, it } from 'vitest';
import { fuzzRuns, mutated, typedOrOk } from '../../../scripts/fuzz-kit.ts';
import { loadInventory, planRotations } from '../src/index.ts';

const DATA = fileURLToPath(new URL('../../../examples/quickstart/data/', import.meta.url));
const YAML = readFileSync(`${DATA}inventory.yaml`, 'utf8');
const JSON_SEED = readFileSync(`${DATA}inventory-original.json`, 'utf8');
const CSV =
  'name,type,store,last_rotated,owner,interval\nprod-db,database,vault,2026-01-15,payments,30d\napi-key,api-key,aws,,platform,90\n';

describe('fuzz: inventories', () => {
  it.each([
    ['yaml', fuzzRuns(0.3), 'inventory.yaml', YAML],
    ['json', fuzzRuns(0.5), 'inventory.json', JSON_SEED],
    ['csv', fuzzRuns(0.5), 'inventory.csv', CSV],
  ] as const)('%s: loads and plans, or a coded error (%i inputs)', (_format, runs, file, seed) => {
    fc.assert(
      fc.property(mutated([seed]), (text) =>
        typedOrOk(() => {
          const inventory = loadInventory(text, { file });
          planRotations(inventory.items, { now: '2026-03-01', source: inventory });
        }),
      ),
      { numRuns: runs },
    );
  });
});

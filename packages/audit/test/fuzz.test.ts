// `pnpm fuzz`: audit lines of every source, mutated from the fixtures, are parsed (malformed lines are reported,
// never thrown) and analysed by every detector without an untyped error.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fuzzRuns, mutated, typedOrOk } from '../../../scripts/fuzz-kit.ts';
import { AuditAnalyzer } from '../src/index.ts';
import { parseChunk } from '../src/internal/parse-chunk.ts';

const FX = fileURLToPath(new URL('./fixtures/', import.meta.url));
const lines = (file: string, n: number) =>
  readFileSync(`${FX}${file}`, 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .slice(0, n);
const VAULT = lines('vault-audit.ndjson', 40);
const SEEDS = [
  ...VAULT,
  ...lines('cloudtrail-eventbridge.ndjson', 5),
  ...lines('cloudtrail-lake.ndjson', 5),
  ...lines('gcp-secretmanager.ndjson', 5),
  ...lines('original-simple.ndjson', 5),
  JSON.stringify(
    (JSON.parse(readFileSync(`${FX}azure-keyvault-PT1H.json`, 'utf8')) as { records: unknown[] }).records[0],
  ),
];

describe('fuzz: audit lines', () => {
  it('the seeds parse as events', () => {
    const r = parseChunk(Buffer.from(`${SEEDS.join('\n')}\n`), 'seeds', 'auto');
    expect(r.events.length).toBeGreaterThan(10);
  });

  it(`mutated lines of every source: parsed and analysed, never an untyped error (${fuzzRuns(2)} inputs)`, () => {
    fc.assert(
      fc.property(
        fc.array(mutated(SEEDS), { minLength: 1, maxLength: 4 }),
        fc.constantFrom('auto', 'vault', 'cloudtrail', 'gcp', 'azure', 'simple' as const),
        (batch, source) =>
          typedOrOk(() => {
            const parsed = parseChunk(
              Buffer.from(`${[...VAULT.slice(0, 3), ...batch].join('\n')}\n`),
              'fuzz.log',
              source as 'auto',
            );
            const analyzer = new AuditAnalyzer();
            analyzer.addMalformed(parsed.malformed);
            analyzer.push(parsed.events);
            analyzer.finish();
          }),
      ),
      { numRuns: fuzzRuns(2) },
    );
  });
});

import { createRequire } from 'node:module';
import type * as CsvParse from 'csv-parse/sync';
import type * as CsvStringify from 'csv-stringify/sync';
import type * as IcalGenerator from 'ical-generator';
import type * as TemporalPolyfill from 'temporal-polyfill';

// Libraries only some paths need, loaded on first use (like ../internal/yaml.ts): `svm rotation plan` on a
// JSON inventory in UTC never pays for loading any of them. Loaded with `require` because their callers are
// synchronous; csv-parse, csv-stringify and ical-generator ship CommonJS builds (Temporal: see provideTemporal).
let require_: NodeJS.Require | undefined;
const load = <T>(id: string): T => {
  require_ ??= createRequire(import.meta.url);
  return require_(id) as T;
};

type Temporal = (typeof TemporalPolyfill)['Temporal'];

let csvParse: typeof CsvParse | undefined;
let csvStringify: typeof CsvStringify | undefined;
let ical: typeof IcalGenerator | undefined;
let temporal: Temporal | undefined;

/** csv-parse's synchronous API. */
export const csvParseLib = (): typeof CsvParse => (csvParse ??= load<typeof CsvParse>('csv-parse/sync'));
/** csv-stringify's synchronous API. */
export const csvStringifyLib = (): typeof CsvStringify =>
  (csvStringify ??= load<typeof CsvStringify>('csv-stringify/sync'));
/** ical-generator. */
export const icalLib = (): typeof IcalGenerator => (ical ??= load<typeof IcalGenerator>('ical-generator'));

/**
 * Hand over the Temporal polyfill, imported by whoever could: the package's main entry imports it statically,
 * `planInventoryFile` with `import()` before planning an input that needs it (a time zone other than UTC, or
 * date-times). The polyfill is ESM-only, which `require` loads only from Node 20.19 on.
 */
export function provideTemporal(lib: Temporal): void {
  temporal ??= lib;
}

/** The Temporal polyfill: as provided, else required (Node 20.19 and later load ESM with `require`). */
export const temporalLib = (): Temporal => (temporal ??= load<typeof TemporalPolyfill>('temporal-polyfill').Temporal);

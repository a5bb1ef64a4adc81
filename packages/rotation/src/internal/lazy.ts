import { createRequire } from 'node:module';
import type * as CsvParse from 'csv-parse/sync';
import type * as CsvStringify from 'csv-stringify/sync';
import type * as IcalGenerator from 'ical-generator';
import type * as TemporalPolyfill from 'temporal-polyfill';

// Libraries only some paths need, loaded on first use (like ../internal/yaml.ts): `svm rotation plan` on a
// JSON inventory in UTC never pays for loading any of them. Loaded with `require` because their callers are
// synchronous; each ships a CommonJS build.
let require_: NodeJS.Require | undefined;
const load = <T>(id: string): T => {
  require_ ??= createRequire(import.meta.url);
  return require_(id) as T;
};

let csvParse: typeof CsvParse | undefined;
let csvStringify: typeof CsvStringify | undefined;
let ical: typeof IcalGenerator | undefined;
let temporal: typeof TemporalPolyfill | undefined;

/** csv-parse's synchronous API. */
export const csvParseLib = (): typeof CsvParse => (csvParse ??= load<typeof CsvParse>('csv-parse/sync'));
/** csv-stringify's synchronous API. */
export const csvStringifyLib = (): typeof CsvStringify =>
  (csvStringify ??= load<typeof CsvStringify>('csv-stringify/sync'));
/** ical-generator. */
export const icalLib = (): typeof IcalGenerator => (ical ??= load<typeof IcalGenerator>('ical-generator'));
/** The Temporal polyfill. */
export const temporalLib = (): (typeof TemporalPolyfill)['Temporal'] =>
  (temporal ??= load<typeof TemporalPolyfill>('temporal-polyfill')).Temporal;

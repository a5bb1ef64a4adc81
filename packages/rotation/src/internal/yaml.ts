import { createRequire } from 'node:module';
import type * as YamlLib from 'yaml';

let lib: typeof YamlLib | undefined;

/**
 * The yaml library, loaded on first use: planning a JSON or CSV inventory never pays for loading it (with
 * @svm/core's own lazy load, about a quarter of `svm rotation plan`'s start-up). Loaded with `require`
 * because its callers are synchronous; yaml ships a CommonJS build.
 */
export function yaml(): typeof YamlLib {
  lib ??= createRequire(import.meta.url)('yaml') as typeof YamlLib;
  return lib;
}

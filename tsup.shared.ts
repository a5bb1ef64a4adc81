import { defineConfig, type Options } from 'tsup';

/**
 * The one build config every published @svm package uses: ESM + CJS, declarations for both,
 * sourcemaps, a clean dist. A package passes only what differs (extra entry points).
 */
export function svmTsup(overrides: Partial<Options> = {}) {
  return defineConfig({
    entry: ['src/index.ts'],
    format: ['esm', 'cjs'],
    dts: true,
    sourcemap: true,
    clean: true,
    target: 'node20',
    platform: 'node',
    splitting: true,
    treeshake: true,
    ...overrides,
  });
}

import { readdirSync, existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const packages = readdirSync(new URL('./packages', import.meta.url)).filter((d) =>
  existsSync(new URL(`./packages/${d}/package.json`, import.meta.url)),
);

export default defineConfig({
  resolve: { conditions: ['@svm/source', 'node', 'default'] },
  ssr: { resolve: { conditions: ['@svm/source', 'node', 'default'] } },
  test: {
    // Tests that drive real servers or spawn the CLI need room on a 2-core machine.
    testTimeout: 60_000,
    // fast-check properties run with a fixed seed (SVM_FC_SEED=<n>|random to change it; see README "Tests").
    setupFiles: [fileURLToPath(new URL('./scripts/vitest-fast-check-seed.ts', import.meta.url))],
    hookTimeout: 120_000,
    projects: [
      ...packages.map((name) => ({
        extends: true as const,
        test: {
          name,
          root: `packages/${name}`,
          include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
        },
      })),
      {
        extends: true as const,
        test: { name: 'examples', root: 'examples', include: ['**/*.test.ts'], exclude: ['**/node_modules/**'] },
      },
    ],
  },
});

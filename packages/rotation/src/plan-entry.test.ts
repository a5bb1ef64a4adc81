import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import * as full from './index.js';
import * as light from './plan-entry.js';

const SRC = dirname(fileURLToPath(import.meta.url));

/** The modules `file` imports for their values at load time (type-only imports and `import()` left out). */
function valueImports(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const out: string[] = [];
  const statement = /^(import|export)\s+(type\s+)?([^;]*?)\s+from\s+'([^']+)';/gms;
  for (const m of text.matchAll(statement)) {
    if (m[2]) continue; // import type / export type
    const names = /\{([^}]*)\}/.exec(m[3] as string);
    // `{ type A, type B }` alone is type-only too.
    if (names && (names[1] as string).split(',').every((n) => n.trim() === '' || n.trim().startsWith('type ')))
      continue;
    out.push(m[4] as string);
  }
  for (const m of text.matchAll(/^import\s+'([^']+)';/gm)) out.push(m[1] as string);
  return out;
}

describe('@svm/rotation/plan (the light planning entry)', () => {
  it('loads neither zod, nor core schemas, nor the executor, nor the output libraries at start-up', () => {
    const seen = new Set<string>();
    const external = new Set<string>();
    const visit = (file: string) => {
      if (seen.has(file)) return;
      seen.add(file);
      for (const spec of valueImports(file)) {
        if (spec.startsWith('.')) visit(resolve(dirname(file), spec.replace(/\.js$/, '.ts')));
        else external.add(spec);
      }
    };
    visit(resolve(SRC, 'plan-entry.ts'));
    expect([...external].sort()).toEqual(['@svm/core/base', 'node:module']);
    expect([...seen].some((f) => f.includes('/executor/'))).toBe(false);
    // Sanity: the walk sees what it should (the planner, and the full loader only behind `import()`).
    expect(seen.has(resolve(SRC, 'plan/plan.ts'))).toBe(true);
    expect(seen.has(resolve(SRC, 'inventory/load-inventory.ts'))).toBe(false);
  });

  it('exports the same functions as the main entry', () => {
    for (const [name, value] of Object.entries(light)) expect(value, name).toBe(full[name as keyof typeof full]);
  });
});

describe('planInventoryFile on the light entry', () => {
  it('imports the Temporal polyfill itself for zones and date-times (no require of ESM needed)', () => {
    // A process that loads only `@svm/rotation/plan`, with require(esm) switched off (where the flag exists):
    // the polyfill must come from planInventoryFile's import(), as on Node 20 before 20.19.
    const script = `
      import { planInventoryFile } from '@svm/rotation/plan';
      const text = JSON.stringify([
        { name: 'db', type: 'database', last_rotated: '2026-02-28T23:30:00-08:00' },
        { name: 'cert', type: 'tls-certificate', expires_at: '2026-05-01T00:30:00+14:00' },
      ]);
      const { plan } = await planInventoryFile('inv.json', { now: '2026-03-01', tz: 'Europe/Berlin' },
        async (file) => ({ text, name: file }));
      process.stdout.write(JSON.stringify(plan.items.map((i) => [i.id, i.lastRotated, i.due])));
    `;
    const out = execFileSync(
      process.execPath,
      // The built package (CI builds before testing): tsx's loader would `require` ESM whatever the flag says.
      ['--no-experimental-require-module', '--input-type=module', '-e', script],
      { cwd: fileURLToPath(new URL('..', import.meta.url)), encoding: 'utf8' },
    );
    expect(JSON.parse(out)).toEqual([
      ['cert', null, '2026-03-01'],
      ['db', '2026-03-01', '2026-03-31'],
    ]);
  });
});

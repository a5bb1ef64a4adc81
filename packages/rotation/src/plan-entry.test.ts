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

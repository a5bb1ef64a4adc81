// Shared by the `test/fuzz.test.ts` files (`pnpm fuzz`): how many inputs, how to mutate a valid seed, and the one
// property every parser keeps — it returns, or throws an SvmError with a code; never a TypeError, RangeError or
// any other untyped error.
import fc from 'fast-check';

// The SvmError brand (as @svm/core's isSvmError reads it), so this file needs no package of its own.
const isSvmError = (e: unknown): e is { code: unknown } =>
  typeof e === 'object' && e !== null && (e as Record<symbol, unknown>)[Symbol.for('@svm/core.SvmError')] === true;

/** The unit of inputs per fuzz property: `SVM_FUZZ_RUNS` (`pnpm fuzz` sets 10,000), 300 by default (CI). */
export const FUZZ_RUNS = Number(process.env.SVM_FUZZ_RUNS ?? 300);

/**
 * Inputs for one property: the unit times its weight. The weights share about 105,000 inputs among the targets
 * under `pnpm fuzz` (fast parsers get more, the YAML inventory loader and planner, ~15 ms an input, fewer).
 */
export function fuzzRuns(weight: number): number {
  return Math.max(1, Math.round(FUZZ_RUNS * weight));
}

type Edit = { at: number; kind: 'insert' | 'delete' | 'replace' | 'dup' | 'flip'; text: string; len: number };

const edit: fc.Arbitrary<Edit> = fc.record({
  at: fc.nat(),
  kind: fc.constantFrom('insert', 'delete', 'replace', 'dup', 'flip'),
  text: fc.oneof(
    fc.string({ maxLength: 8 }),
    fc.string({ unit: 'binary', maxLength: 4 }),
    fc.constantFrom(
      '"',
      "'",
      '{',
      '}',
      '[',
      ']',
      ':',
      '\n',
      ',',
      '\\',
      '#',
      '- ',
      '<<EOF\n',
      '${',
      '*',
      '+',
      '\u0000',
      '\uFFFD',
      '-1',
      '1e999',
      'null',
      'NaN',
      '\r\n',
      '\t',
    ),
  ),
  len: fc.nat({ max: 16 }),
});

function apply(text: string, e: Edit): string {
  const at = text.length === 0 ? 0 : e.at % (text.length + 1);
  switch (e.kind) {
    case 'insert':
      return text.slice(0, at) + e.text + text.slice(at);
    case 'delete':
      return text.slice(0, at) + text.slice(at + e.len);
    case 'replace':
      return text.slice(0, at) + e.text + text.slice(at + Math.max(1, e.text.length));
    case 'dup':
      return text.slice(0, at + e.len) + text.slice(at, at + e.len) + text.slice(at + e.len);
    case 'flip': {
      const c = text.charCodeAt(at);
      return Number.isNaN(c)
        ? text
        : text.slice(0, at) + String.fromCharCode(c ^ (1 << (e.len % 8))) + text.slice(at + 1);
    }
  }
}

/** Valid seeds, each mutated by 1–8 random edits; plus wholly arbitrary text now and then. */
export function mutated(seeds: readonly string[]): fc.Arbitrary<string> {
  return fc.oneof(
    {
      weight: 8,
      arbitrary: fc
        .tuple(fc.constantFrom(...seeds), fc.array(edit, { minLength: 1, maxLength: 8 }))
        .map(([s, edits]) => edits.reduce(apply, s)),
    },
    { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 300 }) },
  );
}

/** Run `fn`; an error must be an SvmError with a code (else it is re-thrown, failing the property). */
export function typedOrOk(fn: () => unknown): void {
  try {
    fn();
  } catch (e) {
    if (!isSvmError(e) || typeof e.code !== 'string') throw e;
  }
}

/** {@link typedOrOk} for async functions. */
export async function typedOrOkAsync(fn: () => Promise<unknown>): Promise<void> {
  try {
    await fn();
  } catch (e) {
    if (!isSvmError(e) || typeof e.code !== 'string') throw e;
  }
}

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { RadixTree } from './radix-tree.js';
import { SegmentTrie } from './segment-trie.js';

const keyArb = fc.string({ unit: fc.constantFrom('a', 'b', '/', 'ab', ''), maxLength: 6 });

describe('RadixTree', () => {
  it('get, longestPrefix and allPrefixes agree with a plain Map', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(keyArb, fc.integer()), { maxLength: 30 }),
        fc.array(keyArb, { maxLength: 10 }),
        (entries, probes) => {
          const tree = new RadixTree<number>();
          const map = new Map<string, number>();
          for (const [k, v] of entries) {
            tree.set(k, v);
            map.set(k, v);
          }
          expect(tree.size).toBe(map.size);
          for (const p of [...probes, ...map.keys()]) {
            expect(tree.get(p)).toBe(map.get(p));
            const prefixes = [...map.keys()].filter((k) => p.startsWith(k)).sort((a, b) => a.length - b.length);
            expect(tree.allPrefixes(p).map((l) => l.key)).toEqual(prefixes);
            expect(tree.longestPrefix(p)?.key).toBe(prefixes[prefixes.length - 1]);
          }
        },
      ),
      { numRuns: 1000 },
    );
  });
});

describe('SegmentTrie', () => {
  const segArb = fc.array(fc.constantFrom('a', 'b', 'ab', '', '+'), { minLength: 1, maxLength: 4 });
  const patternArb = fc
    .tuple(segArb, fc.boolean())
    .map(([s, star]) => s.join('/') + (star ? '*' : ''))
    .filter((p) => !p.includes('+*'));
  const naiveMatch = (pattern: string, path: string): boolean => {
    const isPrefix = pattern.endsWith('*');
    const acl = (isPrefix ? pattern.slice(0, -1) : pattern).split('/');
    const parts = path.split('/');
    if (parts.length < acl.length || (!isPrefix && parts.length !== acl.length)) return false;
    return acl.every(
      (a, i) => a === '+' || a === parts[i] || (isPrefix && i === acl.length - 1 && (parts[i] as string).startsWith(a)),
    );
  };

  it('match and best visit exactly the patterns a linear scan matches', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(patternArb, { maxLength: 15 }),
        fc.array(
          segArb.map((s) => s.join('/').replace(/\+/g, 'x')),
          { minLength: 1, maxLength: 8 },
        ),
        fc.boolean(),
        (patterns, paths, pruned) => {
          const trie = new SegmentTrie<{ pattern: string; rank: number }>();
          patterns.forEach((pattern, rank) => {
            trie.add(pattern, { pattern, rank });
          });
          // With subtree ranks recorded, best() prunes subtrees that cannot win: the answer must not change.
          if (pruned) trie.rank((v) => v.rank);
          for (const path of paths) {
            const seen: string[] = [];
            trie.match(path.split('/'), (v) => seen.push(v.pattern));
            const expected = patterns.filter((p) => naiveMatch(p, path));
            expect(seen.sort()).toEqual([...expected].sort());
            const best = trie.best(path, undefined, (v) => v.rank);
            expect(best?.pattern).toBe(
              expected.length ? patterns[Math.max(...expected.map((p) => patterns.indexOf(p)))] : undefined,
            );
          }
        },
      ),
      { numRuns: 1000 },
    );
  });
});

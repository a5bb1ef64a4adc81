// An index over Vault's segment-wildcard (`+`) patterns, so a lookup visits only the patterns whose
// segments can match instead of scanning them all (Vault scans its map; the result is the same).
//
// Matching rules (vault/acl.go CheckAllowedFromNonExactPaths):
// - the pattern, without a trailing `*`, is split on `/`;
// - without `*`: same number of segments, each `+` or equal;
// - with `*`: at least as many path segments; all but the last pattern segment `+` or equal; the last
//   pattern segment is a prefix of the path segment at that position; later path segments are free.

interface TrieNode<TValue> {
  literal: Map<string, TrieNode<TValue>> | null;
  /**
   * When `literal` has at most {@link FEW} keys: the keys and their children, compared in place (no substring
   * per lookup, no hashing); a larger node uses the map.
   */
  fewKeys: string[] | null;
  fewChildren: TrieNode<TValue>[] | null;
  plus: TrieNode<TValue> | null;
  /** Patterns without `*` ending at this depth. */
  ends: TValue[] | null;
  /** Patterns with `*` whose last segment (a prefix of the path segment at this depth) is `last`. */
  prefixEnds: { last: string; value: TValue }[] | null;
  /** The highest rank of any value in this subtree (set by {@link SegmentTrie.rank}; Infinity until then). */
  maxRank: number;
}

/** Literal children compared in place up to this many; a map beyond (measured: 8 beats hashing a substring). */
const FEW = 8;

const newNode = <TValue>(): TrieNode<TValue> => ({
  literal: null,
  fewKeys: null,
  fewChildren: null,
  plus: null,
  ends: null,
  prefixEnds: null,
  maxRank: Number.POSITIVE_INFINITY,
});

/** Segment-wildcard patterns indexed by segment. */
export class SegmentTrie<TValue> {
  private readonly root: TrieNode<TValue> = newNode();
  size = 0;

  /** Add a pattern as written (`a/+/b`, `a/+/b*`). */
  add(pattern: string, value: TValue): void {
    const isPrefix = pattern.endsWith('*');
    const parts = (isPrefix ? pattern.slice(0, -1) : pattern).split('/');
    const walk = isPrefix ? parts.length - 1 : parts.length;
    let node = this.root;
    for (let i = 0; i < walk; i++) {
      const part = parts[i] as string;
      if (part === '+') node = node.plus ??= newNode();
      else {
        node.literal ??= new Map();
        let next = node.literal.get(part);
        if (!next) {
          next = newNode();
          node.literal.set(part, next);
          const few = node.literal.size <= FEW;
          node.fewKeys = few ? [...node.literal.keys()] : null;
          node.fewChildren = few ? [...node.literal.values()] : null;
        }
        node = next;
      }
    }
    if (isPrefix) (node.prefixEnds ??= []).push({ last: parts[parts.length - 1] as string, value });
    else (node.ends ??= []).push(value);
    this.size++;
  }

  /**
   * Record each subtree's highest rank, so {@link best} skips subtrees that cannot beat the best value found
   * so far. Call again after adding values or changing ranks.
   */
  rank(rankOf: (value: TValue) => number): void {
    const visit = (node: TrieNode<TValue>): number => {
      let max = -1;
      if (node.ends) for (const v of node.ends) max = Math.max(max, rankOf(v));
      if (node.prefixEnds) for (const e of node.prefixEnds) max = Math.max(max, rankOf(e.value));
      if (node.literal) for (const child of node.literal.values()) max = Math.max(max, visit(child));
      if (node.plus) max = Math.max(max, visit(node.plus));
      node.maxRank = max;
      return max;
    };
    visit(this.root);
  }

  /**
   * The highest-ranked value matching `path`, or `seed` when none ranks higher (the evaluation hot path:
   * walks the string by segment offsets, allocating only the segment strings it looks up).
   */
  best(path: string, seed: TValue | undefined, rank: (value: TValue) => number): TValue | undefined {
    this.bestValue = seed;
    this.bestRank = seed === undefined ? -1 : rank(seed);
    this.rankOf = rank;
    this.walk(this.root, path, 0);
    const out = this.bestValue;
    this.bestValue = undefined;
    return out;
  }

  private bestValue: TValue | undefined;
  private bestRank = -1;
  private rankOf: (value: TValue) => number = () => -1;

  private consider(value: TValue): void {
    const r = this.rankOf(value);
    if (r > this.bestRank) {
      this.bestRank = r;
      this.bestValue = value;
    }
  }

  /** `start` is where the current segment begins; `path.length + 1` means every segment is consumed. */
  private walk(node: TrieNode<TValue>, path: string, start: number): void {
    if (node.maxRank <= this.bestRank) return;
    if (start > path.length) {
      if (node.ends) for (const v of node.ends) this.consider(v);
      return;
    }
    let end = path.indexOf('/', start);
    if (end < 0) end = path.length;
    if (node.prefixEnds) {
      for (const e of node.prefixEnds)
        if (e.last.length <= end - start && path.startsWith(e.last, start)) this.consider(e.value);
    }
    const keys = node.fewKeys;
    if (keys !== null) {
      const len = end - start;
      for (let k = 0; k < keys.length; k++) {
        const key = keys[k] as string;
        if (key.length === len && path.startsWith(key, start)) {
          this.walk((node.fewChildren as TrieNode<TValue>[])[k] as TrieNode<TValue>, path, end + 1);
          break;
        }
      }
    } else if (node.literal) {
      const lit = node.literal.get(path.slice(start, end));
      if (lit) this.walk(lit, path, end + 1);
    }
    if (node.plus) this.walk(node.plus, path, end + 1);
  }

  /** Call `visit` for every pattern matching the path split into `parts`. */
  match(parts: readonly string[], visit: (value: TValue) => void): void {
    this.visit(this.root, parts, 0, visit);
  }

  private visit(node: TrieNode<TValue>, parts: readonly string[], depth: number, visit: (value: TValue) => void): void {
    if (depth === parts.length) {
      if (node.ends) for (const v of node.ends) visit(v);
      return;
    }
    const part = parts[depth] as string;
    if (node.prefixEnds) for (const e of node.prefixEnds) if (part.startsWith(e.last)) visit(e.value);
    const lit = node.literal?.get(part);
    if (lit) this.visit(lit, parts, depth + 1, visit);
    if (node.plus) this.visit(node.plus, parts, depth + 1, visit);
  }
}

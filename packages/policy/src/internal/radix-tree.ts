// A compressed (radix) tree over strings, like go-radix which Vault uses for exact and prefix rules:
// `get` and `longestPrefix` walk one edge per branching point and never allocate.

interface Leaf<TValue> {
  key: string;
  value: TValue;
}

interface RadixNode<TValue> {
  prefix: string;
  leaf: Leaf<TValue> | null;
  children: Map<number, RadixNode<TValue>> | null;
}

function commonPrefixLength(a: string, b: string): number {
  const max = Math.min(a.length, b.length);
  let i = 0;
  while (i < max && a.charCodeAt(i) === b.charCodeAt(i)) i++;
  return i;
}

/** A radix tree mapping string keys to values. */
export class RadixTree<TValue> {
  private readonly root: RadixNode<TValue> = { prefix: '', leaf: null, children: null };
  private count = 0;

  get size(): number {
    return this.count;
  }

  /** Insert or replace the value for `key`. */
  set(key: string, value: TValue): void {
    let node = this.root;
    let search = key;
    for (;;) {
      if (search.length === 0) {
        if (!node.leaf) this.count++;
        node.leaf = { key, value };
        return;
      }
      const c = search.charCodeAt(0);
      node.children ??= new Map();
      const child = node.children.get(c);
      if (!child) {
        node.children.set(c, { prefix: search, leaf: { key, value }, children: null });
        this.count++;
        return;
      }
      const common = commonPrefixLength(search, child.prefix);
      if (common === child.prefix.length) {
        search = search.slice(common);
        node = child;
        continue;
      }
      const split: RadixNode<TValue> = { prefix: search.slice(0, common), leaf: null, children: new Map() };
      node.children.set(c, split);
      child.prefix = child.prefix.slice(common);
      (split.children as Map<number, RadixNode<TValue>>).set(child.prefix.charCodeAt(0), child);
      search = search.slice(common);
      this.count++;
      if (search.length === 0) {
        split.leaf = { key, value };
        return;
      }
      (split.children as Map<number, RadixNode<TValue>>).set(search.charCodeAt(0), {
        prefix: search,
        leaf: { key, value },
        children: null,
      });
      return;
    }
  }

  /** The value stored for exactly `key`. */
  get(key: string): TValue | undefined {
    let node = this.root;
    let i = 0;
    for (;;) {
      if (i === key.length) return node.leaf?.value;
      const child = node.children?.get(key.charCodeAt(i));
      if (!child || !key.startsWith(child.prefix, i)) return undefined;
      i += child.prefix.length;
      node = child;
    }
  }

  /** The entry with the longest key that is a prefix of `text` (the empty key matches everything). */
  longestPrefix(text: string): Leaf<TValue> | undefined {
    let node = this.root;
    let best = node.leaf;
    let i = 0;
    while (i < text.length) {
      const child = node.children?.get(text.charCodeAt(i));
      if (!child || !text.startsWith(child.prefix, i)) break;
      i += child.prefix.length;
      node = child;
      if (node.leaf) best = node.leaf;
    }
    return best ?? undefined;
  }

  /** Every entry whose key is a prefix of `text`, shortest first (for explanations). */
  allPrefixes(text: string): Leaf<TValue>[] {
    const out: Leaf<TValue>[] = [];
    let node = this.root;
    if (node.leaf) out.push(node.leaf);
    let i = 0;
    while (i < text.length) {
      const child = node.children?.get(text.charCodeAt(i));
      if (!child || !text.startsWith(child.prefix, i)) break;
      i += child.prefix.length;
      node = child;
      if (node.leaf) out.push(node.leaf);
    }
    return out;
  }

  /** All entries (any order). */
  entries(): Leaf<TValue>[] {
    const out: Leaf<TValue>[] = [];
    const stack: RadixNode<TValue>[] = [this.root];
    while (stack.length) {
      const n = stack.pop() as RadixNode<TValue>;
      if (n.leaf) out.push(n.leaf);
      if (n.children) for (const c of n.children.values()) stack.push(c);
    }
    return out;
  }
}

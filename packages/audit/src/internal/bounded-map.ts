interface Slot<V> {
  value: V;
  /** Second-chance bit: set on access, cleared when eviction passes over it. */
  ref: boolean;
}

/**
 * A Map with a size cap. Eviction is CLOCK (second chance), an approximation of least-recently-used that
 * costs nothing on reads: an entry read since eviction last passed it is moved to the back instead of being
 * dropped. `onEvict` lets a detector close the state it drops (so a finding is emitted, not lost). All analyzer
 * state lives in these, which is what bounds memory.
 */
export class BoundedMap<K, V> {
  private readonly map = new Map<K, Slot<V>>();
  constructor(
    readonly max: number,
    private readonly onEvict?: (key: K, value: V) => void,
  ) {}

  get size(): number {
    return this.map.size;
  }

  /** Get and mark as recently used. */
  get(key: K): V | undefined {
    const s = this.map.get(key);
    if (s === undefined) return undefined;
    s.ref = true;
    return s.value;
  }

  /** Get without marking. */
  peek(key: K): V | undefined {
    return this.map.get(key)?.value;
  }

  has(key: K): boolean {
    return this.map.has(key);
  }

  set(key: K, value: V): void {
    const s = this.map.get(key);
    if (s !== undefined) {
      s.value = value;
      s.ref = true;
      return;
    }
    this.map.set(key, { value, ref: false });
    if (this.map.size > this.max) this.evictOne();
  }

  private evictOne(): void {
    // Bounded: each pass clears at most `size` bits, so the second pass always finds a victim.
    for (let guard = 0; guard <= this.map.size; guard++) {
      const first = this.map.entries().next();
      if (first.done) return;
      const [k, s] = first.value;
      this.map.delete(k);
      if (s.ref) {
        s.ref = false;
        this.map.set(k, s);
        continue;
      }
      this.onEvict?.(k, s.value);
      return;
    }
  }

  delete(key: K): boolean {
    return this.map.delete(key);
  }

  /** Entries, oldest first. */
  *entries(): IterableIterator<[K, V]> {
    for (const [k, s] of this.map) yield [k, s.value];
  }

  *values(): IterableIterator<V> {
    for (const s of this.map.values()) yield s.value;
  }

  clear(): void {
    this.map.clear();
  }
}

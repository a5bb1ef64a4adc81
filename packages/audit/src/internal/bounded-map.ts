/**
 * A Map with a size cap that evicts the least recently used entry. `onEvict` lets a detector close the state
 * it drops (so a finding is emitted, not lost). All analyzer state lives in these, which is what bounds memory.
 */
export class BoundedMap<K, V> {
  private readonly map = new Map<K, V>();
  constructor(
    readonly max: number,
    private readonly onEvict?: (key: K, value: V) => void,
  ) {}

  get size(): number {
    return this.map.size;
  }

  /** Get and mark as recently used. */
  get(key: K): V | undefined {
    const v = this.map.get(key);
    if (v !== undefined) {
      this.map.delete(key);
      this.map.set(key, v);
    }
    return v;
  }

  /** Get without touching the recency order. */
  peek(key: K): V | undefined {
    return this.map.get(key);
  }

  has(key: K): boolean {
    return this.map.has(key);
  }

  set(key: K, value: V): void {
    if (this.map.has(key)) this.map.delete(key);
    this.map.set(key, value);
    if (this.map.size > this.max) {
      const oldest = this.map.keys().next();
      if (!oldest.done) {
        const k = oldest.value;
        const v = this.map.get(k) as V;
        this.map.delete(k);
        this.onEvict?.(k, v);
      }
    }
  }

  delete(key: K): boolean {
    return this.map.delete(key);
  }

  entries(): IterableIterator<[K, V]> {
    return this.map.entries();
  }

  values(): IterableIterator<V> {
    return this.map.values();
  }

  clear(): void {
    this.map.clear();
  }
}

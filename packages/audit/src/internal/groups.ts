import { BoundedMap } from './bounded-map.js';

/** An open group of related events (one incident). */
export interface Group<TExtra> {
  startMs: number;
  lastMs: number;
  /** The source's own time string of the latest event (full precision), when given. */
  lastTime: string | undefined;
  count: number;
  extra: TExtra;
}

/**
 * Groups events by key while they keep arriving within `gapMs` of the group's last event; a group closes when
 * a later event for its key falls outside the gap, when it is evicted (LRU, `max` keys), or on `flush`.
 * Closing calls `onClose`, which decides whether the group is a finding.
 */
export class GapGroups<TExtra> {
  private readonly groups: BoundedMap<string, Group<TExtra>>;
  constructor(
    private readonly gapMs: number,
    max: number,
    private readonly onClose: (key: string, g: Group<TExtra>) => void,
  ) {
    this.groups = new BoundedMap(max, (k, g) => this.onClose(k, g));
  }

  get size(): number {
    return this.groups.size;
  }

  /** Add one event; `init` builds the extra state of a new group, `update` folds the event in. */
  add(key: string, ms: number, init: () => TExtra, update?: (extra: TExtra) => void, time?: string): Group<TExtra> {
    let g = this.groups.get(key);
    if (g && ms - g.lastMs > this.gapMs) {
      this.groups.delete(key);
      this.onClose(key, g);
      g = undefined;
    }
    if (!g) {
      g = { startMs: ms, lastMs: ms, lastTime: time, count: 0, extra: init() };
      this.groups.set(key, g);
    }
    g.count++;
    if (ms > g.lastMs) {
      g.lastMs = ms;
      g.lastTime = time;
    }
    update?.(g.extra);
    return g;
  }

  /** Close every open group. */
  flush(): void {
    for (const [k, g] of [...this.groups.entries()]) this.onClose(k, g);
    this.groups.clear();
  }
}

/** Insert into a small capped set (keeps the first `max` values). */
export function addCapped(set: Set<string>, value: string | null | undefined, max: number): void {
  if (value && set.size < max) set.add(value);
}

import { Heap } from '../internal/heap.js';

/** A topological order, or the first cycle found (as indices, first repeated at the end). */
export type TopologicalResult = { order: number[]; cycle?: undefined } | { order?: undefined; cycle: number[] };

/**
 * Order `n` nodes so every node comes after the nodes in its `after` list (Kahn's algorithm). Among nodes
 * that are ready at the same time, `less` picks first (default: lower index). Returns the cycle when
 * there is one, e.g. `[2, 5, 2]` for 2 → 5 → 2.
 *
 * @example
 * ```ts
 * topologicalOrder(3, [[1], [], [0]]).order; // [1, 0, 2]
 * ```
 */
export function topologicalOrder(
  n: number,
  after: ReadonlyArray<readonly number[]>,
  less?: (a: number, b: number) => boolean,
): TopologicalResult {
  // Reverse edges in compressed (CSR) form: no per-node arrays, which matters at 100k nodes.
  const indegree = new Int32Array(n);
  const start = new Int32Array(n + 1);
  let edges = 0;
  for (let i = 0; i < n; i++) {
    const deps = after[i];
    if (!deps || deps.length === 0) continue;
    indegree[i] = deps.length;
    edges += deps.length;
    for (const p of deps) start[p + 1] = (start[p + 1] as number) + 1;
  }
  if (edges === 0) {
    const order = Array.from({ length: n }, (_, i) => i);
    return { order: less ? order.sort((a, b) => (less(a, b) ? -1 : less(b, a) ? 1 : 0)) : order };
  }
  for (let i = 0; i < n; i++) start[i + 1] = (start[i + 1] as number) + (start[i] as number);
  const fill = start.slice(0, n);
  const next = new Int32Array(edges);
  for (let i = 0; i < n; i++) {
    for (const p of after[i] ?? []) {
      next[fill[p] as number] = i;
      fill[p] = (fill[p] as number) + 1;
    }
  }
  const ready = new Heap<number>(less ?? ((a, b) => a < b));
  for (let i = 0; i < n; i++) if (indegree[i] === 0) ready.push(i);
  const order: number[] = [];
  while (ready.size > 0) {
    const i = ready.pop() as number;
    order.push(i);
    for (let e = start[i] as number; e < (start[i + 1] as number); e++) {
      const j = next[e] as number;
      indegree[j] = (indegree[j] as number) - 1;
      if (indegree[j] === 0) ready.push(j);
    }
  }
  if (order.length === n) return { order };
  return { cycle: findCycle(n, after, indegree) };
}

function findCycle(n: number, after: ReadonlyArray<readonly number[]>, indegree: Int32Array): number[] {
  // Every node left with indegree > 0 lies on or behind a cycle; walk predecessors that are also left
  // until a node repeats.
  const start = indegree.findIndex((d) => d > 0);
  const seenAt = new Map<number, number>();
  const path: number[] = [];
  let node = start;
  while (!seenAt.has(node)) {
    seenAt.set(node, path.length);
    path.push(node);
    const pred = (after[node] ?? []).find((p) => (indegree[p] as number) > 0);
    if (pred === undefined || n === 0) break;
    node = pred;
  }
  const cycle = path.slice(seenAt.get(node) ?? 0);
  // path follows "depends on" edges backwards; reverse so it reads in rotation order (a before b).
  cycle.reverse();
  // Start at the lowest index so the message is the same whichever node the walk began at.
  const lowest = cycle.indexOf(Math.min(...cycle));
  const rotated = [...cycle.slice(lowest), ...cycle.slice(0, lowest)];
  return [...rotated, rotated[0] as number];
}

import { createHmac, randomBytes } from 'node:crypto';
import type { SecretStore } from './store.js';

/** How a name compares in {@link diffStores}. */
export type StoreDiffStatus = 'same' | 'differs' | 'only-in-a' | 'only-in-b';

/** One name in {@link diffStores}; never holds a value. */
export interface StoreDiffEntry {
  name: string;
  status: StoreDiffStatus;
}

/**
 * Compare the secrets under `prefix` in two stores by name and current value, sorted by name. Values
 * are compared through a keyed hash whose key lives only in this call, so nothing that leaves it (not
 * even a hash of a short password) can be guessed offline. The stores are not closed.
 *
 * @example
 * ```ts
 * const drift = (await diffStores(prod, backup, 'app/')).filter((e) => e.status !== 'same');
 * ```
 */
export async function diffStores(a: SecretStore, b: SecretStore, prefix: string): Promise<StoreDiffEntry[]> {
  const key = randomBytes(32);
  const digest = (value: string): string => createHmac('sha256', key).update(value, 'utf8').digest('hex');
  const entries: StoreDiffEntry[] = [];
  const [inA, inB] = await Promise.all([a.list(prefix), b.list(prefix)]);
  const namesA = new Set(inA.map((e) => e.name));
  const namesB = new Set(inB.map((e) => e.name));
  for (const name of [...new Set([...namesA, ...namesB])].sort()) {
    if (!namesB.has(name)) entries.push({ name, status: 'only-in-a' });
    else if (!namesA.has(name)) entries.push({ name, status: 'only-in-b' });
    else {
      const [va, vb] = await Promise.all([a.get(name), b.get(name)]);
      entries.push({ name, status: digest(va.value) === digest(vb.value) ? 'same' : 'differs' });
    }
  }
  return entries;
}

import type { Capability } from '@svm/core';

/** One bit per capability (our numbering; only the set matters). */
export const CAP_BIT: Record<Capability, number> = {
  deny: 1,
  create: 2,
  read: 4,
  update: 8,
  delete: 16,
  list: 32,
  sudo: 64,
  root: 128,
  patch: 256,
  subscribe: 512,
  recover: 1024,
  scan: 2048,
};

const ALPHABETICAL = (Object.keys(CAP_BIT) as Capability[]).filter((c) => c !== 'deny' && c !== 'root').sort();

/**
 * The capability names of a bitmap as `sys/capabilities` prints them: sorted alphabetically, `["deny"]`
 * when deny is set or nothing is.
 */
export function bitsToCapabilities(bits: number): Capability[] {
  if (bits & CAP_BIT.deny) return ['deny'];
  const out: Capability[] = [];
  for (const c of ALPHABETICAL) if (bits & CAP_BIT[c]) out.push(c);
  return out.length ? out : ['deny'];
}

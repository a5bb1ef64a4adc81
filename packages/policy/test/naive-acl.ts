import type { Policy, PolicyFlavor } from '@svm/core';

// An independent, deliberately naive transcription of vault/acl.go (linear scans, no trees, no ranks),
// used as the oracle in property tests of the compiled engine.

interface Group {
  store: 'exact' | 'prefix' | 'segment';
  key: string;
  caps: Set<string>;
  deny: boolean;
}

const LEGACY: Record<string, string[]> = {
  read: ['read', 'list'],
  write: ['create', 'read', 'update', 'delete', 'list'],
  sudo: ['create', 'read', 'update', 'delete', 'list', 'sudo'],
};

export function naiveCapabilities(policies: Policy[], rawPath: string, flavor: PolicyFlavor): string[] {
  if (policies.some((p) => p.name === 'root')) return ['root'];
  const groups: Group[] = [];
  for (const p of policies) {
    for (const r of p.rules) {
      if (r.path.includes('{{')) continue; // no identity: Vault drops templated blocks
      const seg = r.path === '+' || r.path.includes('/+') || r.path.startsWith('+/');
      const store = seg ? 'segment' : r.path.endsWith('*') ? 'prefix' : 'exact';
      const key = store === 'prefix' ? r.path.slice(0, -1) : r.path;
      let caps =
        r.legacyPolicy === 'deny'
          ? ['deny']
          : [...r.capabilities, ...(r.legacyPolicy ? (LEGACY[r.legacyPolicy] ?? []) : [])];
      const deny = caps.includes('deny') && caps.indexOf('deny') >= 0;
      if (deny) caps = [];
      const g = groups.find((x) => x.store === store && x.key === key);
      if (!g) {
        groups.push({ store, key, caps: new Set(caps), deny });
        continue;
      }
      if (g.deny) continue;
      if (deny) {
        g.deny = true;
        g.caps = new Set();
        continue;
      }
      for (const c of caps) g.caps.add(c);
    }
  }
  let path = rawPath;
  while (path.startsWith('/')) path = path.slice(1);

  const nonExact = (p: string): Group | undefined => {
    type D = { first: number; prefix: boolean; wc: number; body: string; g: Group };
    const ds: D[] = [];
    let best: Group | undefined;
    for (const g of groups)
      if (g.store === 'prefix' && p.startsWith(g.key) && (!best || g.key.length > best.key.length)) best = g;
    if (best) ds.push({ first: best.key.length, prefix: true, wc: 0, body: best.key, g: best });
    const parts = p.split('/');
    outer: for (const g of groups) {
      if (g.store !== 'segment') continue;
      const d: D = {
        first: g.key.indexOf('+'),
        prefix: g.key.endsWith('*'),
        wc: 0,
        body: g.key.endsWith('*') ? g.key.slice(0, -1) : g.key,
        g,
      };
      const acl = d.body.split('/');
      if (parts.length < acl.length) continue;
      if (!d.prefix && parts.length !== acl.length) continue;
      for (let i = 0; i < acl.length; i++) {
        const a = acl[i] as string;
        const s = parts[i] as string;
        if (a === '+') d.wc++;
        else if (a === s) continue;
        else if (d.prefix && i === acl.length - 1 && s.startsWith(a)) continue;
        else continue outer;
      }
      ds.push(d);
    }
    if (!ds.length) return undefined;
    const less = (x: D, y: D): boolean => {
      if (x.first !== y.first) return x.first < y.first;
      if (x.prefix !== y.prefix) return x.prefix;
      if (x.wc !== y.wc) return x.wc > y.wc;
      if (x.body.length !== y.body.length) return x.body.length < y.body.length;
      return x.body < y.body;
    };
    let top = ds[0] as D;
    for (const d of ds) if (less(top, d)) top = d;
    return top.g;
  };
  const exact = (p: string): Group | undefined => groups.find((g) => g.store === 'exact' && g.key === p);
  const trimmed = path.endsWith('/') ? path.slice(0, -1) : path;
  let found = exact(path) ?? exact(trimmed);
  if (!found) {
    const order = path.endsWith('/') ? (flavor === 'vault' ? [trimmed, path] : [path, trimmed]) : [path];
    for (const p of order) {
      found = nonExact(p);
      if (found) break;
    }
  }
  if (!found || found.deny || found.caps.size === 0) return ['deny'];
  return [...found.caps].sort();
}

import type { Capability, Policy } from '@svm/core';
import { comparePatternPriority, isSegmentWildcardPattern, patternPriority } from '../src/index.ts';
import type { PatternPriority } from '../src/index.ts';

// The baseline: the same merged rules, looked up the obvious way (scan every prefix and `+` rule per
// request, as a first implementation would). Same answers, no index.

interface Rule {
  key: string;
  kind: 'exact' | 'prefix' | 'segment';
  caps: Set<Capability>;
  priority: PatternPriority | null;
  parts: string[];
  isPrefix: boolean;
}

export function linearScanAcl(policies: Policy[]): (path: string) => Capability[] {
  const byKey = new Map<string, Rule>();
  for (const p of policies) {
    for (const r of p.rules) {
      const kind = isSegmentWildcardPattern(r.path) ? 'segment' : r.path.endsWith('*') ? 'prefix' : 'exact';
      const key = kind === 'prefix' ? r.path.slice(0, -1) : r.path;
      const id = `${kind}:${key}`;
      const isPrefix = r.path.endsWith('*');
      const rule = byKey.get(id) ?? {
        key,
        kind,
        caps: new Set(),
        priority: patternPriority(r.path),
        parts: (isPrefix ? r.path.slice(0, -1) : r.path).split('/'),
        isPrefix,
      };
      byKey.set(id, rule);
      if (rule.caps.has('deny')) continue;
      if (r.capabilities.includes('deny')) rule.caps = new Set(['deny']);
      else for (const c of r.capabilities) rule.caps.add(c);
    }
  }
  const rules = [...byKey.values()];
  const exact = new Map(rules.filter((r) => r.kind === 'exact').map((r) => [r.key, r]));
  const prefixes = rules.filter((r) => r.kind === 'prefix');
  const segments = rules.filter((r) => r.kind === 'segment');
  const nonExact = (path: string): Rule | undefined => {
    let best: Rule | undefined;
    for (const r of prefixes) if (path.startsWith(r.key) && (!best || r.key.length > best.key.length)) best = r;
    const parts = path.split('/');
    outer: for (const r of segments) {
      if (parts.length < r.parts.length || (!r.isPrefix && parts.length !== r.parts.length)) continue;
      for (let i = 0; i < r.parts.length; i++) {
        const a = r.parts[i] as string;
        const s = parts[i] as string;
        if (a === '+' || a === s || (r.isPrefix && i === r.parts.length - 1 && s.startsWith(a))) continue;
        continue outer;
      }
      if (!best || comparePatternPriority(best.priority as PatternPriority, r.priority as PatternPriority) < 0)
        best = r;
    }
    return best;
  };
  return (raw: string) => {
    const path = raw.replace(/^\/+/, '');
    const trimmed = path.endsWith('/') ? path.slice(0, -1) : path;
    const hit =
      exact.get(path) ??
      exact.get(trimmed) ??
      (path.endsWith('/') ? (nonExact(trimmed) ?? nonExact(path)) : nonExact(path));
    if (!hit || hit.caps.has('deny') || hit.caps.size === 0) return ['deny'];
    return [...hit.caps].sort();
  };
}

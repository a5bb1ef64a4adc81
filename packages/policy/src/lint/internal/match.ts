/**
 * Whether a Vault ACL pattern matches a concrete path (no priorities: just "could this rule apply").
 * `*` is a glob only as the last character; `+` matches one whole segment.
 */
export function patternMatches(pattern: string, path: string): boolean {
  const prefix = pattern.endsWith('*');
  const body = prefix ? pattern.slice(0, -1) : pattern;
  const segmentWildcard = body === '+' || body.includes('/+') || body.startsWith('+/');
  if (!segmentWildcard) return prefix ? path.startsWith(body) : path === body;
  const ps = body.split('/');
  const xs = path.split('/');
  if (!prefix && ps.length !== xs.length) return false;
  if (prefix && xs.length < ps.length) return false;
  for (let i = 0; i < ps.length; i++) {
    const p = ps[i] as string;
    const x = xs[i] as string;
    if (p === '+') continue;
    if (prefix && i === ps.length - 1) {
      if (!x.startsWith(p)) return false;
    } else if (p !== x) return false;
  }
  return true;
}

/** True when the pattern has a glob (`*` at the end) or a `+` segment. */
export function isGlobPattern(pattern: string): boolean {
  return pattern.endsWith('*') || pattern === '+' || pattern.includes('/+') || pattern.startsWith('+/');
}

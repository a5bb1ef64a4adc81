/**
 * How Vault ranks two non-exact patterns that both match a path (vault/acl.go, docs "P1 vs P2").
 * `firstWildcard` is the index of the first `+` (segment patterns) or the prefix length (`*` patterns);
 * `isPrefix` is "ends in `*`"; `wildcards` counts whole `+` segments; `body` is the pattern without its
 * trailing `*`.
 */
export interface PatternPriority {
  firstWildcard: number;
  isPrefix: boolean;
  wildcards: number;
  body: string;
}

/**
 * Whether Vault treats the pattern as a segment-wildcard (`+`) pattern: exactly `+`, or containing `/+`,
 * or starting with `+/`.
 *
 * @example
 * ```ts
 * isSegmentWildcardPattern('secret/+/config'); // true
 * isSegmentWildcardPattern('secret/c++/*');    // false (a literal +)
 * ```
 */
export function isSegmentWildcardPattern(pattern: string): boolean {
  return pattern === '+' || pattern.includes('/+') || pattern.startsWith('+/');
}

/**
 * The priority descriptor of a non-exact pattern as written (`secret/*`, `secret/+/config`).
 * Returns `null` for exact patterns, which never take part in the contest (an exact match always wins).
 *
 * @example
 * ```ts
 * patternPriority('secret/+/+/foo/*'); // { firstWildcard: 7, isPrefix: true, wildcards: 2, body: 'secret/+/+/foo/' }
 * ```
 */
export function patternPriority(pattern: string): PatternPriority | null {
  if (isSegmentWildcardPattern(pattern)) {
    const isPrefix = pattern.endsWith('*');
    const body = isPrefix ? pattern.slice(0, -1) : pattern;
    let wildcards = 0;
    for (const s of body.split('/')) if (s === '+') wildcards++;
    return { firstWildcard: pattern.indexOf('+'), isPrefix, wildcards, body };
  }
  if (pattern.endsWith('*')) {
    const body = pattern.slice(0, -1);
    return { firstWildcard: body.length, isPrefix: true, wildcards: 0, body };
  }
  return null;
}

/**
 * Vault's comparator: negative when `a` has LOWER priority than `b`, positive when higher, 0 only for the
 * same pattern. Rules in order: earlier first wildcard loses; ends-with-`*` loses to not; more `+` segments
 * loses; shorter loses; lexically smaller loses.
 *
 * @example
 * ```ts
 * comparePatternPriority(patternPriority('secret/*')!, patternPriority('secret/app/*')!) < 0; // true: secret/app/* wins
 * ```
 */
export function comparePatternPriority(a: PatternPriority, b: PatternPriority): number {
  if (a.firstWildcard !== b.firstWildcard) return a.firstWildcard < b.firstWildcard ? -1 : 1;
  if (a.isPrefix !== b.isPrefix) return a.isPrefix ? -1 : 1;
  if (a.wildcards !== b.wildcards) return a.wildcards > b.wildcards ? -1 : 1;
  if (a.body.length !== b.body.length) return a.body.length < b.body.length ? -1 : 1;
  if (a.body !== b.body) return a.body < b.body ? -1 : 1;
  return 0;
}

/**
 * Why `loser` ranks below `winner`, in the words of Vault's priority rules.
 *
 * @example
 * ```ts
 * priorityLossReason(patternPriority('secret/*')!, patternPriority('secret/+/x')!); // 'its first wildcard is at position 7, …'
 * ```
 */
export function priorityLossReason(loser: PatternPriority, winner: PatternPriority): string {
  if (loser.firstWildcard !== winner.firstWildcard) {
    return `its first wildcard is at position ${loser.firstWildcard}, earlier than ${winner.firstWildcard} in the winner`;
  }
  if (loser.isPrefix !== winner.isPrefix) return 'it ends in * and the winner does not';
  if (loser.wildcards !== winner.wildcards) return `it has more + segments (${loser.wildcards} vs ${winner.wildcards})`;
  if (loser.body.length !== winner.body.length)
    return `it is shorter (${loser.body.length} vs ${winner.body.length} characters before any trailing *)`;
  return 'it sorts lexically before the winner (last tie-breaker)';
}

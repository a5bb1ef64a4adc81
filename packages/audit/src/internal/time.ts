/** `2026-12-05 12:36:02 UTC`: an instant for people (UTC, to the second). */
export function humanTime(time: string | number): string {
  const ms = typeof time === 'number' ? time : Date.parse(time);
  if (!Number.isFinite(ms)) return String(time);
  return `${new Date(ms).toISOString().slice(0, 19).replace('T', ' ')} UTC`;
}

/** `12:36:02` when both instants fall on the same UTC day, else the full {@link humanTime} without the zone. */
export function humanRange(first: string, last: string): { from: string; to: string } {
  const a = humanTime(first).replace(/ UTC$/, '');
  const b = humanTime(last).replace(/ UTC$/, '');
  return a.slice(0, 10) === b.slice(0, 10) ? { from: a.slice(11), to: b.slice(11) } : { from: a, to: b };
}

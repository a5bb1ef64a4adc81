import type { BlastRadius } from '@svm/core';
import { renderTable } from '@svm/core';

function kinds(k: { read: number; metadata: number; list: number }): string {
  return (['read', 'metadata', 'list'] as const)
    .filter((x) => k[x] > 0)
    .map((x) => `${k[x]} ${x}`)
    .join(', ');
}

function short(accessor: string): string {
  return accessor.startsWith('hmac-sha256:') ? `hmac-sha256:${accessor.slice(12, 24)}…` : accessor;
}

/**
 * A blast radius as terminal text: the window, then identities, tokens (with what each read afterwards), source
 * addresses and denied attempts, each sorted with counts.
 *
 * @example
 * ```ts
 * console.log(renderBlastRadiusText(await blastRadius(['audit.log'], query)));
 * ```
 */
export function renderBlastRadiusText(r: BlastRadius): string {
  const lines = [
    `Blast radius of ${r.secret.name} in ${r.secret.store} (${r.secret.matches.join(', ')})`,
    `Window: ${r.window.since} – ${r.window.until ?? 'now'} · ${r.accesses} access(es) by ${r.identities.length} identit${r.identities.length === 1 ? 'y' : 'ies'} with ${r.tokens.length} token(s) from ${r.addresses.length} address(es) · ${r.events} events read from ${r.files.length} file(s)`,
  ];
  if (r.accesses === 0) {
    lines.push(
      '',
      r.outsideWindow > 0
        ? `No access in the window (${r.outsideWindow} outside it): check --since / --until.`
        : 'The logs never mention this secret: check that --audit names the right logs and --secret the right store and name.',
    );
  }
  if (r.identities.length) {
    lines.push('', 'Identities');
    lines.push(
      renderTable(
        ['identity', 'auth', 'accesses', 'kinds', 'tokens', 'first', 'last', 'addresses'],
        r.identities.map((i) => [
          i.identity,
          i.authMethod ?? '–',
          String(i.count),
          kinds(i.kinds),
          String(i.tokens),
          i.first,
          i.last,
          i.sourceIps.join(' '),
        ]),
      ),
    );
  }
  if (r.tokens.length) {
    lines.push('', 'Tokens');
    lines.push(
      renderTable(
        ['accessor', 'identity', 'accesses', 'kinds', 'first', 'last', 'leases', 'read afterwards'],
        r.tokens.map((t) => [
          short(t.accessor),
          t.identity,
          String(t.count),
          kinds(t.kinds),
          t.first,
          t.last,
          String(t.leases.length),
          t.afterwards
            .slice(0, 5)
            .map((a) => `${a.target} (${a.count})`)
            .join(', ') + (t.afterwards.length > 5 ? `, +${t.afterwards.length - 5} more` : ''),
        ]),
      ),
    );
  }
  if (r.addresses.length) {
    lines.push('', 'Source addresses');
    lines.push(
      renderTable(
        ['address', 'accesses', 'identities'],
        r.addresses.map((a) => [a.address, String(a.count), a.identities.join(', ')]),
      ),
    );
  }
  if (r.denied.length) {
    lines.push('', 'Denied attempts');
    lines.push(
      renderTable(
        ['identity', 'attempts', 'last'],
        r.denied.map((d) => [d.identity, String(d.count), d.last]),
      ),
    );
  }
  return lines.join('\n');
}

/**
 * A blast radius as Markdown tables (for the post-mortem and tickets).
 *
 * @example
 * ```ts
 * writeFileSync('blast-radius.md', renderBlastRadiusMarkdown(radius));
 * ```
 */
export function renderBlastRadiusMarkdown(r: BlastRadius): string {
  const cell = (s: string) => s.replace(/\|/g, '\\|');
  const table = (head: string[], rows: string[][]) =>
    [
      `| ${head.join(' | ')} |`,
      `| ${head.map(() => '---').join(' | ')} |`,
      ...rows.map((x) => `| ${x.map(cell).join(' | ')} |`),
    ].join('\n');
  const out = [
    `Window ${r.window.since} – ${r.window.until ?? 'now'}: ${r.accesses} access(es) of \`${r.secret.matches.join('`, `')}\` by ${r.identities.length} identities with ${r.tokens.length} token(s).`,
  ];
  if (r.identities.length)
    out.push(
      '',
      table(
        ['Identity', 'Auth', 'Accesses', 'Kinds', 'Tokens', 'First', 'Last', 'Addresses'],
        r.identities.map((i) => [
          i.identity,
          i.authMethod ?? '–',
          String(i.count),
          kinds(i.kinds),
          String(i.tokens),
          i.first,
          i.last,
          i.sourceIps.join(', '),
        ]),
      ),
    );
  if (r.tokens.length)
    out.push(
      '',
      table(
        ['Accessor', 'Identity', 'Accesses', 'First', 'Last', 'Read afterwards'],
        r.tokens.map((t) => [
          `\`${short(t.accessor)}\``,
          t.identity,
          String(t.count),
          t.first,
          t.last,
          t.afterwards.map((a) => `${a.target} (${a.count})`).join(', ') || '–',
        ]),
      ),
    );
  if (r.denied.length)
    out.push(
      '',
      table(
        ['Denied identity', 'Attempts', 'Last'],
        r.denied.map((d) => [d.identity, String(d.count), d.last]),
      ),
    );
  return out.join('\n');
}

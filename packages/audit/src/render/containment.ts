import type { Containment, IncidentPlan, StoreContainment } from '@svm/core';
import { renderBlastRadiusMarkdown } from './blast-radius.js';
import { barsSvg, esc, htmlPage } from './html.js';
import { renderIncidentMarkdown } from './incident.js';

/** Colour functions for {@link renderContainmentText}; each defaults to no colour. */
export interface ContainmentTextStyle {
  bold?: ((text: string) => string) | undefined;
  red?: ((text: string) => string) | undefined;
  green?: ((text: string) => string) | undefined;
}

const MARK: Record<Containment['actions'][number]['status'], string> = {
  planned: '[ ]',
  done: '[x]',
  skipped: '[=]',
  failed: '[!]',
  'rolled-back': '[<]',
};

/** `2.4 s`, `1 min 3 s` */
export function formatElapsed(ms: number): string {
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  return `${Math.floor(ms / 60_000)} min ${Math.round((ms % 60_000) / 1000)} s`;
}

/**
 * A containment as terminal text: the plan (dry run) as numbered steps, or each action with its result, the
 * elapsed time from the command's start to containment, what was not done and what is left to do by hand.
 *
 * @example
 * ```ts
 * console.log(renderContainmentText(await containSecret(options)));
 * ```
 */
export function renderContainmentText(c: Containment, style: ContainmentTextStyle = {}): string {
  const bold = style.bold ?? ((s: string) => s);
  const red = style.red ?? ((s: string) => s);
  const green = style.green ?? ((s: string) => s);
  const r = c.blastRadius;
  const head = c.dryRun
    ? `${bold('Containment plan')} for ${c.secret.name} in ${c.secret.store}${c.severity ? ` (${c.severity})` : ''} — dry run, nothing touched; add --execute to act`
    : `${bold(c.outcome === 'contained' ? green('CONTAINED') : red(c.outcome.toUpperCase()))} ${c.secret.name} in ${c.secret.store}${c.severity ? ` (${c.severity})` : ''}${c.resumed ? ' · resumed an interrupted containment' : ''}${c.repeat ? ' · repeat of a finished containment: only what was missing' : ''}`;
  const lines = [
    head,
    `Blast radius: ${r.accesses} access(es) since ${r.window.since} by ${r.identities.length} identit${r.identities.length === 1 ? 'y' : 'ies'}: ${r.identities.map((i) => `${i.identity} (${i.count})`).join(', ') || 'none'}`,
    '',
  ];
  c.actions.forEach((a, i) => {
    const facts = a.facts
      ? Object.entries(a.facts)
          .filter(([k]) =>
            [
              'result',
              'resolution',
              'check',
              'newVersion',
              'leakedVersion',
              'revokedLeases',
              'rotation',
              'strategy',
            ].includes(k),
          )
          .map(([k, v]) => `${k}=${String(v)}`)
          .join(' ')
      : '';
    lines.push(
      `${i + 1}. ${MARK[a.status]} ${a.title}${a.finishedAt ? ` · ${a.finishedAt}` : ''}${facts ? ` · ${facts}` : ''}${a.error ? ` · ${red(`${a.error.code}: ${a.error.message}`)}` : ''}`,
    );
  });
  if (!c.dryRun) {
    lines.push('');
    lines.push(
      c.elapsedMs !== null
        ? `Contained in ${formatElapsed(c.elapsedMs)} from the command's start (${c.startedAt} → ${c.containedAt})`
        : `Not contained (started ${c.startedAt}): see what was not done below; run the same command again to resume`,
    );
  }
  if (c.notDone.length) {
    lines.push('', bold(c.dryRun ? 'Warnings' : 'Not done'));
    for (const n of c.notDone) lines.push(`  - ${n}`);
  }
  lines.push('', bold('Left to do by hand'));
  for (const m of c.manual) lines.push(`  - ${m}`);
  if (c.journal) lines.push('', `Journal: ${c.journal}`);
  if (c.reports) lines.push(`Post-mortem: ${c.reports.markdown} and ${c.reports.html}`);
  return lines.join('\n');
}

/**
 * The post-mortem skeleton as Markdown: the communication template (the `incident plan` status table, filled in),
 * what leaked, the blast radius, the timeline of reads and of every action with its time and result, what is
 * left to do by hand, and the sections to write (root cause, impact, prevention).
 *
 * @example
 * ```ts
 * writeFileSync('post-mortem.md', renderPostMortemMarkdown(containment, plan));
 * ```
 */
export function renderPostMortemMarkdown(c: Containment, plan?: IncidentPlan): string {
  const r = c.blastRadius;
  const status =
    c.outcome === 'contained' ? 'CONTAINED' : c.outcome === 'planned' ? 'INVESTIGATING' : 'CONTAINMENT INCOMPLETE';
  const timeline = [
    ...r.timeline.map((t) => ({
      time: t.time,
      what: `${t.identity} ${t.kind === 'read' ? 'read' : t.kind === 'list' ? 'listed' : 'read the metadata of'} the secret (${t.operation} ${t.path}) from ${t.sourceIp ?? 'an unknown address'}`,
    })),
    ...c.actions
      .filter((a) => a.finishedAt)
      .map((a) => ({
        time: a.finishedAt as string,
        what: `svm: ${a.title} — ${a.status}${a.error ? ` (${a.error.code}: ${a.error.message})` : ''}`,
      })),
    { time: c.startedAt, what: 'svm incident contain started' },
  ].sort((a, b) => a.time.localeCompare(b.time));
  const lines = [
    `# Post-mortem: leak of ${c.secret.name}`,
    '',
    '## Communication template',
    '',
    '| field | value |',
    '| --- | --- |',
    `| Severity | ${c.severity ?? plan?.severity ?? 'unclassified'}${plan ? ` (${plan.reason})` : ''} |`,
    `| Time detected (UTC) | ${plan?.detectedAt ?? c.startedAt} |`,
    `| Secret type | ${plan?.credential ?? c.strategy} |`,
    `| Secret | ${c.secret.name} in ${c.secret.store} |`,
    `| Status | ${status} |`,
    `| Blast radius | ${r.identities.length} identities, ${r.tokens.length} tokens, ${r.accesses} accesses since ${r.window.since} |`,
    `| Contained | ${c.containedAt ? `${c.containedAt} (${(Number(c.elapsedMs) / 1000).toFixed(1)} s after the command started)` : 'no'} |`,
    '| Incident commander | <name> |',
    '| Next update | <time> |',
    '',
    '## What leaked',
    '',
    `\`${c.secret.name}\` in \`${c.secret.store}\` (rotation strategy \`${c.strategy}\`), exposed since ${r.window.since}.`,
    '',
    '## Blast radius',
    '',
    renderBlastRadiusMarkdown(r),
    '',
    '## Actions',
    '',
    '| # | Action | Status | Finished | Result |',
    '| --- | --- | --- | --- | --- |',
    ...c.actions.map(
      (a, i) =>
        `| ${i + 1} | ${a.title.replace(/\|/g, '\\|')} | ${a.status} | ${a.finishedAt ?? '–'} | ${
          a.error
            ? `${a.error.code}: ${a.error.message}`.replace(/\|/g, '\\|')
            : a.facts
              ? Object.entries(a.facts)
                  .filter(([k]) => !['tokens', 'leases'].includes(k))
                  .map(([k, v]) => `${k}=${String(v)}`)
                  .join(', ')
              : ''
        } |`,
    ),
    '',
    '## Timeline (UTC)',
    '',
    ...timeline.map((t) => `- ${t.time} — ${t.what}`),
    ...(r.timelineTruncated ? ['- … (more reads in the blast radius report)'] : []),
    '',
    '## Not done',
    '',
    ...(c.notDone.length ? c.notDone.map((n) => `- [ ] ${n}`) : ['Nothing: every planned action finished.']),
    '',
    '## Left to do by hand',
    '',
    ...c.manual.map((m) => `- [ ] ${m}`),
    '',
    '## Root cause',
    '',
    '<how the secret leaked, and why it could>',
    '',
    '## Impact',
    '',
    '<what the readers above could reach with it; data exposed>',
    '',
    '## Preventive measures',
    '',
    '- [ ] Pre-commit secret scanning (gitleaks, detect-secrets)',
    '- [ ] Mask secrets in CI logs',
    '- [ ] Review who holds access to the secret',
    '',
    c.journal ? `Journal: \`${c.journal}\` (incident \`${c.incidentId}\`)` : `Incident \`${c.incidentId}\``,
  ];
  if (plan) lines.push('', '## Response playbook', '', renderIncidentMarkdown(plan).replace(/^#/gm, '###'));
  return `${lines.join('\n')}\n`;
}

/**
 * The post-mortem as a self-contained HTML page in the audit report's style: status cards, who read the secret
 * as bars, the actions and the timeline.
 *
 * @example
 * ```ts
 * writeFileSync('post-mortem.html', renderPostMortemHtml(containment));
 * ```
 */
export function renderPostMortemHtml(c: Containment, plan?: IncidentPlan): string {
  const r = c.blastRadius;
  const body = `<div class="cards">
<div class="card"><b id="stat-outcome">${esc(c.outcome)}</b>outcome</div>
<div class="card"><b id="stat-elapsed">${c.elapsedMs === null ? '–' : `${(c.elapsedMs / 1000).toFixed(1)} s`}</b>to containment</div>
<div class="card"><b id="stat-identities">${r.identities.length}</b>identities</div>
<div class="card"><b id="stat-tokens">${c.tokens.filter((t) => t.result === 'revoked').length}/${c.tokens.length}</b>tokens revoked</div>
<div class="card"><b>${esc(c.severity ?? plan?.severity ?? '–')}</b>severity</div>
</div>
<p>${esc(c.secret.name)} in ${esc(c.secret.store)} · exposed since ${esc(r.window.since)} · strategy ${esc(c.strategy)}</p>
<h2>Who read it</h2>
${barsSvg(
  'readers',
  r.identities.map((i) => [i.identity, i.count]),
)}
<h2>Actions</h2>
<table id="actions"><thead><tr><th>#</th><th>Action</th><th>Status</th><th>Finished</th><th>Result</th></tr></thead><tbody>
${c.actions
  .map(
    (a, i) =>
      `<tr><td>${i + 1}</td><td>${esc(a.title)}</td><td>${esc(a.status)}</td><td>${esc(a.finishedAt ?? '–')}</td><td>${esc(
        a.error
          ? `${a.error.code}: ${a.error.message}`
          : a.facts
            ? Object.entries(a.facts)
                .filter(([k]) => !['tokens', 'leases'].includes(k))
                .map(([k, v]) => `${k}=${String(v)}`)
                .join(', ')
            : '',
      )}</td></tr>`,
  )
  .join('\n')}
</tbody></table>
<h2>Reads in the window</h2>
<table id="timeline"><thead><tr><th>Time</th><th>Identity</th><th>Kind</th><th>Address</th><th>Path</th></tr></thead><tbody>
${r.timeline.map((t) => `<tr><td>${esc(t.time)}</td><td>${esc(t.identity)}</td><td>${esc(t.kind)}</td><td>${esc(t.sourceIp ?? '–')}</td><td>${esc(t.path)}</td></tr>`).join('\n')}
</tbody></table>
<h2>Not done</h2>
${c.notDone.length ? `<ul>${c.notDone.map((n) => `<li>${esc(n)}</li>`).join('')}</ul>` : '<p>Nothing: every planned action finished.</p>'}
<h2>Left to do by hand</h2>
<ul>${c.manual.map((m) => `<li>${esc(m)}</li>`).join('')}</ul>
<h2>Root cause, impact, preventive measures</h2>
<p>&lt;to write&gt;</p>`;
  return htmlPage(`Post-mortem: leak of ${c.secret.name}`, body);
}

/**
 * A store-wide containment as terminal text: each secret in rotation order with its category, strategy and result.
 *
 * @example
 * ```ts
 * console.log(renderStoreContainmentText(await containStore({ store: 'file://./secrets.svm' })));
 * ```
 */
export function renderStoreContainmentText(c: StoreContainment, style: ContainmentTextStyle = {}): string {
  const bold = style.bold ?? ((s: string) => s);
  const lines = [
    c.dryRun
      ? `${bold('Store-wide containment plan')} for ${c.store}: ${c.items.length} secret(s), infrastructure → services → integrations → humans — dry run; add --execute to rotate`
      : `${bold(c.outcome.toUpperCase())} ${c.store}: ${c.items.filter((i) => i.outcome === 'rotated').length}/${c.items.length} rotated${c.resumed ? ' (resumed)' : ''}${c.elapsedMs !== null ? ` in ${formatElapsed(c.elapsedMs)}` : ''}`,
    '',
  ];
  for (const [i, item] of c.items.entries())
    lines.push(
      `${i + 1}. ${MARK[item.status]} ${item.name}  ${item.category}  ${item.strategy}${item.outcome ? `  ${item.outcome}` : ''}${item.message ? `  ${item.message}` : ''}`,
    );
  if (c.journal) lines.push('', `Journal: ${c.journal}`);
  return lines.join('\n');
}

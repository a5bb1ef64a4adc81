import type { IncidentPlan } from '@svm/core';

const PHASES = ['contain', 'assess', 'recover', 'post-mortem'] as const;

/** Colour functions for {@link renderIncidentText}; each defaults to no colour. */
export interface IncidentTextStyle {
  bold?: ((text: string) => string) | undefined;
  red?: ((text: string) => string) | undefined;
}

/**
 * An incident plan as a terminal checklist: severity, deadline, whether to seal, who to notify, then
 * each phase's steps with their actions and commands.
 *
 * @example
 * ```ts
 * console.log(renderIncidentText(planIncident({ signals: ['public-repo'], credential: 'api-key', detectedAt: new Date() })));
 * ```
 */
export function renderIncidentText(plan: IncidentPlan, style: IncidentTextStyle = {}): string {
  const bold = style.bold ?? ((s: string) => s);
  const red = style.red ?? ((s: string) => s);
  const lines = [
    `${bold(`${plan.severity}`)} — ${plan.reason}`,
    `Respond within ${formatMinutes(plan.responseWithinMinutes)}: by ${plan.respondBy} (detected ${plan.detectedAt})`,
    `Seal Vault: ${plan.seal.recommended ? red('yes') : 'no'} — ${plan.seal.reason}`,
    `Notify: ${plan.notify.join(', ')}`,
  ];
  for (const phase of PHASES) {
    lines.push('', bold(phase.toUpperCase()));
    for (const step of plan.steps.filter((s) => s.phase === phase)) {
      lines.push(`  [ ] ${step.title} (by ${step.due})`);
      for (const a of step.actions) lines.push(`      - ${a}`);
      for (const cmd of step.commands) lines.push(`      $ ${cmd}`);
    }
  }
  return lines.join('\n');
}

/**
 * An incident plan as a Markdown incident document: the status table to fill in, then a checklist per phase.
 *
 * @example
 * ```ts
 * writeFileSync('incident.md', renderIncidentMarkdown(plan));
 * ```
 */
export function renderIncidentMarkdown(plan: IncidentPlan): string {
  const lines = [
    `# Secret leak — ${plan.severity}`,
    '',
    '| field | value |',
    '| --- | --- |',
    `| Severity | ${plan.severity} (${plan.reason}) |`,
    `| Time detected (UTC) | ${plan.detectedAt} |`,
    `| Respond by | ${plan.respondBy} |`,
    `| Secret type | ${plan.credential} |`,
    `| Secret | ${plan.secret ?? '—'} |`,
    '| Status | INVESTIGATING |',
    '| Blast radius | PENDING |',
    '| Incident commander | <name> |',
    '| Next update | <time> |',
    '',
    `Seal Vault: **${plan.seal.recommended ? 'yes' : 'no'}** — ${plan.seal.reason}.`,
    '',
    `Notify: ${plan.notify.join(', ')}.`,
  ];
  for (const phase of PHASES) {
    lines.push('', `## ${phase[0]?.toUpperCase()}${phase.slice(1)}`, '');
    for (const step of plan.steps.filter((s) => s.phase === phase)) {
      lines.push(`- [ ] **${step.title}** (by ${step.due})`);
      for (const a of step.actions) lines.push(`  - ${a}`);
      if (step.commands.length > 0) lines.push('', '  ```sh', ...step.commands.map((cmd) => `  ${cmd}`), '  ```');
    }
  }
  return lines.join('\n');
}

function formatMinutes(minutes: number): string {
  return minutes < 60
    ? `${minutes} minutes`
    : minutes % 60 === 0
      ? `${minutes / 60} hour${minutes === 60 ? '' : 's'}`
      : `${minutes} minutes`;
}

import type { RotationPlanDocument } from '../plan/plan.js';
import { formatDaysLeft, headline, itemNotes, STATUS_LABEL } from './text.js';

/**
 * The plan as GitHub-flavoured Markdown: a headline, a table, then violations and scheduling issues as lists
 * (for PR comments, job summaries and wikis). Pipes and newlines in values are escaped.
 *
 * @example
 * ```ts
 * renderPlanMarkdown(plan).startsWith('## Rotation plan'); // true
 * ```
 */
export function renderPlanMarkdown(plan: RotationPlanDocument): string {
  const lines = [`## ${headline(plan)}`, ''];
  if (plan.items.length === 0) return `${lines.join('\n')}No secrets in inventory.\n`;
  lines.push(
    '| ID | Type | Status | Due | In | Scheduled | Owner | Method | Risk | Notes |',
    '|---|---|---|---|---:|---|---|---|---|---|',
  );
  for (const item of plan.items) {
    const cells = [
      `\`${item.id}\``,
      item.type,
      item.status === 'overdue' ? `**${STATUS_LABEL[item.status]}**` : STATUS_LABEL[item.status],
      item.due,
      formatDaysLeft(item.daysUntilDue),
      item.scheduled ?? '-',
      item.owner ?? '-',
      item.method,
      item.downtimeRisk ?? '-',
      itemNotes(item) || '',
    ];
    lines.push(`| ${cells.map(escapeCell).join(' | ')} |`);
  }
  const violations = plan.items.flatMap((item) =>
    (item.violations ?? []).map((v) => `- \`${item.id}\`: **${v.profile} ${v.requirement}**: ${escapeText(v.message)}`),
  );
  if (violations.length > 0) lines.push('', `### Compliance violations (${violations.length})`, '', ...violations);
  const issues = plan.items
    .filter((i) => i.scheduleIssue)
    .map((i) => `- \`${i.id}\`: **${i.scheduleIssue?.code}**: ${escapeText(i.scheduleIssue?.message ?? '')}`);
  if (issues.length > 0) lines.push('', `### Scheduling issues (${issues.length})`, '', ...issues);
  const methods = Object.entries(plan.methods);
  if (methods.length > 0) {
    lines.push('', '### Methods');
    for (const [id, method] of methods) {
      lines.push(
        '',
        `**${id}**: ${method.title} (downtime risk: ${method.downtimeRisk})`,
        '',
        ...method.steps.map((step, i) => `${i + 1}. ${escapeText(step)}`),
      );
    }
  }
  if (plan.warnings.length > 0) lines.push('', '### Warnings', '', ...plan.warnings.map((w) => `- ${escapeText(w)}`));
  return `${lines.join('\n')}\n`;
}

function escapeCell(text: string): string {
  return text.replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/\r?\n/g, '<br>');
}

function escapeText(text: string): string {
  return text.replace(/\r?\n/g, ' ');
}

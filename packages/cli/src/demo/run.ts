import type { CliContext, CommandOutput } from '../internal/context.js';

/** One demo step's result. */
export interface DemoStep {
  name: string;
  status: 'ok' | 'not-built' | 'failed';
  summary: string;
}

/** Run every demo step; each says plainly when its package is not built yet. */
export async function runDemo(ctx: CliContext, _opts: { examples?: string; now?: string }): Promise<CommandOutput<{ steps: DemoStep[] }>> {
  const steps: DemoStep[] = [
    { name: 'policy generate', status: 'not-built', summary: '@svm/policy generator is not built yet' },
    { name: 'policy eval', status: 'not-built', summary: '@svm/policy engine is not built yet' },
    { name: 'rotation plan', status: 'not-built', summary: '@svm/rotation planner is not built yet' },
    { name: 'audit analyze', status: 'not-built', summary: '@svm/audit analyzer is not built yet' },
    { name: 'secret put/get', status: 'not-built', summary: '@svm/providers file store is not built yet' },
  ];
  return {
    data: { steps },
    text: (data) => data.steps.map((s) => `${ctx.colors.bold(s.name)}: ${s.summary}`).join('\n'),
    exitCode: steps.some((s) => s.status === 'failed') ? 1 : 0,
  };
}

import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SvmError } from '@svm/core/errors';
import { dayFlag } from '@svm/core';
import type { Command } from 'commander';
import { action } from '../internal/command.js';
import type { CliContext, CommandOutput } from '../internal/context.js';
import type { DemoContext, DemoStep } from './steps.js';
import { absolutePath } from '../internal/input.js';

/** `svm demo`: the main job end to end on the embedded defaults. */
export function register(group: Command, ctx: CliContext): void {
  group
    .option('--examples <dir>', 'folder with the example inputs (default: the bundled examples)')
    .option('--now <date>', 'treat this date (YYYY-MM-DD) as today, for reproducible output')
    .action(action(ctx, async (opts: { examples?: string; now?: string }) => runDemo(ctx, opts)));
}

/**
 * Run the main job end to end on the embedded defaults: generate policies from the example requirements,
 * evaluate them, plan rotations, analyze the example audit log, store and read a secret in the encrypted
 * file store. Each step is independent: one failing is reported and the others still run.
 */
export async function runDemo(
  ctx: CliContext,
  opts: { examples?: string; now?: string },
): Promise<CommandOutput<{ steps: DemoStep[] }>> {
  const examplesDir = opts.examples ? absolutePath(ctx.io, opts.examples) : findBundledExamples();
  if (!examplesDir || !existsSync(examplesDir)) {
    throw new SvmError(
      'USAGE',
      `no example inputs found${opts.examples ? ` at ${opts.examples}` : ''}; pass --examples <dir> (a folder like examples/quickstart/data)`,
    );
  }
  const today = dayFlag(opts.now, '--now') ?? new Date().toISOString().slice(0, 10);
  const workDir = mkdtempSync(join(tmpdir(), 'svm-demo-'));
  const d: DemoContext = { examplesDir, today, workDir };
  const steps: DemoStep[] = [];
  const guard = async (name: string, fn: () => Promise<DemoStep>): Promise<DemoStep> => {
    ctx.log(`… ${name}`);
    try {
      return await fn();
    } catch (error) {
      return { name, status: 'failed', lines: [(error as Error).message.split('\n')[0] ?? 'failed'] };
    }
  };
  try {
    const demo = await import('./steps.js');
    let policiesDir: string | undefined;
    steps.push(
      await guard('policy generate', async () => {
        const r = await demo.runPolicyGenerateDemo(d);
        policiesDir = r.policiesDir;
        return r.step;
      }),
    );
    steps.push(await guard('policy eval', () => demo.runPolicyEvalDemo(d, policiesDir)));
    steps.push(await guard('rotation plan', () => demo.runRotationDemo(d)));
    steps.push(await guard('audit analyze', () => demo.runAuditDemo(d)));
    steps.push(await guard('secret put/get', () => demo.runSecretDemo(d)));
  } finally {
    rmSync(workDir, { recursive: true, force: true });
  }
  return {
    data: { steps },
    text: (data, c) =>
      data.steps
        .map((s) => {
          const mark =
            s.status === 'ok' ? c.colors.green('✓') : s.status === 'failed' ? c.colors.red('✗') : c.colors.yellow('–');
          return [`${mark} ${c.colors.bold(s.name)}`, ...s.lines.map((l) => `    ${l}`)].join('\n');
        })
        .join('\n\n'),
    exitCode: steps.some((s) => s.status === 'failed') ? 1 : 0,
  };
}

function findBundledExamples(): string | undefined {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 6; i++) {
    const candidate = join(dir, 'examples', 'quickstart', 'data');
    if (existsSync(candidate)) return candidate;
    dir = dirname(dir);
  }
  return undefined;
}

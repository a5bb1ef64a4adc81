import { resolve } from 'node:path';
import { Option, type Command } from 'commander';
import { SvmError } from '@svm/core';
import type { SigmaSource } from '@svm/audit';
import { action } from '../internal/command.js';
import type { CliContext } from '../internal/context.js';

const SOURCES = ['vault', 'openbao', 'cloudtrail', 'gcp', 'azure'] as const;

interface ExportRulesFlags {
  format: 'sigma';
  out: string;
  source?: string[];
}

/** `svm audit export-rules`: svm's detections as Sigma rules for the SIEM a fleet already runs. */
export function registerExportRules(group: Command, ctx: CliContext): void {
  group
    .command('export-rules')
    .description('write the detections Sigma can express as Sigma rules (one file per detection and log source)')
    .addOption(new Option('--format <format>', 'rule format').choices(['sigma']).default('sigma'))
    .requiredOption('--out <dir>', 'folder to write the rules to (created if missing)')
    .option(
      '--source <sources>',
      `only these log sources, comma-separated or repeated: ${SOURCES.join(', ')} (default all)`,
      (value: string, previous: string[] = []) => [...previous, ...value.split(',').map((s) => s.trim())],
    )
    .addHelpText(
      'after',
      '\nExamples:\n  svm audit export-rules --format sigma --out rules/\n  sigma check rules/ && sigma convert -t splunk -p rules/pipelines/svm_vault_openbao.yaml rules/\n\nThresholds are the ones svm audit analyze uses. Exit codes: 0 ok · 2 usage error',
    )
    .action(
      action(ctx, async (flags: ExportRulesFlags) => {
        for (const s of flags.source ?? [])
          if (!(SOURCES as readonly string[]).includes(s))
            throw new SvmError('USAGE', `--source: expected one of ${SOURCES.join(', ')}, got '${s}'`);
        const { exportSigmaRules, renderSigmaExportText, writeSigmaRules } = await import('@svm/audit');
        const result = exportSigmaRules({ sources: flags.source as SigmaSource[] | undefined });
        const dir = resolve(flags.out);
        await writeSigmaRules(result, dir);
        return {
          data: { out: dir, rules: result.rules, notExpressible: result.notExpressible },
          text: () => renderSigmaExportText(result, dir),
        };
      }),
    );
}

import { resolve } from 'node:path';
import { Option, type Command } from 'commander';
import { SIGMA_LOGSOURCES } from '@svm/audit';
import { action, collect } from '../internal/command.js';
import type { CliContext } from '../internal/context.js';

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
      `only these log sources, comma-separated or repeated: ${Object.keys(SIGMA_LOGSOURCES).join(', ')} (default all)`,
      collect,
    )
    .addHelpText(
      'after',
      '\nExamples:\n  svm audit export-rules --format sigma --out rules/\n  sigma check rules/ && sigma convert -t splunk -p rules/pipelines/svm_vault_openbao.yaml rules/\n\nThresholds are the ones svm audit analyze uses. Exit codes: 0 ok · 2 usage error',
    )
    .action(
      action(ctx, async (flags: ExportRulesFlags) => {
        const audit = await import('@svm/audit');
        const result = audit.exportSigmaRules({ sources: audit.parseSigmaSources(flags.source) });
        const dir = resolve(flags.out);
        await audit.writeSigmaRules(result, dir);
        return {
          data: { out: dir, rules: result.rules, notExpressible: result.notExpressible },
          text: () => audit.renderSigmaExportText(result, dir),
        };
      }),
    );
}

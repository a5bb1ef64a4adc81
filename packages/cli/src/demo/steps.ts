// The steps of `svm demo`: each calls the libraries on the example inputs and says what happened in a few lines.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { isSvmError } from '@svm/core';

/** What every `svm demo` step receives. */
export interface DemoContext {
  /** The example inputs (examples/quickstart/data, or --examples). */
  examplesDir: string;
  /** Today, YYYY-MM-DD (the --now flag, else the real date in UTC). */
  today: string;
  /** A fresh temporary folder the step may write to (generated policies, the file store, …). */
  workDir: string;
}

/** One demo step's result: a few short readable lines, never a secret value. */
export interface DemoStep {
  name: string;
  status: 'ok' | 'not-built' | 'failed';
  lines: string[];
}

/** A step that failed, with the error's code when it has one. */
function failed(name: string, error: unknown): DemoStep {
  const message = isSvmError(error) ? `${error.code}: ${error.message}` : ((error as Error)?.message ?? String(error));
  return { name, status: 'failed', lines: [message] };
}

/**
 * Generate every target from `<examplesDir>/requirements.yaml` into `<workDir>/policies/` (HCL, what
 * `svm policy eval --policy` reads) and `<workDir>/generated/`, then lint it and prove it with the engine.
 */
export async function runPolicyGenerateDemo(d: DemoContext): Promise<{ step: DemoStep; policiesDir: string }> {
  const policiesDir = join(d.workDir, 'policies');
  const step = await generateInto(d, policiesDir).catch((error: unknown) => failed('policy generate', error));
  return { step, policiesDir };
}

async function generateInto(d: DemoContext, policiesDir: string): Promise<DemoStep> {
  const { Requirements, loadDocument } = await import('@svm/core');
  const { generateTour } = await import('@svm/policy');
  const file = join(d.examplesDir, 'requirements.yaml');
  const requirements = loadDocument(await readFile(file, 'utf8'), { file }, Requirements);
  const { ok, lines } = await generateTour(requirements, { policiesDir, generatedDir: join(d.workDir, 'generated') });
  return { name: 'policy generate', status: ok ? 'ok' : 'failed', lines };
}

/**
 * Load the policies from `policiesDir` (the folder the generator step wrote) or `<examplesDir>/policies`, and
 * evaluate an allowed read, a denied neighbour path and a `sys/` write, saying which pattern decided each.
 */
export async function runPolicyEvalDemo(d: DemoContext, policiesDir?: string): Promise<DemoStep> {
  const { loadPolicies, policyTourBrief } = await import('@svm/policy');
  const dir = policiesDir ?? join(d.examplesDir, 'policies');
  // A token holds one application policy: the example payments API, or the first generated one that reads.
  const lines = policyTourBrief(await loadPolicies([dir]), {
    from: policiesDir ? 'the generated folder' : 'examples/policies',
    prefer: policiesDir ? undefined : 'payments-api',
    requests: [
      'secret/data/payments/prod/config',
      'secret/data/payments/signing/hsm-key',
      'secret/data/payroll/prod/config',
    ],
  });
  return { name: 'policy eval', status: lines ? 'ok' : 'failed', lines: lines ?? [`no policies in ${dir}`] };
}

/** Plan `<examplesDir>/inventory.yaml` as of `d.today` and say what needs doing first. */
export async function runRotationDemo(d: DemoContext): Promise<DemoStep> {
  const { planInventoryFile, renderPlanBrief } = await import('@svm/rotation');
  const read = async (file: string) => ({ text: await readFile(join(d.examplesDir, file), 'utf8'), name: file });
  const { plan } = await planInventoryFile('inventory.yaml', { now: d.today, capacity: '2' }, read);
  return { name: 'rotation plan', status: 'ok', lines: renderPlanBrief(plan) };
}

/** Analyze `<examplesDir>/vault-audit.log` and say what it found (identities and paths only, never values). */
export async function runAuditDemo(d: DemoContext): Promise<DemoStep> {
  const { analyzeFiles, renderAnalysisBrief } = await import('@svm/audit');
  const { result } = await analyzeFiles([join(d.examplesDir, 'vault-audit.log')], { workers: 0 });
  return { name: 'audit analyze', status: 'ok', lines: renderAnalysisBrief(result) };
}

/** Create an encrypted file store in the work folder and check it round-trips, without printing a value. */
export async function runSecretDemo(d: DemoContext): Promise<DemoStep> {
  const path = join(d.workDir, 'demo-secrets.svm');
  try {
    const { renderFileStoreSelfTest, selfTestFileStore } = await import('@svm/providers');
    const t = await selfTestFileStore(path);
    return { name: 'secret put/get', status: t.ok ? 'ok' : 'failed', lines: renderFileStoreSelfTest(t, path) };
  } catch (error) {
    return failed('secret put/get', error);
  }
}

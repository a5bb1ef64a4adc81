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

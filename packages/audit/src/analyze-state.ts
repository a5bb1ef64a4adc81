import { isAbsolute, resolve } from 'node:path';
import type { AnalysisResult } from './analyzer.js';
import { openStateStore } from './baseline/sqlite-state.js';
import { isObjectUrl } from './objstore/url.js';
import { toOcsfEvent, toOcsfFinding } from './render/ocsf.js';
import { renderObjectSummary } from './render/progress.js';
import { type AnalyzeFilesOptions, analyzeFiles } from './stream/analyze-files.js';

/** Options of {@link analyzeWithState}: those of {@link analyzeFiles} and the state database. */
export interface AnalyzeWithStateOptions extends AnalyzeFilesOptions {
  /** SQLite file keeping the learned baseline and the objects read between runs (relative to `cwd`; created if missing). */
  state?: string | undefined;
  /** Write each event as an OCSF JSON line here as it is analysed, then every finding (suppressed ones too). */
  ocsf?: NodeJS.WritableStream | undefined;
}

/** What {@link analyzeWithState} returns. */
export interface AnalyzeWithStateResult {
  result: AnalysisResult;
  /** For object-storage inputs: what was listed, skipped and read ({@link renderObjectSummary}). */
  objectSummary: string | undefined;
}

/**
 * {@link analyzeFiles} with the state database of `svm audit analyze --state`: the saved baseline is loaded first,
 * objects already read are skipped, and the new baseline and the objects read are saved together once everything
 * read is in the result (a run that fails saves nothing). The database is closed whatever happens. With `ocsf`,
 * the events and then the findings are written there as OCSF JSON lines (`--format ocsf`).
 *
 * @example
 * ```ts
 * const { result } = await analyzeWithState(['audit.log'], { state: 'audit-state.db', cwd: process.cwd() });
 * result.findings.length;
 * ```
 */
export async function analyzeWithState(
  paths: readonly string[],
  options: AnalyzeWithStateOptions = {},
): Promise<AnalyzeWithStateResult> {
  const { state, ocsf, ...rest } = options;
  const line = (record: Record<string, unknown>) => ocsf?.write(`${JSON.stringify(record)}\n`);
  const cwd = options.cwd ?? process.cwd();
  const store = state ? await openStateStore(isAbsolute(state) ? state : resolve(cwd, state)) : undefined;
  try {
    const { result, snapshot, objects } = await analyzeFiles(paths, {
      ...rest,
      ...(ocsf
        ? {
            onEvent: (ev) => {
              rest.onEvent?.(ev);
              line(toOcsfEvent(ev));
            },
          }
        : {}),
      baseline: store?.load(),
      ...(store ? { seen: store.objectsRead } : {}),
    });
    store?.save(snapshot, objects);
    if (ocsf) for (const f of [...result.findings, ...result.suppressed]) line(toOcsfFinding(f));
    return { result, objectSummary: objects ? renderObjectSummary(objects, paths.filter(isObjectUrl)) : undefined };
  } finally {
    store?.close();
  }
}

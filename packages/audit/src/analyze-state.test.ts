import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { generateVaultTraffic } from '../test/traffic.js';
import { analyzeWithState } from './analyze-state.js';
import { openStateStore } from './baseline/sqlite-state.js';

const dir = mkdtempSync(join(tmpdir(), 'svm-audit-state-'));
const lines: string[] = [];
generateVaultTraffic({ days: 1, machines: 2, humans: 2 }, (l) => lines.push(l));
writeFileSync(join(dir, 'audit.log'), `${lines.join('\n')}\n`);

describe('analyzeWithState', () => {
  it('without a state database it is analyzeFiles (no object summary for files)', async () => {
    const { result, objectSummary } = await analyzeWithState(['audit.log'], { cwd: dir, workers: 0 });
    expect(result.events).toBe(lines.length / 2);
    expect(objectSummary).toBeUndefined();
  });

  it('saves the learned baseline in the state file (relative to cwd), and loads it on the next run', async () => {
    await analyzeWithState(['audit.log'], { cwd: dir, workers: 0, state: 'state.db' });
    expect(existsSync(join(dir, 'state.db'))).toBe(true);
    const store = await openStateStore(join(dir, 'state.db'));
    const saved = store.load();
    store.close();
    expect(saved).toBeDefined();
    const again = await analyzeWithState(['audit.log'], { cwd: dir, workers: 0, state: 'state.db' });
    expect(again.result.events).toBe(lines.length / 2);
  });

  it('a run that fails saves nothing and closes the database', async () => {
    await expect(analyzeWithState(['missing.log'], { cwd: dir, workers: 0, state: 'failed.db' })).rejects.toMatchObject(
      { code: 'FILE_NOT_FOUND' },
    );
    const store = await openStateStore(join(dir, 'failed.db'));
    expect(store.load()).toBeUndefined();
    store.close();
  });

  it('with ocsf: one OCSF line per event as analysed, then one per finding (suppressed ones too)', async () => {
    const out = new PassThrough();
    let text = '';
    out.on('data', (d: Buffer) => {
      text += d.toString();
    });
    const { result } = await analyzeWithState(['audit.log'], { cwd: dir, workers: 0, ocsf: out });
    const records = text
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l) as { class_uid: number });
    const findings = result.findings.length + result.suppressed.length;
    expect(records).toHaveLength(result.events + findings);
    expect(new Set(records.slice(result.events).map((r) => r.class_uid)).size).toBeLessThanOrEqual(1);
  });
});

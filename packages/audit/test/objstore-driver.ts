// A scheduled `svm audit analyze <url> --state <db>` run, as the CLI does it (the baseline and the objects read
// are saved together at the end), printing one line per object fetched so a test can SIGKILL it midway.
// With SVM_TEST_FETCH_DELAY_MS, each fetch waits that long (a slow link) so that the kill lands while objects remain.
// Usage: objstore-driver.ts <state.db> <url> [until]
import { setTimeout as sleep } from 'node:timers/promises';
import { analyzeFiles, openObjectStore, openStateStore, toAnalysisJson } from '../src/index.js';

const [db, url, until] = process.argv.slice(2) as [string, string, string | undefined];
const store = await openStateStore(db);
const r = await analyzeFiles([url], {
  baseline: store.load(),
  seen: store.objectsRead,
  ...(until ? { until } : {}),
  objectConcurrency: 1,
  openStore: async (u) => {
    const s = await openObjectStore(u);
    return {
      list: (prefix, o) => s.list(prefix, o),
      get: async (key) => {
        const delay = Number(process.env.SVM_TEST_FETCH_DELAY_MS ?? 0);
        if (delay > 0) await sleep(delay);
        process.stdout.write(`analysed ${key}\n`);
        return s.get(key);
      },
    };
  },
});
store.save(r.snapshot, r.objects);
store.close();
const json = toAnalysisJson(r.result);
process.stdout.write(`${JSON.stringify({ events: r.result.events, findings: json.findings, objects: r.objects })}\n`);

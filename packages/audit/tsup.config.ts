import { svmTsup } from '../../tsup.shared.ts';

// The parse worker is its own entry so worker threads can load it beside the bundle (dist/parse-worker.js
// and .cjs); shims give the CJS build an import.meta.url to find it.
export default svmTsup({ entry: { index: 'src/index.ts', 'parse-worker': 'src/worker/parse-worker.ts' }, shims: true });

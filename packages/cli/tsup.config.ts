import { svmTsup } from '../../tsup.shared.ts';

// bin.ts is the executable's entry (bin/svm.js imports dist/bin.js); ESM output is code-split so each
// command group, and the SDKs it needs, load only when that group runs. index.ts is the programmatic API.
export default svmTsup({ entry: ['src/index.ts', 'src/bin.ts'] });

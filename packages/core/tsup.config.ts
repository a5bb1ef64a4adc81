import { svmTsup } from '../../tsup.shared.ts';

export default svmTsup({ entry: ['src/index.ts', 'src/errors-entry.ts', 'src/base-entry.ts'] });

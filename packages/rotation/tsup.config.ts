import { svmTsup } from '../../tsup.shared.ts';

export default svmTsup({ entry: ['src/index.ts', 'src/plan-entry.ts'] });

import { svmTsup } from '../../tsup.shared.ts';

export default svmTsup();

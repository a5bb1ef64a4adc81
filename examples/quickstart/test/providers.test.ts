import { expect, it } from 'vitest';
import { runExample } from './run-example.ts';

it('runs the @svm/providers quick start as documented', () => {
  expect(runExample('providers', { SVM_FILE_PASSPHRASE: '' })).toBe(
    [
      'versions 1 and 2',
      'true true',
      '2 current enabled',
      '1 previous enabled',
      '3',
      'SECRET_NOT_FOUND',
      'DECRYPT_FAILED',
      '',
    ].join('\n'),
  );
});

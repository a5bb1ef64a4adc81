import { expect, it } from 'vitest';
import { runExample } from './run-example.ts';

it('runs the @svm/policy generator quick start as documented', () => {
  expect(runExample('policy-generate')).toBe(
    [
      '7 policies, 9 auth roles',
      '17 engine objects; database/config/payments-pg password from aws-sm://eu-west-1',
      'lint: 0 findings at medium or above',
      'secret/data/production/payment-service/api-keys: allowed',
      'secret/data/staging/payment-service/api-keys: denied',
      'sys/mounts: denied',
      'terraform/vault.tf',
      'github-actions/ci-deployer-production.yml',
      'github-actions/ci-deployer-staging.yml',
      '',
    ].join('\n'),
  );
});

import { describe, expect, it } from 'vitest';
import { parsePolicy } from '../parse/parse-policy.js';
import { samplePath, samplePaths } from './sample-paths.js';

describe('samplePath', () => {
  it('fills + segments and a trailing glob', () => {
    expect(samplePath('secret/data/+/db*')).toBe('secret/data/svm-sample/db/svm-sample');
    expect(samplePath('secret/data/app/*')).toBe('secret/data/app/svm-sample');
    expect(samplePath('sys/seal')).toBe('sys/seal');
    expect(samplePath('*')).toBe('svm-sample');
  });
  it('takes the segment, glob and separator from the options', () => {
    expect(samplePath('secret/data/+/app*', { segment: 'prod', glob: 'demo', separator: '-' })).toBe(
      'secret/data/prod/app-demo',
    );
    expect(samplePath('secret/data/+/*', { segment: 'prod', glob: 'demo', separator: '-' })).toBe(
      'secret/data/prod/demo',
    );
  });
});

describe('samplePaths', () => {
  it('gives the pattern and a path below each glob, sorted, skipping templated rules', () => {
    const p = parsePolicy(
      'path "secret/data/app/*" { capabilities = ["read"] }\npath "sys/+/x" { capabilities = ["read"] }\npath "secret/data/{{identity.entity.name}}/*" { capabilities = ["read"] }',
      { name: 'p' },
    );
    expect(samplePaths([p])).toEqual(['secret/data/app/', 'secret/data/app/svm-sample', 'sys/svm-sample/x']);
  });
});

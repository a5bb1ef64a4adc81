import { describe, expect, it } from 'vitest';
import { checkContainFlags } from './contain-command.js';

describe('checkContainFlags', () => {
  it('takes --secret with --since and --audit, or --store with --all, and names what is missing', () => {
    const secret = ['file://./s.svm', 'db'];
    expect(checkContainFlags({ secret, since: '2026-03-01', audit: ['a.log'] })).toBe('secret');
    expect(checkContainFlags({ store: 'file://./s.svm', all: true })).toBe('store');
    expect(() => checkContainFlags({ secret, audit: ['a.log'] })).toThrow('--secret needs --since <time> and --audit');
    expect(() => checkContainFlags({ secret, since: '2026-03-01' })).toThrow('--secret needs --since');
    expect(() => checkContainFlags({ secret, since: 'soon', audit: ['a.log'] })).toThrow(
      '--since: expected an ISO 8601',
    );
    expect(() => checkContainFlags({ secret, since: '2026-03-01', until: 'x', audit: ['a.log'] })).toThrow('--until:');
    expect(() => checkContainFlags({ store: 'file://./s.svm' })).toThrow('takes --store <uri> --all');
    expect(() => checkContainFlags({ all: true })).toThrow('takes --store <uri> --all');
    expect(() => checkContainFlags({ store: 'file://./s.svm', all: true, secret })).toThrow('and no --secret');
    expect(() => checkContainFlags({})).toThrow('--secret: expected a store URI and a secret name');
  });
});

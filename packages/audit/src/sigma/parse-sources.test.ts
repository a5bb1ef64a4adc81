import { describe, expect, it } from 'vitest';
import { parseSigmaSources } from './fields.js';

describe('parseSigmaSources', () => {
  it('splits comma-separated and repeated values, trimming each', () => {
    expect(parseSigmaSources(['vault, gcp', 'azure'])).toEqual(['vault', 'gcp', 'azure']);
    expect(parseSigmaSources(['openbao'])).toEqual(['openbao']);
    expect(parseSigmaSources(undefined)).toBeUndefined();
  });

  it('names the valid sources when one is unknown (an empty item too)', () => {
    expect(() => parseSigmaSources(['vault,splunk'])).toThrow(
      "--source: expected one of vault, openbao, cloudtrail, gcp, azure, got 'splunk'",
    );
    expect(() => parseSigmaSources(['vault,'])).toThrow(/got ''$/);
  });
});

import { describe, expect, it } from 'vitest';
import { incidentFromFlags } from './from-flags.js';

describe('incidentFromFlags', () => {
  it('checks signals and credential and takes the detection time', () => {
    const now = new Date('2026-03-01T12:00:00Z');
    expect(incidentFromFlags({ signal: ['public-repo'], credential: 'api-key', regulated: true }, now)).toEqual({
      signals: ['public-repo'],
      credential: 'api-key',
      secret: undefined,
      detectedAt: now,
      regulatedData: true,
      customerData: undefined,
    });
    const at = incidentFromFlags({
      signal: ['public-repo'],
      credential: 'api-key',
      detectedAt: '2026-03-01T10:00:00Z',
    });
    expect(at.detectedAt.toISOString()).toBe('2026-03-01T10:00:00.000Z');
  });

  it('refuses a detection time that is not an ISO date-time, naming the flag', () => {
    for (const detectedAt of ['yesterday', '2026-03-01', '2026-13-45T00:00:00Z'])
      expect(() => incidentFromFlags({ signal: ['public-repo'], credential: 'api-key', detectedAt })).toThrow(
        `--detected-at: expected an ISO 8601 date-time such as 2026-03-01T10:00:00Z, got '${detectedAt}'`,
      );
    expect(() => incidentFromFlags({ signal: ['nope'], credential: 'api-key' })).toThrow();
  });
});

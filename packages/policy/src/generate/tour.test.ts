import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Requirements } from '@svm/core';
import { describe, expect, it } from 'vitest';
import { loadPolicies } from '../parse/load-policies.js';
import { generateTour } from './tour.js';

const requirements = Requirements.parse({
  applications: [
    { name: 'web', auth: [{ method: 'approle' }], secrets: [{ kind: 'kv', path: 'config', access: ['read'] }] },
    { name: 'api', auth: [{ method: 'approle' }], secrets: [{ kind: 'kv', path: 'keys', access: ['read'] }] },
  ],
});

describe('generateTour', () => {
  it('writes the HCL policies into policiesDir, the rest under generatedDir, and proves them', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'svm-generate-tour-'));
    const policiesDir = join(dir, 'policies');
    const { ok, lines } = await generateTour(requirements, { policiesDir, generatedDir: join(dir, 'generated') });
    expect(ok).toBe(true);
    const policies = await loadPolicies([policiesDir]);
    expect(policies.length).toBe(2);
    expect(readdirSync(join(dir, 'generated')).length).toBeGreaterThan(0);
    expect(lines).toHaveLength(4);
    expect(lines[0]).toBe('2 applications from requirements.yaml → 2 policies, 2 auth roles (approle)');
    expect(lines[1]).toMatch(new RegExp(`^wrote 2 HCL policies to ${policiesDir} and \\d+ more files`));
    expect(lines[2]).toMatch(/^lint: nothing at medium or above, \d+ low\/info$/);
    expect(lines[3]).toMatch(/^engine check: \d+ required requests allowed, \d+ neighbouring requests denied$/);
  });
});

import { requireService } from '@svm/test-harness';
import { describe, expect, it } from 'vitest';
import { doctorFromFlags } from './from-flags.js';

const bao = requireService('openbao');

describe('doctorFromFlags', () => {
  it('a missing token is a usage error naming the policy the token needs, before any request', async () => {
    const log: string[] = [];
    await expect(
      doctorFromFlags({ addr: 'http://127.0.0.1:9', failOn: 'high' }, { env: {}, log: (m) => log.push(m) }),
    ).rejects.toThrow('DOCTOR_POLICY_HCL');
    expect(log).toEqual([]);
  });

  it.skipIf(!bao)('checks the server --addr names, and the exit code follows --fail-on', async () => {
    const env = { VAULT_TOKEN: bao?.token };
    const log: string[] = [];
    const none = await doctorFromFlags({ addr: bao?.addr, failOn: 'none' }, { env, log: (m) => log.push(m) });
    expect(log).toEqual([`Checking ${bao?.addr}…`]);
    expect(none.exitCode).toBe(0);
    expect(none.report.findings.length).toBeGreaterThan(0);
    const info = await doctorFromFlags({ addr: bao?.addr, failOn: 'info' }, { env });
    expect(info.exitCode).toBe(1);
  });
});

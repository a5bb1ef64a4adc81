/**
 * `password-spray` end to end: a generated Vault audit log (one address failing userpass logins for many users,
 * once each) through analyzeFiles, as `svm audit analyze` reads it.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { analyzeFiles } from '../src/index.js';

const T0 = Date.parse('2026-03-03T12:00:00Z');

/** A failed userpass login for `user` from `ip` at `ms`: Vault's request and response entries. */
function failedLogin(user: string, ip: string, ms: number, n: number): string[] {
  const time = new Date(ms).toISOString();
  const request = {
    id: `5f0c1b2a-0000-4000-8000-${String(n).padStart(12, '0')}`,
    operation: 'update',
    mount_point: 'auth/userpass/',
    mount_type: 'userpass',
    mount_class: 'auth',
    namespace: { id: 'root' },
    path: `auth/userpass/login/${user}`,
    data: { password: 'hmac-sha256:0f1e2d3c4b5a69788796a5b4c3d2e1f00f1e2d3c4b5a69788796a5b4c3d2e1f0' },
    remote_address: ip,
    remote_port: 40000 + n,
  };
  const auth = { policy_results: { allowed: true }, token_type: 'default' };
  return [
    JSON.stringify({ time, type: 'request', auth, request }),
    JSON.stringify({ time, type: 'response', auth, request, response: {}, error: 'invalid username or password' }),
  ];
}

describe('password-spray through analyzeFiles (Vault audit log)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'svm-spray-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('one address failing once for each of 12 users is one spray finding and no failed-auth', async () => {
    const lines = [
      ...Array.from({ length: 12 }, (_, i) => failedLogin(`user${i}`, '185.220.101.7', T0 + i * 20_000, i)),
      // Another address failing for 9 users: below the threshold.
      ...Array.from({ length: 9 }, (_, i) => failedLogin(`user${i}`, '203.0.113.9', T0 + i * 20_000 + 5, 100 + i)),
    ].flat();
    const file = join(dir, 'vault-audit.log');
    writeFileSync(file, `${lines.join('\n')}\n`);
    const { result } = await analyzeFiles([file], { source: 'vault' });
    const auth = result.findings.filter((f) => f.rule === 'password-spray' || f.rule === 'failed-auth');
    expect(auth).toHaveLength(1);
    expect(auth[0]).toMatchObject({
      rule: 'password-spray',
      severity: 'high',
      sourceIp: '185.220.101.7',
      identity: null,
      path: 'auth/userpass/login/',
      count: 12,
      time: new Date(T0).toISOString(),
      lastTime: new Date(T0 + 11 * 20_000).toISOString(),
    });
    expect(auth[0]?.evidence).toMatchObject({ distinctIdentities: 12 });
    expect((auth[0]?.evidence as { identities?: string[] } | undefined)?.identities).toContain('userpass-user11');
  });
});

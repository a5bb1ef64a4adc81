// scripts/services.sh itself (issue 11): `status` exits non-zero unless every requested server is healthy,
// so test-all.sh can tell what it starts, and `down <name>` stops exactly that server. Run against a
// scratch state directory and another port, reusing the shared venv read-only: the shared servers that
// every test uses are never touched.
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, realpathSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../../..', import.meta.url));
const SCRIPT = join(ROOT, 'scripts/services.sh');
const SHARED_VENV = join(ROOT, '.svm-services/venv');
const haveMoto = existsSync(join(SHARED_VENV, 'bin/moto_server'));

const freePort = (): Promise<number> =>
  new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });

const portOpen = (port: number): Promise<boolean> =>
  new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(true));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(false)));
  });

async function services(
  env: Record<string, string>,
  ...args: string[]
): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await promisify(execFile)('bash', [SCRIPT, ...args], {
      env: { ...process.env, CI: '', ...env },
      timeout: 90_000,
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof e.code === 'number' ? e.code : -1, stdout: e.stdout ?? '', stderr: e.stderr ?? '' };
  }
}

describe('scripts/services.sh', () => {
  it('status exits 1 when the requested servers are down (a clean machine), and names what it expects', async () => {
    const env = {
      SVM_SERVICES_STATE: mkdtempSync(join(tmpdir(), 'svm-services-')),
      SVM_MOTO_PORT: String(await freePort()),
      SVM_OPENBAO_PORT: String(await freePort()),
    };
    const all = await services(env, 'status');
    expect(all.code).toBe(1);
    expect(all.stdout).toMatch(/^moto +down$/m);
    expect((await services(env, 'status', 'moto')).code).toBe(1);
    expect((await services(env, 'status', 'nope')).code).toBe(2);
    expect((await services({ ...env, SVM_SERVICES_SKIP: 'openbao,lowkey,gcp,postgres' }, 'names')).stdout).toBe(
      'moto\n',
    );
  });

  it.skipIf(!haveMoto)(
    'up / status / down of one server on its own port and state dir; the shared servers stay',
    async () => {
      const port = await freePort();
      const env = {
        SVM_SERVICES_STATE: mkdtempSync(join(tmpdir(), 'svm-services-')),
        SVM_SERVICES_VENV: realpathSync(SHARED_VENV),
        SVM_MOTO_PORT: String(port),
      };
      const sharedBefore = await services({}, 'status', 'moto');
      try {
        expect((await services(env, 'up', 'moto')).code).toBe(0);
        expect((await services(env, 'status', 'moto')).code).toBe(0);
        // Not every requested server is up: non-zero, so a caller knows it has something to start.
        expect((await services(env, 'status', 'moto', 'openbao')).code).toBe(1);
        expect((await services(env, 'stopped', 'moto')).code).toBe(1);
      } finally {
        await services(env, 'down', 'moto');
      }
      expect((await services(env, 'stopped', 'moto')).code).toBe(0);
      expect((await services(env, 'status', 'moto')).code).toBe(1);
      expect(await portOpen(port)).toBe(false);
      // The shared moto (default state dir and port) is exactly as it was.
      expect((await services({}, 'status', 'moto')).code).toBe(sharedBefore.code);
    },
    120_000,
  );
});

// Node >= 20 is supported: an aws-sm:// command must not print the AWS SDK's Node-version warning
// (NodeVersionSupportWarning, 8 lines on stderr) — issue 11. Runs the real CLI process against moto.
import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { requireService } from '@svm/test-harness';
import { describe, expect, it } from 'vitest';

const moto = requireService('moto');
const cliDir = fileURLToPath(new URL('..', import.meta.url));

function svm(args: string[], env: Record<string, string>, stdin: string): Promise<{ code: number; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = execFile(
      process.execPath,
      ['--conditions=@svm/source', '--import', 'tsx', 'src/bin.ts', ...args],
      {
        cwd: cliDir,
        env: { PATH: process.env.PATH, AWS_ACCESS_KEY_ID: 'test', AWS_SECRET_ACCESS_KEY: 'test', ...env },
      },
      (error, _stdout, stderr) => {
        const code = error
          ? typeof (error as { code?: unknown }).code === 'number'
            ? (error as { code: number }).code
            : -1
          : 0;
        resolve({ code, stderr });
      },
    );
    child.on('error', reject);
    child.stdin?.end(stdin);
  });
}

describe.skipIf(!moto)('aws-sm:// commands on Node 20', () => {
  const uri = moto ? `aws-sm://${moto.region}?endpoint=${moto.endpoint}` : '';

  it('print no AWS SDK Node-version warning, with or without --quiet', async () => {
    const name = `svm-quiet-${randomUUID().slice(0, 8)}`;
    const put = await svm(['secret', 'put', uri, name, '--value-stdin'], {}, 'v1');
    expect(put.code).toBe(0);
    expect(put.stderr).not.toMatch(/NodeVersionSupportWarning|AWS SDK for JavaScript/);
    const get = await svm(['--quiet', 'secret', 'get', uri, name], {}, '');
    expect(get.code).toBe(0);
    expect(get.stderr).toBe('');
  });

  it('the SDK switch stays the user’s: set to false, the warning shows (so the check above can fail)', async () => {
    const r = await svm(
      ['secret', 'list', uri, 'svm-quiet-'],
      { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'false' },
      '',
    );
    expect(r.code).toBe(0);
    if (Number(process.versions.node.split('.')[0]) < 22) expect(r.stderr).toContain('NodeVersionSupportWarning');
  });
});

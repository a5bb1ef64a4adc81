// Every published package's tarball carries the MIT LICENSE its package.json names (issue 11), checked on
// the file list `pnpm pack` itself produces.
import { execFile } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../../..', import.meta.url));
const published = readdirSync(join(ROOT, 'packages'))
  .map((dir) => join(ROOT, 'packages', dir))
  .filter((dir) => existsSync(join(dir, 'package.json')))
  .filter((dir) => JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')).private !== true);

describe('published packages', () => {
  const rootLicense = readFileSync(join(ROOT, 'LICENSE'), 'utf8');

  it('the root LICENSE is the MIT licence', () => {
    expect(rootLicense).toMatch(/^MIT License\n/);
    expect(published.length).toBeGreaterThanOrEqual(6);
  });

  it.each(published.map((dir) => [dir.slice(ROOT.length), dir]))(
    '%s: MIT, with the root LICENSE in its tarball',
    async (_name, dir) => {
      const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
      expect(pkg.license).toBe('MIT');
      expect(readFileSync(join(dir, 'LICENSE'), 'utf8')).toBe(rootLicense);
      const { stdout } = await promisify(execFile)('pnpm', ['pack', '--dry-run', '--json'], {
        cwd: dir,
        timeout: 60_000,
      });
      const files = (JSON.parse(stdout) as { files: Array<{ path: string }> }).files.map((f) => f.path);
      expect(files).toContain('LICENSE');
    },
  );
});

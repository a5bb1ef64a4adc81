import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));

/** Run one quick-start script with tsx against the packages' sources and return its stdout. */
export function runExample(name: string, env: Record<string, string> = {}): string {
  return execFileSync(process.execPath, ['--import', 'tsx', '--conditions=@svm/source', `src/${name}.ts`], {
    cwd: root,
    env: { ...process.env, ...env },
    encoding: 'utf8',
  });
}

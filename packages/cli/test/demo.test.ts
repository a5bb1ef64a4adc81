import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';
import { runCli } from './run-cli.ts';

const examples = fileURLToPath(new URL('../../../examples/quickstart/data', import.meta.url));

it('svm demo runs every step on the embedded defaults and prints no secret value', async () => {
  const r = await runCli(['--json', 'demo', '--examples', examples, '--now', '2026-11-25'], {
    env: { PATH: process.env.PATH, SVM_FILE_SCRYPT_COST: '16384' },
  });
  expect(r.code).toBe(0);
  const { steps } = JSON.parse(r.stdout) as { steps: Array<{ name: string; status: string; lines: string[] }> };
  expect(steps.map((s) => [s.name, s.status])).toEqual([
    ['policy generate', 'ok'],
    ['policy eval', 'ok'],
    ['rotation plan', 'ok'],
    ['audit analyze', 'ok'],
    ['secret put/get', 'ok'],
  ]);
  for (const s of steps) expect(s.lines.length).toBeGreaterThanOrEqual(3);
});

it('svm demo names a missing examples folder in one line', async () => {
  const r = await runCli(['demo', '--examples', '/nonexistent/svm-examples']);
  expect(r.code).toBe(2);
  expect(r.stderr).toBe(
    'svm: error: no example inputs found at /nonexistent/svm-examples; pass --examples <dir> (a folder like examples/quickstart/data)\n',
  );
});

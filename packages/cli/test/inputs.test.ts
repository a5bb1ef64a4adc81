// Every command reads its files the same way (packages/cli/src/internal/input.ts): one wording for a missing file,
// its own message for a symlink loop, FIFOs and /dev/fd/N read as streams, relative paths from the user's directory.
import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, createWriteStream, mkdirSync, mkdtempSync, readFileSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { userCwd } from '../src/internal/input.ts';
import { runCli } from './run-cli.ts';

const DATA = fileURLToPath(new URL('../../../examples/quickstart/data/', import.meta.url));
const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

function tmp(): string {
  const dir = mkdtempSync(join(tmpdir(), 'svm-cli-inputs-'));
  copyFileSync(join(DATA, 'inventory.yaml'), join(dir, 'inventory.yaml'));
  copyFileSync(join(DATA, 'requirements.yaml'), join(dir, 'requirements.yaml'));
  copyFileSync(join(DATA, 'vault-audit.log'), join(dir, 'audit.log'));
  mkdirSync(join(dir, 'policies'));
  copyFileSync(join(DATA, 'policies', 'payments-api.hcl'), join(dir, 'policies', 'payments-api.hcl'));
  symlinkSync('loop-b', join(dir, 'loop-a'));
  symlinkSync('loop-a', join(dir, 'loop-b'));
  return dir;
}

/** Every command that reads a user file, with `F` where the file goes. */
const READERS: Array<[string, string[]]> = [
  ['rotation plan', ['rotation', 'plan', 'F']],
  ['inventory validate', ['inventory', 'validate', 'F']],
  ['policy lint', ['policy', 'lint', 'F']],
  ['policy fmt', ['policy', 'fmt', 'F']],
  ['policy eval --policy', ['policy', 'eval', '--policy', 'F', '--path', 'a']],
  ['policy eval --batch', ['policy', 'eval', '--policy', 'policies', '--batch', 'F']],
  ['policy generate', ['policy', 'generate', 'F']],
  ['audit analyze', ['audit', 'analyze', 'F']],
  ['audit report --inventory', ['audit', 'report', 'audit.log', '--type', 'rotation', '--inventory', 'F']],
  ['secret put --from-file', ['secret', 'put', 'file://store.svm', 'app/x', '--from-file', 'F']],
];

const withFile = (argv: string[], file: string) => argv.map((a) => (a === 'F' ? file : a));

describe('a missing file is worded one way by every command', () => {
  const dir = tmp();
  it.each(READERS)('%s', async (_name, argv) => {
    const r = await runCli(withFile(argv, 'nope.txt'), {
      cwd: dir,
      env: { PATH: process.env.PATH, SVM_FILE_PASSPHRASE: 'pw-inputs-test' },
    });
    expect(r.stderr).toBe('svm: error: nope.txt: no such file or directory\n');
    expect(r.code).toBe(2);
  });
});

describe('a symlink loop says so', () => {
  const dir = tmp();
  it.each(READERS)('%s', async (_name, argv) => {
    const r = await runCli(withFile(argv, 'loop-a'), {
      cwd: dir,
      env: { PATH: process.env.PATH, SVM_FILE_PASSPHRASE: 'pw-inputs-test' },
    });
    expect(r.stderr).toBe('svm: error: loop-a: too many levels of symbolic links (a symlink loop?)\n');
    expect(r.code).toBe(2);
    const json = await runCli(['--json', ...withFile(argv, 'loop-a')], {
      cwd: dir,
      env: { PATH: process.env.PATH, SVM_FILE_PASSPHRASE: 'pw-inputs-test' },
    });
    expect(JSON.parse(json.stdout).error).toMatchObject({ code: 'FILE_UNREADABLE', file: 'loop-a' });
  });
});

describe('FIFOs are read as streams', () => {
  const cases: Array<[string, string[], string, RegExp]> = [
    ['rotation plan', ['rotation', 'plan', 'F', '--now', '2026-03-01', '--json'], 'inventory.yaml', /"items"/],
    ['inventory validate', ['inventory', 'validate', 'F'], 'inventory.yaml', /valid, 20 secrets/],
    ['policy lint', ['policy', 'lint', 'F', '--fail-on', 'none'], 'policies/payments-api.hcl', /finding|no findings/],
    [
      'policy eval --policy',
      ['policy', 'eval', '--policy', 'F', '--path', 'secret/data/payments/x', '--json'],
      'policies/payments-api.hcl',
      /"allowed"/,
    ],
    ['policy generate', ['policy', 'generate', 'F'], 'requirements.yaml', /path "/],
    ['audit analyze', ['audit', 'analyze', 'F', '--fail-on', 'none'], 'audit.log', /742 lines, 371 events/],
  ];
  it.each(cases)('%s', async (_name, argv, source, expected) => {
    const dir = tmp();
    const fifo = join(dir, 'fifo');
    execFileSync('mkfifo', [fifo]);
    // Opening a FIFO for writing blocks until the reader opens it: write from the thread pool meanwhile.
    const writer = createWriteStream(fifo);
    writer.end(readFileSync(join(dir, source)));
    const r = await runCli(withFile(argv, 'fifo'), { cwd: dir });
    expect(r.stderr).not.toMatch(/no such file/);
    expect(r.stdout).toMatch(expected);
    expect(r.code).toBe(0);
  });

  it('<(command) process substitution and /dev/stdin work through the real binary', () => {
    const bin = join(ROOT, 'packages/cli/bin/svm.js');
    const sub = spawnSync(
      'bash',
      ['-c', `node ${bin} audit analyze <(cat ${join(DATA, 'vault-audit.log')}) --fail-on none`],
      { encoding: 'utf8' },
    );
    expect(sub.stderr).toBe('');
    expect(sub.stdout).toMatch(/^742 lines, 371 events/);
    const stdin = spawnSync(
      'bash',
      ['-c', `node ${bin} inventory validate /dev/stdin < ${join(DATA, 'inventory.yaml')}`],
      { encoding: 'utf8' },
    );
    expect(stdin.stdout).toBe('/dev/stdin: valid, 20 secrets\n');
  });
});

describe('relative paths resolve from the directory the user typed the command in', () => {
  it('pnpm svm: INIT_CWD is the user directory (pnpm runs the script from the checkout root)', () => {
    expect(userCwd({ npm_lifecycle_event: 'svm', INIT_CWD: '/home/me/project' }, '/src/svm')).toBe('/home/me/project');
    // Another script (a test run) that spawns svm keeps the process directory.
    expect(userCwd({ npm_lifecycle_event: 'test', INIT_CWD: '/home/me/project' }, '/tmp/x')).toBe('/tmp/x');
    expect(userCwd({}, '/tmp/x')).toBe('/tmp/x');
  });

  it('`pnpm svm inventory validate inventory.yaml` from another directory reads that directory', () => {
    const dir = tmp();
    const r = spawnSync('pnpm', ['--dir', ROOT, '--silent', 'svm', 'inventory', 'validate', 'inventory.yaml'], {
      cwd: dir,
      encoding: 'utf8',
    });
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe('inventory.yaml: valid, 20 secrets\n');
  });
});

describe('deeply nested input says what is wrong', () => {
  it('inventory validate: "nesting deeper than 256 levels", exit 2, one line', async () => {
    const r = await runCli(['inventory', 'validate', '-'], {
      stdin: `secrets: ${'['.repeat(5000)}${']'.repeat(5000)}\n`,
    });
    expect(r.stderr).toBe('svm: error: <stdin>:1:266: invalid YAML: nesting deeper than 256 levels\n');
    expect(r.code).toBe(2);
  });
});

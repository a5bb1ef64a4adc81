import { describe, expect, it } from 'vitest';
import { runCli } from './run-cli.ts';

describe('help texts say what the commands do', () => {
  it('svm secret --help and svm --help name every secret subcommand, stage and destroy included', async () => {
    const group = await runCli(['secret', '--help']);
    const summary = (group.stdout.split('\n\n')[1] ?? '').replace(/\s+/g, ' ');
    const subcommands = [...group.stdout.matchAll(/^ {2}([a-z-]+) \[options\]/gm)].map((m) => m[1] as string);
    expect(subcommands).toEqual(expect.arrayContaining(['stage', 'destroy']));
    for (const name of subcommands) expect(summary).toContain(name);
    const root = await runCli(['--help']);
    expect(root.stdout.replace(/\s+/g, ' ')).toMatch(/secret .*stage, delete, destroy/);
  });

  it('policy who-can --help has examples and exit codes like the other commands', async () => {
    const r = await runCli(['policy', 'who-can', '--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/\nExit codes: 0 .*2 on usage/);
    expect(r.stdout).toMatch(/\nExamples:\n {2}svm policy who-can /);
  });

  it('audit analyze --workers help says cores − 1 (as analyzeFiles does), and lists the exit codes', async () => {
    const r = await runCli(['audit', 'analyze', '--help']);
    r.stdout = r.stdout.replace(/\s+/g, ' ');
    expect(r.stdout).toMatch(/--workers <n>\s+parse worker threads \(default for inputs over 32 MiB: cores − 1/);
    expect(r.stdout).not.toMatch(/one per core/);
    expect(r.stdout).toMatch(/Exit codes: 0 ok · 1 .* 2 usage or input error, or an input damaged/);
  });
});

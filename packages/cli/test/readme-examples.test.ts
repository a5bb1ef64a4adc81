// Every `svm …` line in a shell code block of the READMEs (root and packages) runs here, through the real binary in a
// shell, against the example data, so the examples cannot rot. A line is skipped only when it is a synopsis
// (`<arg>`, `[--flag]`, `…`) or needs a cloud or remote store; the skipped lines are listed, so a new runnable
// example is never silently left out. The TypeScript quick starts run in examples/quickstart (their own tests).
import { spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, cpSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const DATA = join(ROOT, 'examples/quickstart/data');
const READMES = [
  'README.md',
  ...['audit', 'cli', 'core', 'policy', 'providers', 'rotation'].map((p) => `packages/${p}/README.md`),
];

interface Example {
  readme: string;
  line: number;
  command: string;
}

/** `svm` lines in ```sh/bash/shell/console blocks (and untagged blocks), with their README line numbers. */
function examples(): Example[] {
  const out: Example[] = [];
  for (const readme of READMES) {
    const lines = readFileSync(join(ROOT, readme), 'utf8').split('\n');
    let inShell = false;
    let fence = false;
    lines.forEach((text, i) => {
      const open = /^```(\w*)\s*$/.exec(text);
      if (open) {
        if (!fence) inShell = ['', 'sh', 'bash', 'shell', 'console'].includes(open[1] ?? '');
        fence = !fence;
        return;
      }
      const command = text.replace(/^\$ /, '').trim();
      if (fence && inShell && /^(pnpm )?svm\b/.test(command)) out.push({ readme, line: i + 1, command });
    });
  }
  return out;
}

/** Why an example cannot run here, or undefined when it runs. */
function skipReason(command: string): string | undefined {
  const code = command.replace(/\s+#.*$/, '');
  if (/<[a-z]|\[|…/.test(code)) return 'synopsis';
  if (/\b(vault|vault\+http|aws-sm|gcp-sm|azure-kv|s3|gs|azblob):\/\//.test(code)) return 'needs a remote store';
  return undefined;
}

function workspace(): { dir: string; env: Record<string, string | undefined> } {
  const dir = mkdtempSync(join(tmpdir(), 'svm-readme-'));
  cpSync(join(DATA, 'policies'), join(dir, 'policies'), { recursive: true });
  for (const f of ['requirements.yaml', 'inventory.yaml']) copyFileSync(join(DATA, f), join(dir, f));
  copyFileSync(join(DATA, 'inventory-original.json'), join(dir, 'secrets.json'));
  writeFileSync(
    join(dir, 'inventory.csv'),
    'name,type,store,last_rotated,owner\nprod-db-password,database,vault,2026-01-15,payments-team\n',
  );
  writeFileSync(join(dir, 'password.txt'), 'example-password\n');
  const bin = join(dir, '.bin');
  mkdirSync(bin);
  writeFileSync(
    join(bin, 'svm'),
    `#!/bin/sh\nexec node ${JSON.stringify(join(ROOT, 'packages/cli/bin/svm.js'))} "$@"\n`,
  );
  chmodSync(join(bin, 'svm'), 0o755);
  return {
    dir,
    env: {
      PATH: `${bin}:${process.env.PATH}`,
      HOME: dir,
      SVM_FILE_PASSPHRASE: 'readme-example-passphrase',
      NO_COLOR: '1',
    },
  };
}

/** Paths the READMEs use that stand for the user's own files. */
function localize(command: string): string {
  return command.replace(/\/var\/log\/vault\/audit\.log/g, JSON.stringify(join(DATA, 'vault-audit.log')));
}

const all = examples();
const runnable = all.filter((e) => skipReason(e.command) === undefined);

describe('README examples', () => {
  it('finds the examples (and skips only synopses and remote stores)', () => {
    expect(runnable.length).toBeGreaterThanOrEqual(10);
    for (const e of all.filter((x) => skipReason(x.command) !== undefined))
      expect(['synopsis', 'needs a remote store']).toContain(skipReason(e.command));
  });

  // One workspace for all, in README order: `secret get` reads what `secret put` wrote.
  const ws = workspace();
  it.each(runnable.map((e) => [`${e.readme}:${e.line}`, e.command] as const))('%s: %s', (_where, command) => {
    const r = spawnSync('bash', ['-c', localize(command)], {
      cwd: ws.dir,
      env: ws.env,
      input: /--value-stdin/.test(command) ? 'example-value\n' : '',
      encoding: 'utf8',
      timeout: 60_000,
    });
    // 0, or 1 for findings at --fail-on / drift / stale output: the documented "it worked and found something".
    expect({ status: r.status, stderr: r.stderr.split('\n').filter((l) => /error/.test(l)) }).toMatchObject({
      status: expect.toSatisfy((s: number) => s === 0 || s === 1),
      stderr: [],
    });
  });
});

describe('README dependency graph', () => {
  it('states each package’s @svm dependencies as its package.json declares them', () => {
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    const block = /<!-- dependency-graph -->\n([\s\S]*?)<!-- \/dependency-graph -->/.exec(readme)?.[1] ?? '';
    const stated = Object.fromEntries(
      [...block.matchAll(/^- `@svm\/([a-z-]+)`: (.*)$/gm)].map((m) => [
        m[1],
        (m[2] ?? '')
          .replace(/\s*\([^)]*\)/g, '')
          .split(/,\s*/)
          .filter((d) => d !== 'none')
          .sort(),
      ]),
    );
    const actual: Record<string, string[]> = {};
    for (const name of ['core', 'policy', 'providers', 'rotation', 'audit', 'cli']) {
      const pkg = JSON.parse(readFileSync(join(ROOT, 'packages', name, 'package.json'), 'utf8')) as Record<
        string,
        Record<string, string> | undefined
      >;
      const deps = { ...pkg['dependencies'], ...pkg['optionalDependencies'], ...pkg['peerDependencies'] };
      actual[name] = Object.keys(deps)
        .filter((d) => d.startsWith('@svm/'))
        .map((d) => d.slice(5))
        .sort();
    }
    expect(stated).toEqual(actual);
  });
});

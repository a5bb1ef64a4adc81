import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { requireService } from '@svm/test-harness';
import { beforeAll, describe, expect, it } from 'vitest';
import { type CliRun, runCli } from './run-cli.ts';

const PASS = 'correct horse battery staple';
/** The canary: it must never appear in any output unless --reveal is given. */
const CANARY = 'CANARY-s3cr3t-7f9c2e-ünïcode';
const CANARY_2 = 'CANARY-second-version-41d0';

function workspace(): { dir: string; store: string; env: Record<string, string | undefined> } {
  const dir = mkdtempSync(join(tmpdir(), 'svm-secret-cli-'));
  // A lower scrypt cost for stores the tests create (the default, 2^17, is exercised by the demo and the lazy-loading test).
  return {
    dir,
    store: `file://${join(dir, 'store.svm')}`,
    env: { PATH: process.env.PATH, SVM_FILE_PASSPHRASE: PASS, SVM_FILE_SCRYPT_COST: '16384' },
  };
}

/** Make runs comparable across machines: temp paths and timestamps replaced. */
function normalize(text: string, dir: string): string {
  return text
    .split(dir)
    .join('<dir>')
    .replace(/\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z/g, '<time>');
}

describe('svm secret on the file store', () => {
  const w = workspace();
  const cli = (argv: string[], stdin?: string, env = w.env): Promise<CliRun> =>
    runCli(argv, { stdin, env, cwd: w.dir });

  beforeAll(async () => {
    expect((await cli(['secret', 'put', w.store, 'app/db', '--value-stdin'], `${CANARY}\n`)).stdout).toBe('1\n');
  });

  it('put prints the new version id alone; JSON has name, version and stages', async () => {
    writeFileSync(join(w.dir, 'v2.txt'), CANARY_2);
    const r = await cli(['secret', 'put', w.store, 'app/db', '--from-file', 'v2.txt', '--json']);
    expect(r.code).toBe(0);
    expect(JSON.parse(normalize(r.stdout, w.dir))).toMatchInlineSnapshot(`
      {
        "name": "app/db",
        "stages": [
          "current",
        ],
        "store": "file://<dir>/store.svm",
        "version": "2",
      }
    `);
  });

  it('get shows metadata and never the value', async () => {
    const text = await cli(['secret', 'get', w.store, 'app/db']);
    expect(text.code).toBe(0);
    expect(normalize(text.stdout, w.dir)).toMatchInlineSnapshot(`
      "name     app/db
      version  2
      stages   current
      created  <time>
      value    (hidden; --reveal prints it)
      "
    `);
    const json = await cli(['secret', 'get', w.store, 'app/db', '--stage', 'previous', '--json']);
    expect(JSON.parse(normalize(json.stdout, w.dir))).toMatchInlineSnapshot(`
      {
        "createdAt": "<time>",
        "name": "app/db",
        "stages": [
          "previous",
        ],
        "store": "file://<dir>/store.svm",
        "version": "1",
      }
    `);
  });

  it('get --reveal prints the value alone, or {"value"} with --json', async () => {
    expect((await cli(['secret', 'get', w.store, 'app/db', '--reveal'])).stdout).toBe(CANARY_2);
    expect((await cli(['secret', 'get', w.store, 'app/db', '--version', '1', '--reveal'])).stdout).toBe(CANARY);
    const json = await cli(['secret', 'get', w.store, 'app/db', '--stage', 'previous', '--reveal', '--json']);
    expect(JSON.parse(json.stdout)).toEqual({ value: CANARY });
  });

  it('list and versions render tables and JSON', async () => {
    await cli(['secret', 'put', w.store, 'app/api-key', '--value-stdin'], 'k-1');
    await cli(['secret', 'put', w.store, 'other', '--value-stdin'], 'o-1');
    const list = await cli(['secret', 'list', w.store, 'app/']);
    expect(normalize(list.stdout, w.dir)).toMatchInlineSnapshot(`
      "NAME         UPDATED
      app/api-key  <time>
      app/db       <time>
      "
    `);
    const versions = await cli(['secret', 'versions', w.store, 'app/db']);
    expect(normalize(versions.stdout, w.dir)).toMatchInlineSnapshot(`
      "VERSION  STAGES    STATE    CREATED
      2        current   enabled  <time>
      1        previous  enabled  <time>
      "
    `);
    const json = JSON.parse(normalize((await cli(['secret', 'versions', w.store, 'app/db', '--json'])).stdout, w.dir));
    expect(json.versions.map((v: { version: string }) => v.version)).toEqual(['2', '1']);
  });

  it('a wrong passphrase exits 2 with one line and changes nothing', async () => {
    const file = join(w.dir, 'store.svm');
    const before = readFileSync(file);
    for (const argv of [
      ['secret', 'put', w.store, 'app/db', '--value-stdin'],
      ['secret', 'get', w.store, 'app/db'],
      ['secret', 'delete', w.store, 'app/db'],
    ]) {
      const r = await cli(argv, 'new-value', { ...w.env, SVM_FILE_PASSPHRASE: 'wrong passphrase' });
      expect(r.code).toBe(2);
      expect(r.stdout).toBe('');
      expect(normalize(r.stderr, w.dir)).toBe(
        'svm: error: <dir>/store.svm: cannot open the file store: wrong passphrase or key, or the file was modified\n',
      );
    }
    expect(readFileSync(file).equals(before)).toBe(true);
    const json = await cli(['--json', 'secret', 'get', w.store, 'app/db'], undefined, {
      ...w.env,
      SVM_FILE_PASSPHRASE: 'nope',
    });
    expect(JSON.parse(normalize(json.stdout, w.dir))).toMatchInlineSnapshot(`
      {
        "error": {
          "code": "DECRYPT_FAILED",
          "file": "<dir>/store.svm",
          "kind": "user",
          "message": "cannot open the file store: wrong passphrase or key, or the file was modified",
        },
      }
    `);
  });

  it('errors are one line with a stable code and exit status', async () => {
    const cases: Array<[string[], number, string | undefined]> = [
      [['secret', 'get', w.store, 'missing'], 3, undefined],
      [['secret', 'get', w.store, 'bad name'], 2, undefined],
      [['secret', 'get', w.store, 'app/db', '--version', '1', '--stage', 'current'], 2, undefined],
      [['secret', 'put', w.store, 'x'], 2, undefined],
      [['secret', 'get', 'nope://x', 'a'], 2, undefined],
      [['secret', 'destroy', w.store, 'app/db'], 2, undefined],
      [['secret', 'get', w.store, 'app/db'], 2, ''],
    ];
    const lines: string[] = [];
    for (const [argv, code, passphrase] of cases) {
      const r = await cli(argv, undefined, passphrase === undefined ? w.env : { PATH: process.env.PATH });
      expect(r.code).toBe(code);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      lines.push(normalize(r.stderr.trim(), w.dir));
    }
    expect(lines).toMatchInlineSnapshot(`
      [
        "svm: error: file store <dir>/store.svm: secret 'missing' not found",
        "svm: error: file store <dir>/store.svm: invalid secret name 'bad name': expected 1-512 of A-Z a-z 0-9 / _ . + = @ - (starting with a letter or digit)",
        "svm: error: pass --version or --stage, not both",
        "svm: error: pass exactly one of --value-stdin or --from-file <file>",
        "svm: error: unknown scheme 'nope', expected one of vault://, aws-sm://, gcp-sm://, azure-kv://, file://, got 'nope://x'",
        "svm: error: destroy removes 'app/db' and every version for good; pass --yes to confirm",
        "svm: error: the file store needs a passphrase (SVM_FILE_PASSPHRASE) or a key file (--key-file / SVM_FILE_KEY_FILE)",
      ]
    `);
  });

  it('a key file works instead of a passphrase, and the passphrase does not open a key-file store', async () => {
    writeFileSync(join(w.dir, 'store.key'), `${'ab'.repeat(32)}\n`);
    const keyed = `file://${join(w.dir, 'keyed.svm')}`;
    const put = await cli(['secret', 'put', keyed, 'k', '--value-stdin', '--key-file', 'store.key'], 'v', {
      PATH: process.env.PATH,
    });
    expect(put.code).toBe(0);
    expect(put.stdout).toBe('1\n');
    expect(
      (
        await cli(['secret', 'get', keyed, 'k', '--reveal', '--key-file', 'store.key'], undefined, {
          PATH: process.env.PATH,
        })
      ).stdout,
    ).toBe('v');
    const wrong = await cli(['secret', 'get', keyed, 'k']);
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toContain('protected by a key file');
  });

  it('put --stage pending leaves current alone; stage makes it current (a rotation from the CLI)', async () => {
    const rot = `file://${join(w.dir, 'rotation.svm')}`;
    await cli(['secret', 'put', rot, 'rot/key', '--value-stdin'], 'old');
    expect((await cli(['secret', 'put', rot, 'rot/key', '--value-stdin', '--stage', 'pending'], 'new')).stdout).toBe(
      '2\n',
    );
    expect((await cli(['secret', 'get', rot, 'rot/key', '--reveal'])).stdout).toBe('old');
    expect((await cli(['secret', 'stage', rot, 'rot/key', '2'])).stdout).toBe('current -> rot/key version 2\n');
    expect((await cli(['secret', 'get', rot, 'rot/key', '--reveal'])).stdout).toBe('new');
    expect((await cli(['secret', 'get', rot, 'rot/key', '--stage', 'previous', '--reveal'])).stdout).toBe('old');
    const missing = await cli(['secret', 'stage', rot, 'rot/key', '9']);
    expect([missing.code, normalize(missing.stderr, w.dir)]).toEqual([
      3,
      "svm: error: file store <dir>/rotation.svm: secret 'rot/key' version 9 not found\n",
    ]);
  });

  it('delete is soft, destroy needs --yes', async () => {
    await cli(['secret', 'put', w.store, 'tmp/x', '--value-stdin'], 'x');
    expect((await cli(['secret', 'delete', w.store, 'tmp/x'])).stdout).toBe(
      'deleted tmp/x (recoverable in the store)\n',
    );
    expect((await cli(['secret', 'get', w.store, 'tmp/x'])).code).toBe(3);
    await cli(['secret', 'put', w.store, 'tmp/y', '--value-stdin'], 'y');
    expect((await cli(['secret', 'destroy', w.store, 'tmp/y', '--yes'])).stdout).toBe('destroyed tmp/y\n');
    expect((await cli(['secret', 'list', w.store, 'tmp/'])).stdout).toBe('no secrets\n');
  });

  it('copy migrates with versions; diff compares without printing values and exits 1 on drift', async () => {
    const target = `file://${join(w.dir, 'copy.svm')}`;
    const dry = await cli(['secret', 'copy', w.store, target, 'app/', '--versions', '--dry-run']);
    expect(dry.stdout).toMatchInlineSnapshot(`
      "NAME         ACTION      VERSIONS
      app/api-key  would-copy  1
      app/db       would-copy  2
      "
    `);
    expect((await cli(['secret', 'copy', w.store, target, 'app/', '--versions'])).code).toBe(0);
    expect((await cli(['secret', 'get', target, 'app/db', '--stage', 'previous', '--reveal'])).stdout).toBe(CANARY);
    expect((await cli(['secret', 'copy', w.store, target, 'app/'])).stdout).toContain('unchanged');

    const same = await cli(['secret', 'diff', w.store, target, 'app/']);
    expect(same.code).toBe(0);
    await cli(['secret', 'put', target, 'app/db', '--value-stdin'], 'drifted');
    await cli(['secret', 'put', target, 'app/extra', '--value-stdin'], 'e');
    const drift = await cli(['secret', 'diff', w.store, target]);
    expect(drift.code).toBe(1);
    expect(drift.stdout).toMatchInlineSnapshot(`
      "NAME         STATUS
      app/api-key  same
      app/db       differs
      app/extra    only-in-b
      other        only-in-a

      3 of 4 differ
      "
    `);
  });
});

describe('the canary never leaks', () => {
  it('appears in no output, log or error of any secret command unless --reveal', async () => {
    const w = workspace();
    const outputs: string[] = [];
    const cli = async (argv: string[], stdin?: string, env = w.env): Promise<CliRun> => {
      const r = await runCli(argv, { stdin, env, cwd: w.dir });
      outputs.push(`${argv.join(' ')}\n${r.stdout}\n${r.stderr}`);
      return r;
    };
    const other = `file://${join(w.dir, 'other.svm')}`;
    writeFileSync(join(w.dir, 'value.txt'), CANARY);
    for (const json of [[], ['--json']]) {
      await cli([...json, 'secret', 'put', w.store, 'c', '--value-stdin'], CANARY);
      await cli([...json, 'secret', 'put', w.store, 'c', '--from-file', 'value.txt']);
      await cli([...json, 'secret', 'put', w.store, 'c', '--from-file', 'value.txt', '--stage', 'pending']);
      await cli([...json, 'secret', 'put', w.store, 'bad name', '--value-stdin'], CANARY);
      await cli([...json, 'secret', 'put', w.store, 'c', '--value-stdin'], CANARY, {
        ...w.env,
        SVM_FILE_PASSPHRASE: 'wrong',
      });
      await cli([...json, 'secret', 'put', w.store, 'c', '--value-stdin', '--from-file', 'value.txt'], CANARY);
      await cli(
        [...json, 'secret', 'put', `aws-sm://us-east-1?endpoint=http://127.0.0.1:1`, 'c', '--value-stdin'],
        CANARY,
        {
          ...w.env,
          AWS_ACCESS_KEY_ID: 'x',
          AWS_SECRET_ACCESS_KEY: 'y',
        },
      );
      await cli([...json, 'secret', 'get', w.store, 'c']);
      await cli([...json, 'secret', 'get', w.store, 'c', '--stage', 'previous']);
      await cli([...json, 'secret', 'get', w.store, 'c', '--stage', 'pending']);
      await cli([...json, 'secret', 'get', w.store, 'c', '--version', '99']);
      await cli([...json, 'secret', 'list', w.store]);
      await cli([...json, 'secret', 'versions', w.store, 'c']);
      await cli([...json, 'secret', 'stage', w.store, 'c', '3']);
      await cli([...json, 'secret', 'stage', w.store, 'c', '999']);
      await cli([...json, 'secret', 'copy', w.store, other, '--versions', '--dry-run']);
      await cli([...json, 'secret', 'copy', w.store, other, '--versions']);
      await cli([...json, 'secret', 'diff', w.store, other]);
      await cli([...json, 'secret', 'put', other, 'c', '--value-stdin'], `${CANARY}-changed`);
      await cli([...json, 'secret', 'diff', w.store, other]);
      await cli([...json, 'secret', 'delete', other, 'c']);
      await cli([...json, 'secret', 'destroy', other, 'c', '--yes']);
    }
    // Positive control: the same capture does see the value when --reveal is given.
    const revealed = await runCli(['secret', 'get', w.store, 'c', '--reveal'], { env: w.env, cwd: w.dir });
    expect(revealed.stdout).toBe(CANARY);
    expect(outputs.length).toBeGreaterThan(30);
    for (const out of outputs) expect(out).not.toContain('CANARY');
  });
});

describe('lazy SDK loading', () => {
  const cliDir = fileURLToPath(new URL('..', import.meta.url));
  const tracer = fileURLToPath(new URL('./fixtures/trace-sdk-loads.mjs', import.meta.url));
  const run = async (args: string[], env: Record<string, string> = {}): Promise<string[]> => {
    const log = join(mkdtempSync(join(tmpdir(), 'svm-trace-')), 'loads.txt');
    writeFileSync(log, '');
    await promisify(execFile)(
      process.execPath,
      ['--conditions=@svm/source', '--import', 'tsx', '--import', tracer, 'src/bin.ts', ...args],
      {
        cwd: cliDir,
        env: { PATH: process.env.PATH, SVM_TRACE_LOADS: log, ...env },
      },
    ).catch(() => undefined);
    return [...new Set(readFileSync(log, 'utf8').split('\n').filter(Boolean))].sort();
  };

  it('svm --help and file-store commands load no cloud SDK; a vault store loads node-vault only', async () => {
    expect(await run(['--help'])).toEqual([]);
    expect(await run(['secret', '--help'])).toEqual([]);
    const dir = mkdtempSync(join(tmpdir(), 'svm-lazy-'));
    expect(await run(['secret', 'list', `file://${join(dir, 's.svm')}`], { SVM_FILE_PASSPHRASE: PASS })).toEqual([]);
    // Positive control: opening a Vault store does load its SDK (and no other).
    expect(await run(['secret', 'list', 'vault+http://127.0.0.1:1/secret'], { VAULT_TOKEN: 't' })).toEqual([
      'node-vault',
    ]);
  });
});

const bao = requireService('openbao');
describe.skipIf(!bao)('svm secret against OpenBao', () => {
  it('put/get/versions/copy/diff between the file store and Vault', async () => {
    const w = workspace();
    const env = { ...w.env, VAULT_TOKEN: bao!.token };
    const vault = `vault+http://${bao!.addr.replace(/^https?:\/\//, '')}/${bao!.kvMount}`;
    const name = `svm-cli-${Date.now().toString(36)}`;
    const cli = (argv: string[], stdin?: string): Promise<CliRun> => runCli(argv, { stdin, env, cwd: w.dir });
    expect((await cli(['secret', 'put', vault, `${name}/a`, '--value-stdin'], 'one')).stdout).toBe('1\n');
    expect((await cli(['secret', 'put', vault, `${name}/a`, '--value-stdin'], 'two')).stdout).toBe('2\n');
    expect((await cli(['secret', 'get', vault, `${name}/a`, '--stage', 'previous', '--reveal'])).stdout).toBe('one');
    expect((await cli(['secret', 'copy', vault, w.store, `${name}/`, '--versions'])).code).toBe(0);
    expect((await cli(['secret', 'diff', vault, w.store, `${name}/`])).code).toBe(0);
    expect((await cli(['secret', 'get', w.store, `${name}/a`, '--stage', 'previous', '--reveal'])).stdout).toBe('one');
    expect((await cli(['secret', 'destroy', vault, `${name}/a`, '--yes'])).code).toBe(0);
  });
});

const moto = requireService('moto');
describe.skipIf(!moto)('svm secret against moto (AWS Secrets Manager)', () => {
  it('put/get by stage/versions/diff/destroy with stages mapped to AWSCURRENT/AWSPREVIOUS', async () => {
    const w = workspace();
    const env = {
      ...w.env,
      AWS_ACCESS_KEY_ID: moto!.accessKeyId,
      AWS_SECRET_ACCESS_KEY: moto!.secretAccessKey,
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    };
    const aws = `aws-sm://${moto!.region}?endpoint=${encodeURIComponent(moto!.endpoint)}`;
    const name = `svm-cli-${Date.now().toString(36)}`;
    const cli = (argv: string[], stdin?: string): Promise<CliRun> => runCli(argv, { stdin, env, cwd: w.dir });
    const v1 = (await cli(['secret', 'put', aws, `${name}/a`, '--value-stdin'], CANARY)).stdout.trim();
    const v2 = (await cli(['secret', 'put', aws, `${name}/a`, '--value-stdin'], CANARY_2)).stdout.trim();
    expect(v1).toMatch(/^[0-9a-f-]{36}$/);
    expect((await cli(['secret', 'get', aws, `${name}/a`, '--stage', 'previous', '--reveal'])).stdout).toBe(CANARY);
    const got = await cli(['secret', 'get', aws, `${name}/a`, '--json']);
    expect(JSON.parse(got.stdout)).toMatchObject({ version: v2, stages: ['current'] });
    expect(got.stdout).not.toContain('CANARY');
    const versions = JSON.parse((await cli(['secret', 'versions', aws, `${name}/a`, '--json'])).stdout);
    expect(versions.versions.map((v: { version: string }) => v.version)).toEqual([v2, v1]);
    expect((await cli(['secret', 'copy', aws, w.store, `${name}/`])).code).toBe(0);
    expect((await cli(['secret', 'diff', aws, w.store, `${name}/`])).code).toBe(0);
    const missing = await cli(['secret', 'get', aws, `${name}/missing`]);
    expect(missing.code).toBe(3);
    expect(missing.stderr).toBe(`svm: error: aws-sm ${moto!.region}: secret '${name}/missing' not found\n`);
    expect((await cli(['secret', 'destroy', aws, `${name}/a`, '--yes'])).code).toBe(0);
  });
});

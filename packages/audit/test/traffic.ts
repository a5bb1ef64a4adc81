/**
 * Deterministic Vault audit traffic with the real file-device layout (request + response entries, HMAC'd
 * values, accessors linking tokens to logins), for tests, the quick-start data and the benchmark.
 * Machines (AppRole, Kubernetes) work around the clock from fixed networks; humans (userpass, OIDC) work
 * weekdays 09:00–18:00 UTC. Planted incidents are listed in {@link PLANTED}.
 */

export interface TrafficOptions {
  seed?: number;
  /** Start instant (default Monday 2026-03-02T00:00:00Z). */
  start?: string;
  days?: number;
  machines?: number;
  humans?: number;
  /** Mean minutes between a machine's reads (default 6). */
  machineEveryMin?: number;
  /** Mean minutes between a human's reads (default 20). */
  humanEveryMin?: number;
  /** Minutes between a machine's logins (default 60, the AppRole token TTL). */
  machineLoginEveryMin?: number;
  /** Reads in the planted volume-spike hour (default 120). */
  spikeReads?: number;
  /** Plant the incidents (default true). */
  incidents?: boolean;
}

/** What the generator plants, by rule id, with the identity involved. */
export const PLANTED = {
  'new-source-ip': 'userpass-alice',
  'failed-auth': 'userpass-mallory',
  'root-token': 'root',
  'policy-change': 'oidc-bob',
  'long-ttl-token': 'oidc-bob',
  'audit-device-change': 'root',
  'off-hours': 'userpass-carol',
  'denied-access': 'oidc-dave',
  'secret-destroy': 'oidc-bob',
  'bulk-read': 'userpass-erin',
  'volume-spike': 'approle-billing',
} as const;

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Actor {
  name: string;
  kind: 'machine' | 'human';
  method: 'approle' | 'kubernetes' | 'userpass' | 'oidc';
  ip: string;
  secrets: string[];
  policies: string[];
  accessor: string;
  token: string;
  entity: string;
}

/** Emit lines (without newline) in time order through `sink`. Returns the number of lines. */
export function generateVaultTraffic(options: TrafficOptions, sink: (line: string) => void): number {
  const r = rng(options.seed ?? 7);
  const hex = (n: number) => {
    let s = '';
    for (let i = 0; i < n; i++) s += ((r() * 16) | 0).toString(16);
    return s;
  };
  const hmac = () => `hmac-sha256:${hex(64)}`;
  const uuid = () => `${hex(8)}-${hex(4)}-${hex(4)}-${hex(4)}-${hex(12)}`;
  const start = Date.parse(options.start ?? '2026-03-02T00:00:00Z');
  const days = options.days ?? 2;
  const end = start + days * 86_400_000;
  const machines = options.machines ?? 8;
  const humans = options.humans ?? 6;
  const every = (options.machineEveryMin ?? 6) * 60_000;
  const incidents = options.incidents ?? true;
  const humanNames = ['alice', 'bob', 'carol', 'dave', 'erin', 'frank', 'grace', 'heidi', 'ivan', 'judy'];
  const apps = [
    'billing',
    'payments',
    'orders',
    'search',
    'checkout',
    'ledger',
    'mailer',
    'reports',
    'auth',
    'catalog',
  ];

  const actors: Actor[] = [];
  for (let i = 0; i < machines; i++) {
    const app = apps[i % apps.length] + (i >= apps.length ? `-${Math.floor(i / apps.length)}` : '');
    const method = i % 2 === 0 ? 'approle' : 'kubernetes';
    actors.push({
      name: method === 'approle' ? `approle-${app}` : `kubernetes-prod-${app}`,
      kind: 'machine',
      method,
      ip: `10.20.${i % 250}.${10 + (i % 200)}`,
      secrets: [`secret/data/prod/${app}/db`, `secret/data/prod/${app}/api-key`],
      policies: ['default', `${app}-read`],
      accessor: hmac(),
      token: hmac(),
      entity: uuid(),
    });
  }
  for (let i = 0; i < humans; i++) {
    const n = humanNames[i % humanNames.length] + (i >= humanNames.length ? String(i) : '');
    const method = i % 2 === 0 ? 'userpass' : 'oidc';
    actors.push({
      name: `${method}-${n}`,
      kind: 'human',
      method,
      ip: `198.51.100.${20 + i}`,
      secrets: [`secret/data/team/${n}/notes`, 'secret/data/shared/runbook'],
      policies: ['default', 'ops'],
      accessor: hmac(),
      token: hmac(),
      entity: uuid(),
    });
  }

  type Ev = { t: number; lines: string[] };
  const queue: Ev[] = [];
  const iso = (t: number) =>
    new Date(t)
      .toISOString()
      .replace('Z', `${String(Math.floor(r() * 1000)).padStart(3, '0')}Z`)
      .replace(/\.(\d{3})(\d{3})Z$/, '.$1$2Z');

  const authOf = (a: Actor, allowed = true) => ({
    client_token: a.token,
    accessor: a.accessor,
    display_name: a.method === 'approle' ? 'approle' : a.name,
    policies: a.policies,
    token_policies: a.policies,
    policy_results: allowed
      ? { allowed: true, granting_policies: [{ name: a.policies[1], namespace_id: 'root', type: 'acl' }] }
      : { allowed: false },
    metadata:
      a.method === 'approle'
        ? { role_name: a.name.slice('approle-'.length) }
        : a.method === 'kubernetes'
          ? { service_account_name: a.name.split('-').pop(), service_account_namespace: 'prod' }
          : { username: a.name.split('-').pop() },
    entity_id: a.entity,
    token_type: 'service',
    token_ttl: a.kind === 'human' ? 28_800 : 3600,
    token_issue_time: new Date(start).toISOString().replace('.000', ''),
  });
  const mountOf = (path: string) => {
    if (path.startsWith('secret/'))
      return {
        mount_point: 'secret/',
        mount_type: 'kv',
        mount_accessor: 'kv_2b4e1f0a',
        mount_class: 'secret',
        mount_running_version: 'v0.24.0+builtin',
      };
    if (path.startsWith('sys/')) return { mount_type: 'system', mount_point: 'sys/', mount_class: '' };
    const m = /^auth\/([^/]+)\//.exec(path);
    return m
      ? { mount_point: `auth/${m[1]}/`, mount_type: m[1] === 'token' ? 'token' : m[1], mount_class: 'auth' }
      : {};
  };
  const pair = (
    t: number,
    a: Actor | null,
    op: string,
    path: string,
    o: {
      ip?: string;
      error?: string;
      respAuth?: Record<string, unknown>;
      reqData?: Record<string, unknown>;
      respData?: Record<string, unknown>;
      denied?: boolean;
      authOverride?: Record<string, unknown>;
    } = {},
  ) => {
    const id = uuid();
    const auth =
      o.authOverride ?? (a ? authOf(a, !o.denied) : { policy_results: { allowed: true }, token_type: 'default' });
    const request: Record<string, unknown> = {
      id,
      client_id: a?.entity,
      operation: op,
      ...mountOf(path),
      ...(a ? { client_token: a.token, client_token_accessor: a.accessor } : {}),
      namespace: { id: 'root' },
      path,
      ...(o.reqData ? { data: o.reqData } : {}),
      remote_address: o.ip ?? a?.ip ?? '192.0.2.1',
      remote_port: 30000 + Math.floor(r() * 30000),
    };
    const err = o.error !== undefined ? { error: o.error } : {};
    const rq = { time: iso(t), type: 'request', auth, request, ...err };
    const response: Record<string, unknown> = { ...mountOf(path) };
    if (o.respAuth) response['auth'] = o.respAuth;
    if (o.respData) response['data'] = o.respData;
    const rs = { time: iso(t + 1 + Math.floor(r() * 20)), type: 'response', auth, request, response, ...err };
    queue.push({ t, lines: [JSON.stringify(rq), JSON.stringify(rs)] });
  };
  const kvRead = (t: number, a: Actor, path: string, ip?: string) =>
    pair(t, a, 'read', path, {
      ...(ip ? { ip } : {}),
      respData: {
        data: { password: hmac(), username: hmac() },
        metadata: {
          created_time: '2026-02-01T08:00:00.123Z',
          custom_metadata: null,
          deletion_time: hmac(),
          destroyed: false,
          version: 3,
        },
      },
    });
  const login = (t: number, a: Actor, ip?: string) => {
    const path =
      a.method === 'approle'
        ? 'auth/approle/login'
        : a.method === 'kubernetes'
          ? 'auth/kubernetes/login'
          : `auth/${a.method}/login/${a.name.split('-').pop()}`;
    pair(t, null, 'update', path, {
      ...(ip ? { ip } : { ip: a.ip }),
      reqData:
        a.method === 'approle'
          ? { role_id: hmac(), secret_id: hmac() }
          : a.method === 'kubernetes'
            ? { jwt: hmac(), role: hmac() }
            : { password: hmac() },
      respAuth: {
        client_token: a.token,
        accessor: a.accessor,
        display_name: a.method === 'approle' ? 'approle' : a.name,
        policies: a.policies,
        token_policies: a.policies,
        metadata: authOf(a).metadata,
        entity_id: a.entity,
        token_type: 'service',
        token_ttl: a.kind === 'human' ? 28_800 : 3600,
      },
    });
  };

  // Normal traffic.
  for (const a of actors) {
    if (a.kind === 'machine') {
      let t = start + Math.floor(r() * every);
      let nextLogin = t;
      while (t < end) {
        if (t >= nextLogin) {
          login(t - 500, a);
          nextLogin = t + (options.machineLoginEveryMin ?? 60) * 60_000;
        }
        kvRead(t, a, a.secrets[Math.floor(r() * a.secrets.length)] as string);
        t += Math.floor(every * (0.5 + r()));
      }
    } else {
      for (let d = 0; d < days; d++) {
        const day = start + d * 86_400_000;
        const wd = new Date(day).getUTCDay();
        if (wd === 0 || wd === 6) continue;
        let t = day + 9 * 3_600_000 + Math.floor(r() * 1_800_000);
        login(t - 1000, a);
        const stop = day + 18 * 3_600_000;
        while (t < stop) {
          kvRead(t, a, a.secrets[Math.floor(r() * a.secrets.length)] as string);
          t += Math.floor((options.humanEveryMin ?? 20) * 60_000 * (0.5 + r()));
        }
      }
    }
  }

  if (incidents && humans >= 4 && machines >= 1 && days >= 2) {
    const byName = (n: string) => actors.find((x) => x.name === n) as Actor;
    const day2 = start + 86_400_000;
    const alice = byName('userpass-alice');
    // new-source-ip: alice, mid-morning day 2, from a network she never used.
    login(day2 + 10.5 * 3_600_000, alice, '45.77.12.9');
    kvRead(day2 + 10.5 * 3_600_000 + 2000, alice, 'secret/data/shared/runbook', '45.77.12.9');
    // failed-auth: 6 wrong passwords for a user in 2 minutes from one address.
    for (let i = 0; i < 6; i++) {
      const id = uuid();
      const t = day2 + 11 * 3_600_000 + i * 20_000;
      const req = {
        id,
        operation: 'update',
        mount_point: 'auth/userpass/',
        mount_type: 'userpass',
        mount_class: 'auth',
        namespace: { id: 'root' },
        path: 'auth/userpass/login/mallory',
        data: { password: hmac() },
        remote_address: '185.220.101.7',
        remote_port: 40000 + i,
      };
      const auth = { policy_results: { allowed: true }, token_type: 'default' };
      queue.push({
        t,
        lines: [
          JSON.stringify({ time: iso(t), type: 'request', auth, request: req }),
          JSON.stringify({
            time: iso(t + 3),
            type: 'response',
            auth,
            request: req,
            response: { mount_type: 'userpass', mount_point: 'auth/userpass/', data: { error: hmac() } },
            error: 'invalid credentials',
          }),
        ],
      });
    }
    // root-token use, then a policy write, an audit device disable.
    const rootAuth = {
      client_token: hmac(),
      accessor: hmac(),
      display_name: 'root',
      policies: ['root'],
      token_policies: ['root'],
      policy_results: { allowed: true, granting_policies: [{ name: 'root', namespace_id: 'root', type: 'acl' }] },
      token_type: 'service',
      token_issue_time: '2026-01-10T08:00:00Z',
    };
    const root: Actor = {
      name: 'root',
      kind: 'human',
      method: 'userpass',
      ip: '10.0.4.9',
      secrets: [],
      policies: ['root'],
      accessor: rootAuth.accessor,
      token: rootAuth.client_token,
      entity: '',
    };
    pair(day2 + 13 * 3_600_000, root, 'read', 'sys/mounts', {
      authOverride: rootAuth,
      respData: { 'secret/': { type: 'kv' } },
    });
    pair(day2 + 13 * 3_600_000 + 60_000, root, 'delete', 'sys/audit/file2', { authOverride: rootAuth });
    const bob = byName('oidc-bob');
    pair(day2 + 14 * 3_600_000, bob, 'update', 'sys/policies/acl/ops', { reqData: { policy: hmac() } });
    // secret-destroy by bob.
    pair(day2 + 14 * 3_600_000 + 120_000, bob, 'update', 'secret/destroy/team/bob/notes', {
      reqData: { versions: [1, 2] },
    });
    // long-ttl-token: a token for a backup tool, 2000h.
    pair(day2 + 15 * 3_600_000, bob, 'update', 'auth/token/create', {
      reqData: { policies: [hmac()], ttl: hmac(), display_name: hmac() },
      respAuth: {
        client_token: hmac(),
        accessor: hmac(),
        display_name: 'token-backup-tool',
        policies: ['backup', 'default'],
        token_policies: ['backup', 'default'],
        token_type: 'service',
        token_ttl: 2000 * 3600,
      },
    });
    // off-hours: carol at 02:30 on day 2.
    const carol = byName('userpass-carol');
    login(day2 + 2.5 * 3_600_000, carol);
    kvRead(day2 + 2.5 * 3_600_000 + 5000, carol, 'secret/data/shared/runbook');
    // denied-access burst: dave tries 6 paths outside his policy.
    const dave = byName('oidc-dave');
    for (let i = 0; i < 6; i++)
      pair(day2 + 16 * 3_600_000 + i * 30_000, dave, 'read', `secret/data/prod/payments/key${i}`, {
        denied: true,
        error: '1 error occurred:\n\t* permission denied\n\n',
        respData: { error: hmac() },
      });
    // bulk-read: erin reads 25 distinct secrets in 3 minutes.
    const erin = humans >= 5 ? byName('userpass-erin') : alice;
    for (let i = 0; i < 25; i++) kvRead(day2 + 16.5 * 3_600_000 + i * 7000, erin, `secret/data/prod/app${i}/db`);
    // volume-spike: approle-billing reads one path 10× its rate for an hour.
    const billing = byName('approle-billing');
    const spike = options.spikeReads ?? 120;
    for (let i = 0; i < spike; i++)
      kvRead(day2 + 17 * 3_600_000 + Math.floor((i * 3_500_000) / spike), billing, 'secret/data/prod/billing/db');
  }

  queue.sort((a, b) => a.t - b.t);
  let n = 0;
  for (const e of queue)
    for (const l of e.lines) {
      sink(l);
      n++;
    }
  return n;
}

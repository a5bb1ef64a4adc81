import { SvmError } from '@svm/core';

/**
 * The few Vault/OpenBao API calls `apply` needs. Implemented over HTTP by {@link createVaultClient}.
 *
 * @example
 * ```ts
 * const api: VaultApi = createVaultClient({ address, token });
 * await api.read('sys/policies/acl/web-read');
 * ```
 */
export interface VaultApi {
  /** `GET /v1/<path>`: the `data` object, or `undefined` on 404. */
  read(path: string, namespace?: string | undefined): Promise<Record<string, unknown> | undefined>;
  /** `PUT`/`POST /v1/<path>` with a JSON body. */
  write(
    method: 'PUT' | 'POST',
    path: string,
    body: Record<string, unknown>,
    namespace?: string | undefined,
  ): Promise<void>;
}

/**
 * A raw Vault/OpenBao HTTP call: status and parsed JSON body (top-level fields included, which
 * `sys/seal-status` and `sys/leader` use instead of `data`). `LIST` is sent as `GET …?list=true`.
 * Network failures and timeouts throw `SvmError` (UNAVAILABLE / TIMEOUT); HTTP errors do not.
 *
 * @example
 * ```ts
 * const { status, json } = await api.request('GET', 'sys/seal-status');
 * ```
 */
export interface VaultHttp {
  request(
    method: 'GET' | 'LIST' | 'POST' | 'PUT',
    path: string,
    body?: Record<string, unknown> | undefined,
  ): Promise<{ status: number; json: unknown }>;
}

/**
 * Options for {@link createVaultClient}.
 *
 * @example
 * ```ts
 * createVaultClient({ address: 'https://vault:8200', token, namespace: 'team-a', timeoutMs: 5000 });
 * ```
 */
export interface VaultClientOptions {
  /** Server address, e.g. `https://vault.example.com:8200`. */
  address: string;
  /** Token sent as `X-Vault-Token`. Never logged or put in an error. */
  token: string;
  /** Parent namespace for every request (Vault Enterprise / OpenBao namespaces), joined with the item's own. */
  namespace?: string | undefined;
  /** Injected fetch (defaults to the global one). */
  fetch?: typeof fetch | undefined;
  /**
   * PEM CA bundle that verifies the server's certificate instead of the system roots (what `VAULT_CACERT` names;
   * {@link vaultConnection} reads it). Requests then go through undici with this CA, loaded only then.
   */
  caCert?: string | undefined;
  /** Per-request timeout in milliseconds (default 15000). */
  timeoutMs?: number | undefined;
}

/**
 * A minimal Vault/OpenBao HTTP client for `apply`: JSON in and out, `X-Vault-Token` and
 * `X-Vault-Namespace` headers, errors as `SvmError` (403 → ACCESS_DENIED, 4xx → CONFLICT with the
 * server's message, 5xx/network → UNAVAILABLE, timeout → TIMEOUT). The token never appears in errors.
 *
 * @example
 * ```ts
 * const api = createVaultClient({ address: 'http://127.0.0.1:8200', token: process.env.VAULT_TOKEN ?? '' });
 * await api.read('sys/policies/acl/default');
 * ```
 */
export function createVaultClient(options: VaultClientOptions): VaultApi & VaultHttp {
  const base = options.address.replace(/\/+$/, '');
  const doFetch = options.fetch ?? (options.caCert ? caFetch(options.caCert) : fetch);
  const timeoutMs = options.timeoutMs ?? 15_000;

  async function call(
    method: string,
    path: string,
    namespace: string | undefined,
    body?: unknown,
  ): Promise<{ status: number; json: unknown }> {
    const headers: Record<string, string> = { 'X-Vault-Token': options.token, 'X-Vault-Request': 'true' };
    const ns = [options.namespace, namespace].filter(Boolean).join('/');
    if (ns) headers['X-Vault-Namespace'] = ns;
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    let response: Response;
    try {
      response = await doFetch(`${base}/v1/${path}`, {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (cause) {
      const timedOut = (cause as Error)?.name === 'TimeoutError';
      throw new SvmError(
        timedOut ? 'TIMEOUT' : 'UNAVAILABLE',
        `${method} ${base}/v1/${path}: ${timedOut ? `no answer in ${timeoutMs} ms` : networkReason(cause)}`,
        { cause },
      );
    }
    const text = await response.text();
    let json: unknown;
    try {
      json = text ? JSON.parse(text) : undefined;
    } catch {
      json = undefined;
    }
    return { status: response.status, json };
  }

  function fail(method: string, path: string, status: number, json: unknown): never {
    const errors = (json as { errors?: unknown[] } | undefined)?.errors;
    const detail = Array.isArray(errors) && errors.length > 0 ? errors.map(String).join('; ') : `HTTP ${status}`;
    const where = `${method} /v1/${path}`;
    if (status === 403)
      throw new SvmError(
        'ACCESS_DENIED',
        `${where}: permission denied (the token needs write access to sys/policies/acl and auth/<mount>/role)`,
      );
    if (status === 429) throw new SvmError('THROTTLED', `${where}: ${detail}`);
    if (status >= 500) throw new SvmError('UNAVAILABLE', `${where}: ${detail}`);
    throw new SvmError('CONFLICT', `${where}: ${detail}`);
  }

  return {
    async request(method, path, body) {
      if (method === 'LIST') return call('GET', `${path}${path.includes('?') ? '&' : '?'}list=true`, undefined);
      return call(method, path, undefined, body);
    },
    async read(path, namespace) {
      const { status, json } = await call('GET', path, namespace);
      if (status === 404) {
        // 404 with an empty error list: the object does not exist. "no handler for route": nothing is mounted there.
        const errors = (json as { errors?: unknown[] } | undefined)?.errors ?? [];
        if (errors.some((e) => String(e).includes('no handler for route'))) {
          throw new SvmError('CONFLICT', `GET /v1/${path}: nothing is mounted at this path on the server`, {
            details: { status, reason: 'no-route' },
          });
        }
        return undefined;
      }
      if (status !== 200) fail('GET', path, status, json);
      return ((json as { data?: Record<string, unknown> } | undefined)?.data ?? {}) as Record<string, unknown>;
    },
    async write(method, path, body, namespace) {
      const { status, json } = await call(method, path, namespace, body);
      if (status !== 200 && status !== 204) fail(method, path, status, json);
    },
  };
}

/** fetch() says only "fetch failed"; the system error code is on its cause. */
function networkReason(error: unknown): string {
  const inner = (error as { cause?: { code?: string; message?: string } } | undefined)?.cause;
  const code = inner?.code;
  if (code === 'ECONNREFUSED') return 'connection refused (ECONNREFUSED)';
  if (code === 'ENOTFOUND') return 'host not found (ENOTFOUND)';
  if (code) return `${inner?.message ?? 'network error'} (${code})`;
  if (inner?.message) return `${(error as Error)?.message ?? 'network error'}: ${inner.message}`;
  return (error as Error)?.message ?? 'network error';
}

/** A fetch that trusts exactly `ca` (undici's Agent with `connect.ca`; undici is imported on first use). */
function caFetch(ca: string): typeof fetch {
  let pending: Promise<typeof fetch> | undefined;
  const load = async (): Promise<typeof fetch> => {
    const undici = await import('undici');
    const dispatcher = new undici.Agent({ connect: { ca } });
    return ((input: string, init?: RequestInit) =>
      undici.fetch(input, { ...(init as Record<string, unknown>), dispatcher })) as unknown as typeof fetch;
  };
  return (async (input: Parameters<typeof fetch>[0], init?: RequestInit) => {
    pending ??= load();
    return (await pending)(input, init);
  }) as typeof fetch;
}

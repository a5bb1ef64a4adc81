// A minimal OpenBao/Vault HTTP client for the integration tests and the bench (fetch, no SDK).

/** Connection info for the OpenBao dev server from the test harness. */
export interface OpenBaoService {
  addr: string;
  token: string;
}

async function call(
  svc: OpenBaoService,
  method: string,
  path: string,
  body?: unknown,
  token = svc.token,
): Promise<unknown> {
  const res = await fetch(`${svc.addr}/v1/${path}`, {
    method,
    headers: { 'X-Vault-Token': token, 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} ${path}: HTTP ${res.status}: ${text.slice(0, 500)}`);
  return text ? JSON.parse(text) : undefined;
}

/** Write (create or replace) an ACL policy. */
export async function putPolicy(svc: OpenBaoService, name: string, text: string): Promise<void> {
  await call(svc, 'PUT', `sys/policies/acl/${encodeURIComponent(name)}`, { policy: text });
}

/** Delete an ACL policy (ignores errors). */
export async function deletePolicy(svc: OpenBaoService, name: string): Promise<void> {
  await call(svc, 'DELETE', `sys/policies/acl/${encodeURIComponent(name)}`).catch(() => undefined);
}

/** Create a short-lived token holding exactly these policies (no `default`). */
export async function createToken(svc: OpenBaoService, policies: string[]): Promise<string> {
  const out = (await call(svc, 'POST', 'auth/token/create', { policies, no_default_policy: true, ttl: '10m' })) as {
    auth: { client_token: string };
  };
  return out.auth.client_token;
}

/** `sys/capabilities` for many paths at once: path → capabilities. */
export async function sysCapabilities(
  svc: OpenBaoService,
  token: string,
  paths: string[],
): Promise<Record<string, string[]>> {
  const out = (await call(svc, 'POST', 'sys/capabilities', { token, paths })) as { data: Record<string, string[]> };
  return out.data;
}

/** Revoke a token (ignores errors). */
export async function revokeToken(svc: OpenBaoService, token: string): Promise<void> {
  await call(svc, 'POST', 'auth/token/revoke', { token }).catch(() => undefined);
}

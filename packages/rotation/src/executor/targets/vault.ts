import { SvmError, errorCodeForHttpStatus } from '@svm/core';
import type { RotationTargets } from '../types.js';

/** Address and token of the Vault / OpenBao server the engine strategies talk to. */
export interface VaultTarget {
  addr: string;
  token: string;
  namespace?: string | undefined;
}

/** The Vault target: `targets.vault`, else `VAULT_ADDR`/`BAO_ADDR` and `VAULT_TOKEN`/`BAO_TOKEN`. */
export function vaultTarget(targets: RotationTargets, itemId: string): VaultTarget {
  if (targets.vault) return targets.vault;
  const env = targets.env ?? process.env;
  const addr = env.VAULT_ADDR ?? env.BAO_ADDR;
  const token = env.VAULT_TOKEN ?? env.BAO_TOKEN;
  if (!addr || !token)
    throw new SvmError(
      'CREDENTIALS_MISSING',
      `${itemId}: this strategy talks to Vault / OpenBao: set VAULT_ADDR and VAULT_TOKEN (or BAO_ADDR and BAO_TOKEN)`,
    );
  return { addr, token, namespace: env.VAULT_NAMESPACE ?? env.BAO_NAMESPACE };
}

/**
 * One Vault HTTP API call (Node's fetch; node-vault has no helpers for transit rewrap batches, PKI issue or
 * rotate-role, so its generic calls would add nothing). Returns the response's `data` (or the body when it has
 * none). Errors never carry the request body.
 */
export async function vaultCall(
  t: VaultTarget,
  method: 'GET' | 'POST' | 'PUT' | 'DELETE' | 'LIST',
  path: string,
  body?: unknown,
): Promise<any> {
  const url = `${t.addr.replace(/\/+$/, '')}/v1/${path.replace(/^\/+/, '')}`;
  let res: Response;
  try {
    res = await fetch(url, {
      method: method === 'LIST' ? 'GET' : method,
      headers: {
        'X-Vault-Token': t.token,
        'content-type': 'application/json',
        ...(t.namespace ? { 'X-Vault-Namespace': t.namespace } : {}),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(15_000),
    });
  } catch (cause) {
    const timeout = (cause as Error)?.name === 'TimeoutError';
    throw new SvmError(
      timeout ? 'TIMEOUT' : 'UNAVAILABLE',
      `vault ${method} ${path}: ${timeout ? 'timed out' : 'unreachable'}`,
      { cause },
    );
  }
  const text = await res.text();
  const json = text ? (JSON.parse(text) as { data?: unknown; errors?: string[] }) : {};
  if (res.ok) return json.data ?? json;
  const why = (json.errors ?? []).join('; ').slice(0, 200);
  const status = res.status;
  const code = errorCodeForHttpStatus(status);
  throw new SvmError(code, `vault ${method} ${path}: HTTP ${status}${why ? ` (${why})` : ''}`);
}

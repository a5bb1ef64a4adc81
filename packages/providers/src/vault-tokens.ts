// Token and lease administration on Vault / OpenBao for leak containment, over Node's fetch (node-vault has no
// helpers for revoke-accessor, audit-hash or lease revocation; its generic calls would add nothing).
import { SvmError, errorCodeForHttpStatus, isSvmError } from '@svm/core';
import { mapLimit } from './internal/pool.js';

/** Where and as whom to call Vault / OpenBao. */
export interface VaultTokenAdminOptions {
  /** `http(s)://host:port` */
  address: string;
  token: string;
  namespace?: string | undefined;
  /** Milliseconds per request (default 15 000). */
  timeoutMs?: number | undefined;
}

/** How a logged accessor was turned into one Vault accepts. */
export type AccessorResolution =
  | { logged: string; accessor: string; via: 'clear' | 'audit-hash'; device?: string | undefined }
  | { logged: string; accessor: null; via: 'unresolved'; reason: string };

/** What revoking one token found. */
export type RevokeResult = 'revoked' | 'already-gone';

/**
 * Token and lease administration for leak containment: resolve the accessors an audit log names (in clear with
 * `hmac_accessor=false`, else HMAC'd, matched through `sys/audit-hash/<device>` over `auth/token/accessors`),
 * revoke tokens by accessor and revoke leases. Every call's error names the path and the HTTP status, never a
 * token.
 *
 * @example
 * ```ts
 * const admin = vaultTokenAdmin({ address: 'http://127.0.0.1:8200', token: process.env.VAULT_TOKEN! });
 * const [r] = await admin.resolveAccessors(['hmac-sha256:…']);
 * if (r?.accessor) await admin.revokeAccessor(r.accessor);
 * ```
 */
export function vaultTokenAdmin(options: VaultTokenAdminOptions): VaultTokenAdmin {
  return new VaultTokenAdmin(options);
}

/** See {@link vaultTokenAdmin}. */
export class VaultTokenAdmin {
  private hashIndex: Map<string, { accessor: string; device: string }> | undefined;
  private indexError: SvmError | undefined;

  constructor(private readonly options: VaultTokenAdminOptions) {}

  /** The server address (for reports). */
  get address(): string {
    return this.options.address;
  }

  /**
   * Resolve accessors as logged. Clear ones are used as they are; HMAC'd ones are matched against the HMAC of every
   * live token's accessor under each audit device (needs `sudo` on `auth/token/accessors` and `sys/audit`, `update`
   * on `sys/audit-hash/*`). An accessor with no live token is `unresolved` (expired or already revoked).
   */
  async resolveAccessors(logged: readonly string[]): Promise<AccessorResolution[]> {
    const hashed = logged.filter((a) => a.startsWith('hmac-sha256:'));
    if (hashed.length > 0 && !this.hashIndex) await this.buildHashIndex();
    return logged.map((a): AccessorResolution => {
      if (!a.startsWith('hmac-sha256:')) return { logged: a, accessor: a, via: 'clear' };
      const hit = this.hashIndex?.get(a);
      if (hit) return { logged: a, accessor: hit.accessor, via: 'audit-hash', device: hit.device };
      return {
        logged: a,
        accessor: null,
        via: 'unresolved',
        reason: this.indexError
          ? this.indexError.message
          : 'no live token has this accessor under any audit device (expired or already revoked)',
      };
    });
  }

  private async buildHashIndex(): Promise<void> {
    const index = new Map<string, { accessor: string; device: string }>();
    let devices: string[];
    let accessors: string[];
    try {
      const audit = (await this.call('GET', 'sys/audit')) as Record<string, unknown>;
      devices = Object.keys(audit)
        .filter((k) => typeof audit[k] === 'object' && audit[k] !== null && 'type' in (audit[k] as object))
        .map((k) => k.replace(/\/+$/, ''));
      accessors = ((await this.call('LIST', 'auth/token/accessors')) as { keys?: string[] }).keys ?? [];
    } catch (error) {
      if (!isSvmError(error)) throw error;
      const e = error;
      this.indexError = new SvmError(
        e.code,
        `cannot resolve HMAC'd accessors: ${e.message}; resolving needs sudo on auth/token/accessors and sys/audit (or set hmac_accessor=false on the audit device)`,
      );
      this.hashIndex = index;
      return;
    }
    for (const device of devices) {
      await mapLimit(accessors, 8, async (accessor) => {
        const r = (await this.call('POST', `sys/audit-hash/${device}`, { input: accessor })) as { hash?: string };
        if (r.hash) index.set(r.hash, { accessor, device });
      });
    }
    this.hashIndex = index;
  }

  /** The accessor of the token these calls use (so a containment never revokes its own token). */
  async selfAccessor(): Promise<string | undefined> {
    const me = (await this.call('GET', 'auth/token/lookup-self')) as { accessor?: string };
    return typeof me.accessor === 'string' && me.accessor !== '' ? me.accessor : undefined;
  }

  /** True when a token with this (clear) accessor is live. */
  async accessorExists(accessor: string): Promise<boolean> {
    try {
      await this.call('POST', 'auth/token/lookup-accessor', { accessor });
      return true;
    } catch (error) {
      if (isSvmError(error) && error.details?.['status'] === 400) return false;
      throw error;
    }
  }

  /**
   * Revoke a token (and its child tokens and leases) by accessor; `already-gone` when no live token has it.
   * Checks afterwards that the token is gone.
   */
  async revokeAccessor(accessor: string): Promise<RevokeResult> {
    if (!(await this.accessorExists(accessor))) return 'already-gone';
    await this.call('POST', 'auth/token/revoke-accessor', { accessor });
    if (await this.accessorExists(accessor))
      throw new SvmError('VERIFICATION_FAILED', 'revoke-accessor returned, but the token is still live');
    return 'revoked';
  }

  /** Revoke one lease (revoking an unknown or expired lease succeeds). */
  async revokeLease(leaseId: string): Promise<void> {
    await this.call('PUT', 'sys/leases/revoke', { lease_id: leaseId });
  }

  /** Revoke every lease under a prefix (`database/creds/app`); needs sudo. */
  async revokeLeasePrefix(prefix: string): Promise<void> {
    await this.call('PUT', `sys/leases/revoke-prefix/${prefix.replace(/^\/+/, '')}`);
  }

  private async call(method: 'GET' | 'POST' | 'PUT' | 'LIST', path: string, body?: unknown): Promise<unknown> {
    const url = `${this.options.address.replace(/\/+$/, '')}/v1/${path}${method === 'LIST' ? '?list=true' : ''}`;
    let res: Response;
    try {
      res = await fetch(url, {
        method: method === 'LIST' ? 'GET' : method,
        headers: {
          'X-Vault-Token': this.options.token,
          'content-type': 'application/json',
          ...(this.options.namespace ? { 'X-Vault-Namespace': this.options.namespace } : {}),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(this.options.timeoutMs ?? 15_000),
      });
    } catch (cause) {
      const timeout = (cause as Error)?.name === 'TimeoutError';
      throw new SvmError(
        timeout ? 'TIMEOUT' : 'UNAVAILABLE',
        `${this.options.address}: ${method} ${path}: ${timeout ? 'timed out' : 'unreachable'}`,
        { cause },
      );
    }
    const text = await res.text();
    let json: { data?: unknown; errors?: string[] } = {};
    try {
      json = text ? (JSON.parse(text) as typeof json) : {};
    } catch {
      json = {};
    }
    if (res.ok) return json.data ?? json;
    const why = (json.errors ?? [])
      .join('; ')
      .replace(/\s*\d+ errors? occurred:\s*\*\s*/g, '')
      .replace(/\s+/g, ' ')
      .trim()
      .slice(0, 200);
    const status = res.status;
    const code = errorCodeForHttpStatus(status);
    throw new SvmError(code, `${this.options.address}: ${method} ${path}: HTTP ${status}${why ? ` (${why})` : ''}`, {
      details: { status },
    });
  }
}

import type { StepFacts } from '@svm/core';
import { X509Certificate, createPrivateKey } from 'node:crypto';
import { SvmError, isSvmError, parseDurationMs } from '@svm/core';
import type { SecretValue } from '@svm/providers';
import { configString, requireString } from '../item-config.js';
import { vaultCall, vaultTarget } from '../targets/vault.js';
import type { ExecutorStrategy, GateResult, StepContext } from '../types.js';

/** The JSON a PKI rotation stores: certificate, private key and chain, as Vault returns them. */
interface StoredCert {
  certificate: string;
  private_key: string;
  issuing_ca?: string;
  ca_chain?: string[];
  serial_number?: string;
  expiration?: number;
}

function parseCert(value: SecretValue | undefined): X509Certificate | undefined {
  if (!value) return undefined;
  try {
    return new X509Certificate((JSON.parse(value.value) as StoredCert).certificate);
  } catch {
    return undefined;
  }
}

async function stage(ctx: StepContext, s: 'current' | 'pending'): Promise<SecretValue | undefined> {
  try {
    return await ctx.store.get(ctx.secretName, s === 'current' ? {} : { stage: s });
  } catch (error) {
    if (isSvmError(error) && error.code === 'SECRET_NOT_FOUND') return undefined;
    throw error;
  }
}

function renewBeforeMs(ctx: Pick<StepContext, 'item'>): number {
  const r = ctx.item.renew_before;
  if (r === undefined) return 60 * 86_400_000;
  if (typeof r === 'number') return r * 86_400_000;
  return parseDurationMs(r.trim());
}

/**
 * Vault / OpenBao PKI re-issue (`renew-before-expiry`): before the current certificate is within `renew_before`
 * (default 60 days) of expiry, issue a new one from `rotation.role` (`<pki_mount>/issue/<role>`), store certificate
 * and key as `pending`, check them (parses, key matches, not expired, right common name), then make it `current`.
 * The old certificate stays as `previous` until the next rotation; it stops working when it expires.
 *
 * @example
 * ```ts
 * await rotate({ id: 'api-tls', type: 'tls-certificate', name: 'tls/api',
 *   rotation: { pki_mount: 'pki', role: 'web', common_name: 'api.example.com', ttl: '720h' } }, { store, journal });
 * ```
 */
export const pkiStrategy: ExecutorStrategy = {
  id: 'renew-before-expiry',
  async gate(ctx): Promise<GateResult> {
    const current = await stage(ctx, 'current');
    const cert = parseCert(current);
    if (!cert) return { facts: current ? { currentVersion: current.version } : {} };
    const due = new Date(Date.parse(cert.validTo) - renewBeforeMs(ctx));
    return {
      facts: { currentVersion: current!.version, currentSerial: cert.serialNumber },
      notBefore: due,
      message: `certificate valid until ${new Date(cert.validTo).toISOString()}; renew from ${due.toISOString()}`,
    };
  },
  steps(ctx) {
    const mount = configString(ctx.item, 'pki_mount', 'pki')!;
    const role = configString(ctx.item, 'role', '<rotation.role>')!;
    return [
      {
        id: 'issue-pending',
        title: `Issue a certificate from ${mount}/issue/${role} and store certificate and key as pending in ${ctx.secretName}`,
        async run(c): Promise<StepFacts | void> {
          if (typeof c.facts.newVersion === 'string') return;
          if (c.resumed) {
            const pending = await stage(c, 'pending');
            if (pending && pending.version !== c.facts.currentVersion && parseCert(pending))
              return { newVersion: pending.version, serial: parseCert(pending)!.serialNumber };
          }
          const issued = (await vaultCall(
            vaultTarget(c.targets, c.itemId),
            'POST',
            `${mount}/issue/${requireString(c.item, 'role')}`,
            {
              common_name: requireString(c.item, 'common_name'),
              ...(configString(c.item, 'ttl') ? { ttl: configString(c.item, 'ttl') } : {}),
              ...(configString(c.item, 'alt_names') ? { alt_names: configString(c.item, 'alt_names') } : {}),
            },
          )) as StoredCert;
          const value: StoredCert = {
            certificate: issued.certificate,
            private_key: issued.private_key,
            issuing_ca: issued.issuing_ca,
            ca_chain: issued.ca_chain,
            serial_number: issued.serial_number,
            expiration: issued.expiration,
          };
          const put = await c.store.put(
            c.secretName,
            JSON.stringify(value),
            c.store.capabilities.stages.includes('pending') ? { stage: 'pending' } : {},
          );
          return { newVersion: put.version, serial: String(issued.serial_number ?? '') };
        },
        async undo(c) {
          if (typeof c.facts.newVersion !== 'string' || typeof c.facts.currentVersion !== 'string') return;
          const pending = await stage(c, 'pending');
          if (pending?.version === c.facts.newVersion)
            await c.store.setStage(c.secretName, 'pending', c.facts.currentVersion);
        },
      },
      {
        id: 'verify-certificate',
        title: 'Check the new certificate: it parses, its key matches, it is valid now and names the common name',
        async run(c): Promise<StepFacts | void> {
          const v = await c.store.get(c.secretName, { version: String(c.facts.newVersion) });
          const data = JSON.parse(v.value) as StoredCert;
          let cert: X509Certificate;
          try {
            cert = new X509Certificate(data.certificate);
          } catch {
            throw new SvmError(
              'VERIFICATION_FAILED',
              `${c.secretName} version ${v.version}: the certificate does not parse`,
            );
          }
          if (!cert.checkPrivateKey(createPrivateKey(data.private_key)))
            throw new SvmError(
              'VERIFICATION_FAILED',
              `${c.secretName}: the private key does not match the certificate`,
            );
          const now = c.clock.now().getTime();
          if (Date.parse(cert.validFrom) > now + 60_000 || Date.parse(cert.validTo) <= now)
            throw new SvmError('VERIFICATION_FAILED', `${c.secretName}: the new certificate is not valid now`);
          const cn = configString(c.item, 'common_name');
          if (cn && !cert.subject.split('\n').includes(`CN=${cn}`) && !cert.checkHost(cn))
            throw new SvmError('VERIFICATION_FAILED', `${c.secretName}: the new certificate does not name ${cn}`);
          return { expiresAt: new Date(cert.validTo).toISOString() };
        },
      },
      {
        id: 'promote',
        title: `Make the new certificate current in ${ctx.secretName}; the old one stays as previous until it expires`,
        async run(c): Promise<StepFacts | void> {
          const current = await stage(c, 'current');
          if (current?.version !== c.facts.newVersion)
            await c.store.setStage(c.secretName, 'current', String(c.facts.newVersion));
        },
      },
    ];
  },
};

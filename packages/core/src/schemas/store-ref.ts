import { z } from 'zod';
import { SvmError } from '../errors.js';

/** URI schemes svm understands for secret stores. */
export const STORE_SCHEMES = ['vault', 'aws-sm', 'gcp-sm', 'azure-kv', 'file'] as const;
export const StoreKind = z.enum(STORE_SCHEMES);
export type StoreKind = z.infer<typeof StoreKind>;

const options = z.record(z.string(), z.string());

/**
 * A parsed store reference. Produced by {@link parseStoreUri}; `uri` keeps the original text.
 *
 * - `vault://host:port/<kv-mount>` (HTTPS; `vault+http://` or `?tls=false` for plain HTTP; `?namespace=`)
 * - `aws-sm://<region>` (`?endpoint=`, `?profile=`)
 * - `gcp-sm://<project>` (`?endpoint=host:port`, `?insecure=true` for an emulator)
 * - `azure-kv://<vault-name>` (`?url=` to point at another endpoint)
 * - `file://<path>` (relative or absolute)
 *
 * @example
 * ```ts
 * StoreRef.parse({ kind: 'aws-sm', uri: 'aws-sm://eu-west-1', region: 'eu-west-1', options: {} });
 * ```
 */
export const StoreRef = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('vault'),
    uri: z.string(),
    address: z.string(),
    mount: z.string().min(1),
    namespace: z.string().optional(),
    options,
  }),
  z.object({ kind: z.literal('aws-sm'), uri: z.string(), region: z.string().min(1), options }),
  z.object({ kind: z.literal('gcp-sm'), uri: z.string(), project: z.string().min(1), options }),
  z.object({ kind: z.literal('azure-kv'), uri: z.string(), vaultName: z.string().min(1), url: z.string(), options }),
  z.object({ kind: z.literal('file'), uri: z.string(), path: z.string().min(1), options }),
]);
export type StoreRef = z.infer<typeof StoreRef>;

/**
 * A store URI as a string schema that parses into a {@link StoreRef}.
 *
 * @example
 * ```ts
 * StoreUri.parse('file://./secrets.svm').kind; // 'file'
 * ```
 */
export const StoreUri = z.string().transform((value, ctx) => {
  try {
    return parseStoreUri(value);
  } catch (error) {
    ctx.addIssue({ code: 'custom', message: (error as Error).message });
    return z.NEVER;
  }
});

/**
 * Parse a store URI. Throws `STORE_URI_INVALID` with what was expected.
 *
 * @example
 * ```ts
 * parseStoreUri('vault+http://127.0.0.1:8200/secret');
 * // { kind: 'vault', address: 'http://127.0.0.1:8200', mount: 'secret', ... }
 * ```
 */
export function parseStoreUri(uri: string): StoreRef {
  const match = /^([a-z][a-z0-9+.-]*):\/\/(.*)$/i.exec(uri.trim());
  if (!match) throw bad(uri, 'expected <scheme>://…, one of vault://, aws-sm://, gcp-sm://, azure-kv://, file://');
  const scheme = (match[1] as string).toLowerCase();
  const rest = match[2] as string;
  const [body = '', query = ''] = splitOnce(rest, '?');
  const opts = Object.fromEntries(new URLSearchParams(query));

  switch (scheme) {
    case 'vault':
    case 'vault+http':
    case 'vault+https':
    case 'openbao':
    case 'bao': {
      const [hostPort = '', ...mountParts] = body.split('/');
      const mount = mountParts.filter(Boolean).join('/');
      if (!hostPort) throw bad(uri, 'expected vault://host:port/<kv-mount>');
      if (!mount) throw bad(uri, 'expected a KV v2 mount after the host, e.g. vault://vault.example.com:8200/secret');
      const plain = scheme === 'vault+http' || opts.tls === 'false' || opts.tls === '0';
      const { namespace, tls: _tls, ...others } = opts;
      return {
        kind: 'vault',
        uri,
        address: `${plain ? 'http' : 'https'}://${hostPort}`,
        mount,
        ...(namespace ? { namespace } : {}),
        options: others,
      };
    }
    case 'aws-sm': {
      if (!/^[a-z]{2}(-[a-z]+)+-\d+$/.test(body)) throw bad(uri, 'expected aws-sm://<region>, e.g. aws-sm://eu-west-1');
      return { kind: 'aws-sm', uri, region: body, options: opts };
    }
    case 'gcp-sm': {
      if (!/^[a-z][a-z0-9-]{4,28}[a-z0-9]$|^\d+$/.test(body)) throw bad(uri, 'expected gcp-sm://<project-id>');
      return { kind: 'gcp-sm', uri, project: body, options: opts };
    }
    case 'azure-kv': {
      if (!/^[A-Za-z][A-Za-z0-9-]{1,22}[A-Za-z0-9]$/.test(body))
        throw bad(uri, 'expected azure-kv://<vault-name> (3-24 letters, digits, dashes)');
      const { url, ...others } = opts;
      return { kind: 'azure-kv', uri, vaultName: body, url: url ?? `https://${body}.vault.azure.net`, options: others };
    }
    case 'file': {
      if (!body) throw bad(uri, 'expected file://<path>');
      let path: string;
      try {
        path = decodeURIComponent(body);
      } catch {
        throw bad(uri, 'expected file://<path> with valid %-escapes');
      }
      return { kind: 'file', uri, path, options: opts };
    }
    default:
      throw bad(
        uri,
        `unknown scheme '${scheme}', expected one of vault://, aws-sm://, gcp-sm://, azure-kv://, file://`,
      );
  }
}

/**
 * Render a {@link StoreRef} as its canonical URI; `parseStoreUri(formatStoreUri(ref))` gives back the
 * same reference (with `uri` set to the canonical text).
 *
 * @example
 * ```ts
 * formatStoreUri(parseStoreUri('aws-sm://us-east-1?endpoint=http://127.0.0.1:15000'));
 * // 'aws-sm://us-east-1?endpoint=http%3A%2F%2F127.0.0.1%3A15000'
 * ```
 */
export function formatStoreUri(ref: StoreRef): string {
  const query = (extra: Record<string, string | undefined>): string => {
    const params = new URLSearchParams();
    for (const [k, v] of Object.entries({ ...ref.options, ...extra })) if (v !== undefined) params.set(k, v);
    const text = params.toString();
    return text ? `?${text}` : '';
  };
  switch (ref.kind) {
    case 'vault': {
      const plain = ref.address.startsWith('http://');
      const host = ref.address.replace(/^https?:\/\//, '');
      return `${plain ? 'vault+http' : 'vault'}://${host}/${ref.mount}${query({ namespace: ref.namespace })}`;
    }
    case 'aws-sm':
      return `aws-sm://${ref.region}${query({})}`;
    case 'gcp-sm':
      return `gcp-sm://${ref.project}${query({})}`;
    case 'azure-kv': {
      const defaultUrl = `https://${ref.vaultName}.vault.azure.net`;
      return `azure-kv://${ref.vaultName}${query({ url: ref.url === defaultUrl ? undefined : ref.url })}`;
    }
    case 'file':
      return `file://${ref.path.replace(/[%?#]/g, (c) => encodeURIComponent(c))}${query({})}`;
  }
}

/**
 * A store URI safe to show in messages: user-info and the values of query parameters that look like
 * credentials (`token`, `secret`, `password`, `key`) are replaced by `***`.
 *
 * @example
 * ```ts
 * redactStoreUri('vault://v:8200/secret?token=s.abc'); // 'vault://v:8200/secret?token=***'
 * ```
 */
export function redactStoreUri(uri: string): string {
  return uri
    .replace(/^([a-z][a-z0-9+.-]*:\/\/)[^/@?#]*@/i, '$1***@')
    .replace(/([?&][^=&]*(?:token|secret|password|passphrase|key)[^=&]*=)[^&]*/gi, '$1***');
}

function splitOnce(text: string, sep: string): [string, string] {
  const i = text.indexOf(sep);
  return i < 0 ? [text, ''] : [text.slice(0, i), text.slice(i + 1)];
}

function bad(uri: string, expected: string): SvmError {
  return new SvmError('STORE_URI_INVALID', `${expected}, got '${redactStoreUri(uri)}'`);
}

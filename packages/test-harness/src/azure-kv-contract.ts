/**
 * An HTTPS contract server for the Azure Key Vault Secrets data plane, for tests on machines where no Key Vault
 * emulator installs. It serves the operations of the vendored specification (`spec/keyvault-secrets-2025-07-01.json`,
 * from Azure/azure-rest-api-specs) with real in-memory state, and checks every request against that
 * specification: method and path template, path-parameter patterns, the declared query parameters, `api-version`
 * (must equal the spec's version), and the JSON body against the schema (ajv; `$ref`s resolved in the spec; fields
 * the schema does not declare, or declares readOnly, are refused). Every response it sends is validated too, and its
 * response shapes are those of Azure's example files (`spec/examples/`, held to them by test/azure-kv-examples.test.ts).
 *
 * A request that breaks the contract gets 400 `{"error":{"code":"ContractViolation",…}}` and is recorded in
 * `violations`, so a test can assert that none happened.
 *
 *   const kv = await startAzureKvContractServer();
 *   // SecretClient(kv.url, kv.credential, { serviceVersion: kv.apiVersion, disableChallengeResourceVerification: true,
 *   //   tlsOptions: { ca: kv.caPem } })   (or NODE_EXTRA_CA_CERTS=<kv.caFile> for a child process)
 *   await kv.close();
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv, type ValidateFunction } from 'ajv';
import { generate } from 'selfsigned';

const SPEC_FILE = join(dirname(fileURLToPath(import.meta.url)), '..', 'spec', 'keyvault-secrets-2025-07-01.json');

type Json = Record<string, any>;
interface Param {
  name: string;
  in: 'path' | 'query' | 'body';
  required?: boolean;
  type?: string;
  pattern?: string;
  minimum?: number;
  maximum?: number;
  minLength?: number;
  enum?: string[];
  schema?: Json;
}
interface Operation {
  method: string;
  template: string;
  operationId: string;
  regex: RegExp;
  pathNames: string[];
  params: Param[];
  okStatus: number;
  okSchema?: string;
}

export interface AzureKvContractServer {
  /** Vault URL, e.g. https://127.0.0.1:40123 */
  url: string;
  /** The specification's api-version ("2025-07-01"): pass it as the SDK's serviceVersion. */
  apiVersion: string;
  /** PEM of the server's self-signed certificate (SAN IP:127.0.0.1, DNS:localhost). */
  caPem: string;
  /** The same PEM in a file, for NODE_EXTRA_CA_CERTS. */
  caFile: string;
  /** The only bearer token the server accepts. */
  token: string;
  /** A static TokenCredential handing out `token`. */
  credential: { getToken(): Promise<{ token: string; expiresOnTimestamp: number }> };
  /** Every contract violation seen, as "<METHOD> <path>: <reason>". */
  violations: string[];
  /** Every request, as "<METHOD> <path>?<query>" (for tests of paging and the challenge). */
  requests: string[];
  /** Forget every secret and empty `violations` and `requests` (the certificate, URL and token stay). */
  reset(): void;
  close(): Promise<void>;
}

export interface AzureKvContractOptions {
  /** Page size of list operations when the request has no maxresults (the service's is 25). Small to exercise nextLink. */
  pageSize?: number;
}

interface Version {
  id: string;
  value: string;
  contentType?: string;
  tags?: Record<string, string>;
  enabled: boolean;
  nbf?: number;
  exp?: number;
  created: number;
  updated: number;
}
interface SecretState {
  versions: Version[]; // oldest first
  deleted?: { deletedDate: number; scheduledPurgeDate: number };
}

class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

const now = (): number => Math.floor(Date.now() / 1000);

/** Swagger 2.0 schemas with `additionalProperties: false` wherever an object lists its properties and readOnly fields removed: the request form. */
function requestForm(schema: any): any {
  if (Array.isArray(schema)) return schema.map(requestForm);
  if (typeof schema !== 'object' || schema === null) return schema;
  const out: Json = {};
  for (const [k, v] of Object.entries(schema)) out[k] = k === 'properties' ? v : requestForm(v);
  if (schema.properties) {
    out.properties = Object.fromEntries(
      Object.entries(schema.properties as Json)
        .filter(([, p]) => !(p as Json).readOnly)
        .map(([k, p]) => [k, requestForm(p)]),
    );
    if (schema.additionalProperties === undefined) out.additionalProperties = false;
  }
  return out;
}

function loadContract(): { spec: Json; operations: Operation[]; request: Ajv; response: Ajv } {
  const spec = JSON.parse(readFileSync(SPEC_FILE, 'utf8')) as Json;
  const formats = { unixtime: true, int32: true, int64: true, base64url: true, uri: true } as const;
  // The spec is Swagger 2.0: JSON Schema draft 4 plus x-ms-* annotations (ignored: strict false).
  const response = new Ajv({ strict: false, allErrors: true, formats });
  response.addSchema({ definitions: spec.definitions }, 'kv');
  const request = new Ajv({ strict: false, allErrors: true, formats });
  request.addSchema({ definitions: requestForm(spec.definitions) }, 'kv');
  const resolveParam = (p: Json): Param =>
    (p.$ref ? spec.parameters[(p.$ref as string).split('/').pop() as string] : p) as Param;
  const operations: Operation[] = [];
  for (const [template, item] of Object.entries(spec.paths as Json)) {
    const pathNames: string[] = [];
    const regex = new RegExp(
      `^${template.replace(/\{([^}]+)\}/g, (_m, n: string) => {
        pathNames.push(n);
        return '([^/]*)';
      })}$`,
    );
    for (const [method, op] of Object.entries(item as Json)) {
      const ok = Object.keys(op.responses).find((s) => s !== 'default') as string;
      const ref = op.responses[ok]?.schema?.$ref as string | undefined;
      operations.push({
        method: method.toUpperCase(),
        template,
        operationId: op.operationId,
        regex,
        pathNames,
        params: (op.parameters as Json[]).map(resolveParam),
        okStatus: Number(ok),
        ...(ref ? { okSchema: ref.split('/').pop() } : {}),
      });
    }
  }
  // Literal segments win over parameters (/secrets/{name}/versions before /secrets/{name}/{version}).
  operations.sort((a, b) => a.pathNames.length - b.pathNames.length);
  return { spec, operations, request, response };
}

/** Start the contract server on 127.0.0.1 (a random port) with a fresh self-signed certificate. */
export async function startAzureKvContractServer(options: AzureKvContractOptions = {}): Promise<AzureKvContractServer> {
  const { spec, operations, request: reqAjv, response: resAjv } = loadContract();
  const apiVersion = spec.info.version as string;
  const pageSize = options.pageSize ?? 25;
  const pems = await generate([{ name: 'commonName', value: '127.0.0.1' }], {
    keySize: 2048,
    algorithm: 'sha256',
    extensions: [
      { name: 'basicConstraints', cA: true },
      {
        name: 'subjectAltName',
        altNames: [
          { type: 7, ip: '127.0.0.1' },
          { type: 2, value: 'localhost' },
        ],
      },
    ],
  } as never);
  const dir = mkdtempSync(join(tmpdir(), 'svm-kv-contract-'));
  const caFile = join(dir, 'ca.pem');
  writeFileSync(caFile, pems.cert);
  const token = `svm-contract-${randomBytes(8).toString('hex')}`;
  const violations: string[] = [];
  const requests: string[] = [];
  const secrets = new Map<string, SecretState>();
  const validators = new Map<string, ValidateFunction>();
  const validator = (ajv: Ajv, kind: string, def: string): ValidateFunction => {
    const key = `${kind}:${def}`;
    let v = validators.get(key);
    if (!v) {
      v = ajv.getSchema(`kv#/definitions/${def}`) as ValidateFunction;
      validators.set(key, v);
    }
    return v;
  };
  let base = '';

  // The property sets below are those of Azure's examples (spec/examples/, checked by test/azure-kv-examples.test.ts):
  // attributes carry recoveryLevel but not recoverableDays, and the items of GetSecrets/GetSecretVersions carry no
  // recoveryLevel (the items of GetDeletedSecrets do).
  const attributes = (v: Version, withRecoveryLevel = true): Json => ({
    enabled: v.enabled,
    ...(v.nbf !== undefined ? { nbf: v.nbf } : {}),
    ...(v.exp !== undefined ? { exp: v.exp } : {}),
    created: v.created,
    updated: v.updated,
    ...(withRecoveryLevel ? { recoveryLevel: 'Recoverable+Purgeable' } : {}),
  });
  const bundle = (name: string, v: Version, withValue: boolean): Json => ({
    ...(withValue ? { value: v.value } : {}),
    id: `${base}/secrets/${name}/${v.id}`,
    ...(v.contentType !== undefined ? { contentType: v.contentType } : {}),
    attributes: attributes(v),
    ...(v.tags ? { tags: v.tags } : {}),
  });
  const item = (id: string, v: Version, withRecoveryLevel: boolean): Json => ({
    id,
    attributes: attributes(v, withRecoveryLevel),
    ...(v.tags ? { tags: v.tags } : {}),
    ...(v.contentType !== undefined ? { contentType: v.contentType } : {}),
  });
  const deletedExtras = (name: string, s: SecretState): Json => ({
    recoveryId: `${base}/deletedsecrets/${name}`,
    deletedDate: s.deleted!.deletedDate,
    scheduledPurgeDate: s.deleted!.scheduledPurgeDate,
  });
  const live = (name: string): SecretState => {
    const s = secrets.get(name);
    if (!s || s.deleted || s.versions.length === 0)
      throw new HttpError(404, 'SecretNotFound', `A secret with (name/id) ${name} was not found in this key vault.`);
    return s;
  };
  const deleted = (name: string): SecretState => {
    const s = secrets.get(name);
    if (!s?.deleted) throw new HttpError(404, 'SecretNotFound', `Deleted Secret not found: ${name}`);
    return s;
  };
  const page = (path: string, query: URLSearchParams, all: Json[]): Json => {
    const size = query.has('maxresults') ? Number(query.get('maxresults')) : pageSize;
    const start = Number(query.get('$skiptoken') ?? 0);
    // Its own cursors only (the examples' opaque Azure tokens mean nothing here).
    if (!Number.isInteger(start) || start < 0)
      throw new HttpError(
        400,
        'BadParameter',
        `The $skiptoken '${query.get('$skiptoken')}' is not one this vault issued.`,
      );
    const out: Json = { value: all.slice(start, start + size) };
    if (start + size < all.length) {
      const next = new URLSearchParams({ 'api-version': apiVersion, $skiptoken: String(start + size) });
      if (query.has('maxresults')) next.set('maxresults', String(size));
      out.nextLink = `${base}${path}?${next}`;
    }
    return out;
  };

  const handlers: Record<
    string,
    (p: Record<string, string>, query: URLSearchParams, body: Json | undefined, path: string) => Json | undefined
  > = {
    SetSecret: (p, _q, body) => {
      const name = p['secret-name'] as string;
      const s = secrets.get(name) ?? { versions: [] };
      if (s.deleted)
        throw new HttpError(
          409,
          'Conflict',
          `Secret ${name} is currently in a deleted but recoverable state, and its name cannot be reused; in this state, the secret can only be recovered or purged.`,
        );
      const t = now();
      const a = (body?.attributes ?? {}) as Json;
      const v: Version = {
        id: randomBytes(16).toString('hex'),
        value: body!.value as string,
        ...(body?.contentType !== undefined ? { contentType: body.contentType as string } : {}),
        ...(body?.tags ? { tags: body.tags as Record<string, string> } : {}),
        enabled: a.enabled ?? true,
        ...(a.nbf !== undefined ? { nbf: a.nbf as number } : {}),
        ...(a.exp !== undefined ? { exp: a.exp as number } : {}),
        created: t,
        updated: t,
      };
      s.versions.push(v);
      secrets.set(name, s);
      return bundle(name, v, true);
    },
    GetSecret: (p) => {
      const name = p['secret-name'] as string;
      const s = live(name);
      const id = p['secret-version'];
      const v = id ? s.versions.find((x) => x.id === id) : s.versions[s.versions.length - 1];
      if (!v)
        throw new HttpError(
          404,
          'SecretNotFound',
          `A secret with (name/id) ${name}/${id} was not found in this key vault.`,
        );
      if (!v.enabled) throw new HttpError(403, 'Forbidden', 'Operation get is not allowed on a disabled secret.');
      return bundle(name, v, true);
    },
    UpdateSecret: (p, _q, body) => {
      const name = p['secret-name'] as string;
      const s = live(name);
      const id = p['secret-version'];
      const v = id ? s.versions.find((x) => x.id === id) : s.versions[s.versions.length - 1];
      if (!v)
        throw new HttpError(
          404,
          'SecretNotFound',
          `A secret with (name/id) ${name}/${id} was not found in this key vault.`,
        );
      const a = (body?.attributes ?? {}) as Json;
      if (a.enabled !== undefined) v.enabled = a.enabled as boolean;
      if (a.nbf !== undefined) v.nbf = a.nbf as number;
      if (a.exp !== undefined) v.exp = a.exp as number;
      if (body?.tags !== undefined) v.tags = body.tags as Record<string, string>;
      if (body?.contentType !== undefined) v.contentType = body.contentType as string;
      v.updated = now();
      return bundle(name, v, false);
    },
    GetSecretVersions: (p, q, _b, path) => {
      const name = p['secret-name'] as string;
      const s = secrets.get(name);
      // The service answers an empty list (not 404) for a name it does not know.
      const all = s && !s.deleted ? s.versions.map((v) => item(`${base}/secrets/${name}/${v.id}`, v, false)) : [];
      return page(path, q, all);
    },
    GetSecrets: (_p, q, _b, path) => {
      const all = [...secrets.entries()]
        .filter(([, s]) => !s.deleted && s.versions.length > 0)
        .map(([name, s]) => item(`${base}/secrets/${name}`, s.versions[s.versions.length - 1] as Version, false));
      return page(path, q, all);
    },
    DeleteSecret: (p) => {
      const name = p['secret-name'] as string;
      const s = live(name);
      const t = now();
      s.deleted = { deletedDate: t, scheduledPurgeDate: t + 90 * 86400 };
      return { ...bundle(name, s.versions[s.versions.length - 1] as Version, false), ...deletedExtras(name, s) };
    },
    GetDeletedSecret: (p) => {
      const name = p['secret-name'] as string;
      const s = deleted(name);
      return { ...bundle(name, s.versions[s.versions.length - 1] as Version, false), ...deletedExtras(name, s) };
    },
    GetDeletedSecrets: (_p, q, _b, path) => {
      const all = [...secrets.entries()]
        .filter(([, s]) => s.deleted)
        .map(([name, s]) => ({
          ...item(`${base}/secrets/${name}`, s.versions[s.versions.length - 1] as Version, true),
          ...deletedExtras(name, s),
        }));
      return page(path, q, all);
    },
    PurgeDeletedSecret: (p) => {
      const name = p['secret-name'] as string;
      deleted(name);
      secrets.delete(name);
      return undefined;
    },
    RecoverDeletedSecret: (p) => {
      const name = p['secret-name'] as string;
      const s = deleted(name);
      delete s.deleted;
      return bundle(name, s.versions[s.versions.length - 1] as Version, false);
    },
  };

  const send = (res: ServerResponse, status: number, body?: Json, headers: Record<string, string> = {}): void => {
    const text = body === undefined ? '' : JSON.stringify(body);
    res.writeHead(status, {
      ...(body === undefined ? {} : { 'content-type': 'application/json; charset=utf-8' }),
      'content-length': Buffer.byteLength(text),
      ...headers,
    });
    res.end(text);
  };

  const check = (
    op: Operation,
    pathValues: string[],
    query: URLSearchParams,
    raw: string,
    contentType: string | undefined,
  ): Json | undefined => {
    const problems: string[] = [];
    const declared = new Set(op.params.filter((p) => p.in === 'query').map((p) => p.name));
    const pageable =
      op.operationId === 'GetSecrets' ||
      op.operationId === 'GetSecretVersions' ||
      op.operationId === 'GetDeletedSecrets';
    for (const key of new Set(query.keys())) {
      // $skiptoken is not in the spec: it only appears in the nextLink this server hands out (x-ms-pageable).
      if (!declared.has(key) && !(pageable && key === '$skiptoken'))
        problems.push(`query parameter '${key}' is not declared by ${op.operationId}`);
    }
    for (const p of op.params) {
      if (p.in === 'query') {
        const value = query.get(p.name);
        if (value === null) {
          if (p.required) problems.push(`required query parameter '${p.name}' is missing`);
          continue;
        }
        if (p.minLength !== undefined && value.length < p.minLength)
          problems.push(`'${p.name}' is shorter than ${p.minLength}`);
        if (p.type === 'integer') {
          const n = Number(value);
          if (!Number.isInteger(n)) problems.push(`'${p.name}' is not an integer`);
          else if ((p.minimum !== undefined && n < p.minimum) || (p.maximum !== undefined && n > p.maximum))
            problems.push(`'${p.name}'=${n} is out of range`);
        }
        if (p.enum && !p.enum.includes(value)) problems.push(`'${p.name}' is not one of ${p.enum.join(', ')}`);
        if (p.name === 'api-version' && value !== apiVersion)
          problems.push(`api-version '${value}' is not the specification's ${apiVersion}`);
      }
      if (p.in === 'path') {
        const value = pathValues[op.pathNames.indexOf(p.name)] ?? '';
        // secret-version may be empty: "this URI fragment is optional; if not specified, the latest version" (spec).
        if (value === '' && p.name !== 'secret-version') problems.push(`path parameter '${p.name}' is empty`);
        if (p.pattern && !new RegExp(p.pattern).test(value))
          problems.push(`path parameter '${p.name}'='${value}' does not match ${p.pattern}`);
      }
    }
    const bodyParam = op.params.find((p) => p.in === 'body');
    let body: Json | undefined;
    if (bodyParam) {
      if (!contentType?.startsWith('application/json'))
        problems.push(`content-type '${contentType ?? ''}' is not application/json`);
      try {
        body = raw ? (JSON.parse(raw) as Json) : undefined;
      } catch {
        problems.push('body is not JSON');
      }
      if (body === undefined) {
        if (bodyParam.required) problems.push('required body is missing');
      } else {
        const def = String(bodyParam.schema?.$ref).split('/').pop() as string;
        const validate = validator(reqAjv, 'request', def);
        if (!validate(body))
          problems.push(
            ...(validate.errors ?? []).map(
              (e) =>
                `body${e.instancePath} ${e.message}${e.params && 'additionalProperty' in e.params ? ` '${e.params.additionalProperty}'` : ''}`,
            ),
          );
      }
    } else if (raw.length > 0) problems.push(`${op.operationId} takes no body`);
    if (problems.length > 0) throw new HttpError(400, 'ContractViolation', problems.join('; '));
    return body;
  };

  const server = createServer({ key: pems.private, cert: pems.cert }, (req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', base);
      const method = req.method ?? 'GET';
      requests.push(`${method} ${url.pathname}${url.search}`);
      // The first, unauthenticated request gets the challenge the SDK's KeyVault policy expects.
      const auth = req.headers.authorization;
      if (!auth) {
        send(
          res,
          401,
          { error: { code: 'Unauthorized', message: 'AKV10000: Request is missing a Bearer or PoP token.' } },
          {
            'www-authenticate':
              'Bearer authorization="https://login.microsoftonline.com/00000000-0000-0000-0000-000000000000", resource="https://vault.azure.net"',
          },
        );
        return;
      }
      if (auth !== `Bearer ${token}`) {
        send(res, 401, { error: { code: 'Unauthorized', message: 'AKV10032: Invalid issuer.' } });
        return;
      }
      const candidates = operations.filter((o) => o.regex.test(url.pathname));
      const op = candidates.find((o) => o.method === method);
      try {
        if (!op) {
          throw new HttpError(
            candidates.length ? 405 : 404,
            'ContractViolation',
            candidates.length
              ? `${method} is not an operation on ${candidates[0]?.template}`
              : `no operation of the specification matches ${url.pathname}`,
          );
        }
        const values = (op.regex.exec(url.pathname) as RegExpExecArray).slice(1).map(decodeURIComponent);
        const body = check(
          op,
          values,
          url.searchParams,
          Buffer.concat(chunks).toString('utf8'),
          req.headers['content-type'],
        );
        const params = Object.fromEntries(op.pathNames.map((n, i) => [n, values[i] as string]));
        const out = (handlers[op.operationId] as NonNullable<(typeof handlers)[string]>)(
          params,
          url.searchParams,
          body,
          url.pathname,
        );
        if (op.okSchema) {
          const validate = validator(resAjv, 'response', op.okSchema);
          if (!validate(out))
            throw new Error(
              `contract server bug: ${op.operationId} response breaks ${op.okSchema}: ${resAjv.errorsText(validate.errors)}`,
            );
        }
        send(res, op.okStatus, out);
      } catch (error) {
        if (error instanceof HttpError) {
          if (error.code === 'ContractViolation') violations.push(`${method} ${url.pathname}: ${error.message}`);
          send(res, error.status, { error: { code: error.code, message: error.message } });
        } else {
          violations.push(`${method} ${url.pathname}: ${(error as Error).message}`);
          send(res, 500, { error: { code: 'InternalError', message: (error as Error).message } });
        }
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url: base,
    apiVersion,
    caPem: pems.cert,
    caFile,
    token,
    credential: { getToken: async () => ({ token, expiresOnTimestamp: Date.now() + 3_600_000 }) },
    violations,
    requests,
    reset: () => {
      secrets.clear();
      violations.length = 0;
      requests.length = 0;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

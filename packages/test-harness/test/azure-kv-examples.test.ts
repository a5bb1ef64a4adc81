// The Azure Key Vault contract server against Azure's own examples (spec/examples/, vendored byte-exact from
// Azure/azure-rest-api-specs, see spec/README.md):
//  1. every example request passes the server's request validation, and the same request without api-version,
//     or with a body field of the wrong type, is refused as a contract violation;
//  2. sent each example request (after seeding the state the example presumes), the server answers the example's
//     status code with a body that has the same property names at every level (and the same JSON types) as the
//     example's response, and that body validates against the specification's response schema.
// (2) is what ties the server's response shapes to the examples: a property the server adds, drops or renames fails it.
import { readdirSync, readFileSync } from 'node:fs';
import { request } from 'node:https';
import { Ajv } from 'ajv';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type AzureKvContractServer, startAzureKvContractServer } from '../src/index.ts';

type Json = Record<string, any>;
interface Example {
  file: string;
  operationId: string;
  method: string;
  template: string;
  parameters: Json;
  status: number;
  body?: unknown;
}

const specDir = new URL('../spec/', import.meta.url);
const spec = JSON.parse(readFileSync(new URL('keyvault-secrets-2025-07-01.json', specDir), 'utf8')) as Json;
const operations = new Map<string, { method: string; template: string; params: Json[]; responses: Json }>();
for (const [template, item] of Object.entries(spec.paths as Json))
  for (const [method, op] of Object.entries(item as Json))
    operations.set(op.operationId, {
      method: method.toUpperCase(),
      template,
      params: op.parameters,
      responses: op.responses,
    });

const examples: Example[] = readdirSync(new URL('examples/', specDir))
  .filter((f) => f.endsWith('-example.json'))
  .sort()
  .map((file) => {
    const raw = JSON.parse(readFileSync(new URL(`examples/${file}`, specDir), 'utf8')) as Json;
    // Some example files carry operationId, all are named <operationId>-example.json.
    const operationId = (raw.operationId as string | undefined) ?? file.replace(/-example\.json$/, '');
    const op = operations.get(operationId);
    if (!op) throw new Error(`${file}: ${operationId} is not an operation of the vendored specification`);
    const [status, response] = Object.entries(raw.responses as Json)[0] as [string, Json];
    return {
      file,
      operationId,
      method: op.method,
      template: op.template,
      parameters: raw.parameters,
      status: Number(status),
      ...(response.body !== undefined ? { body: response.body } : {}),
    };
  });

/** Query parameters the operation declares (api-version aside) plus $skiptoken, the nextLink cursor. */
const queryOf = (ex: Example, apiVersion: string | undefined, overrides: Json = {}): string => {
  const q = new URLSearchParams();
  if (apiVersion !== undefined) q.set('api-version', apiVersion);
  const p = { ...ex.parameters, ...overrides };
  for (const name of ['maxresults', '$skiptoken']) if (p[name] !== undefined) q.set(name, String(p[name]));
  return q.toString();
};
const pathOf = (ex: Example, overrides: Json = {}): string =>
  ex.template.replace(/\{([^}]+)\}/g, (_m, n: string) =>
    encodeURIComponent(String({ ...ex.parameters, ...overrides }[n] ?? '')),
  );
/** The body parameter of the operation is the example's parameter of the same name ("parameters"). */
const bodyOf = (ex: Example): Json | undefined => {
  const bp = operations.get(ex.operationId)?.params.find((p) => p.in === 'body');
  return bp ? (ex.parameters[bp.name] as Json) : undefined;
};

let kv: AzureKvContractServer;
const call = (
  method: string,
  pathAndQuery: string,
  body?: unknown,
): Promise<{ status: number; body: Json | undefined }> =>
  new Promise((resolve, reject) => {
    const text = body === undefined ? undefined : JSON.stringify(body);
    const req = request(
      `${kv.url}${pathAndQuery}`,
      {
        method,
        ca: kv.caPem,
        headers: {
          authorization: `Bearer ${kv.token}`,
          // content-length by hand: node sends a GET or DELETE body without it.
          ...(text === undefined
            ? {}
            : { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(text)) }),
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const raw = Buffer.concat(chunks).toString('utf8');
          resolve({ status: res.statusCode ?? 0, body: raw ? (JSON.parse(raw) as Json) : undefined });
        });
      },
    );
    req.on('error', reject);
    req.end(text);
  });
const api = () => `api-version=${kv.apiVersion}`;
const put = async (name: string, body: Json): Promise<string> => {
  const r = await call('PUT', `/secrets/${name}?${api()}`, { value: 'seed', ...body });
  expect(r.status).toBe(200);
  return String(r.body?.id).split('/').pop() as string;
};
const softDelete = async (name: string): Promise<void> => {
  expect((await call('DELETE', `/secrets/${name}?${api()}`)).status).toBe(200);
};

/**
 * Seed the state an example presumes and return the parameters to send instead of the example's (the version id and
 * the paging cursor are the server's own). What is seeded is read off the example's response: the contentType and
 * tags it shows, and one more item than the page when the page has a nextLink.
 */
async function seed(ex: Example): Promise<Json> {
  const name = ex.parameters['secret-name'] as string | undefined;
  const body = ex.body as Json | undefined;
  const shown = (b: Json | undefined): Json => ({
    ...(b?.contentType !== undefined ? { contentType: b.contentType } : {}),
    ...(b?.tags !== undefined ? { tags: b.tags } : {}),
  });
  switch (ex.operationId) {
    case 'SetSecret':
      return {};
    case 'GetSecret':
    case 'UpdateSecret':
      return { 'secret-version': await put(name as string, ex.operationId === 'GetSecret' ? shown(body) : {}) };
    case 'DeleteSecret':
      await put(name as string, shown(body));
      return {};
    case 'GetDeletedSecret':
    case 'RecoverDeletedSecret':
    case 'PurgeDeletedSecret':
      await put(name as string, shown(body));
      await softDelete(name as string);
      return {};
    case 'GetSecretVersions': {
      const n = body?.value.length + (body?.nextLink ? 1 : 0);
      for (let i = 0; i < n; i++) await put(name as string, shown(body?.value[0]));
      return {};
    }
    case 'GetSecrets':
    case 'GetDeletedSecrets': {
      const deleted = ex.operationId === 'GetDeletedSecrets';
      // A request with a $skiptoken asks for a later page: seed one page more, and use the server's own cursor.
      const skip = ex.parameters.$skiptoken !== undefined;
      const n = (body?.value.length as number) * (skip ? 2 : 1) + (body?.nextLink ? 1 : 0);
      for (let i = 0; i < n; i++) {
        await put(`example-item-${i}`, shown(body?.value[0]));
        if (deleted) await softDelete(`example-item-${i}`);
      }
      if (!skip) return {};
      const first = await call('GET', `${pathOf(ex)}?${queryOf(ex, kv.apiVersion, { $skiptoken: undefined })}`);
      const next = new URL(String(first.body?.nextLink));
      return { $skiptoken: next.searchParams.get('$skiptoken') };
    }
    default:
      throw new Error(`no seeding rule for ${ex.operationId}`);
  }
}

/** The property names at every level and the JSON type of every leaf (arrays: the shape of each element). */
const shape = (v: unknown): unknown => {
  if (Array.isArray(v)) return v.map(shape);
  if (v !== null && typeof v === 'object')
    return Object.fromEntries(
      Object.keys(v)
        .sort()
        .map((k) => [k, shape((v as Json)[k])]),
    );
  return typeof v;
};

const formats = { unixtime: true, int32: true, int64: true, base64url: true, uri: true } as const;
const ajv = new Ajv({ strict: false, allErrors: true, formats });
ajv.addSchema({ definitions: spec.definitions }, 'kv');

beforeAll(async () => {
  kv = await startAzureKvContractServer();
});
afterAll(async () => {
  await kv.close();
});
beforeEach(() => {
  kv.reset();
});

describe('Azure Key Vault contract server and the specification examples', () => {
  it('has one vendored example for every operation of the specification subset', () => {
    expect(examples.map((e) => e.operationId).sort()).toEqual([...operations.keys()].sort());
  });

  describe.each(examples)('$file', (ex) => {
    it('its request passes validation; without api-version or with a body field of the wrong type it is refused', async () => {
      const ok = await call(ex.method, `${pathOf(ex)}?${queryOf(ex, kv.apiVersion)}`, bodyOf(ex));
      expect(ok.body?.error?.code).not.toBe('ContractViolation');
      expect(kv.violations).toEqual([]);

      const noVersion = await call(ex.method, `${pathOf(ex)}?${queryOf(ex, undefined)}`, bodyOf(ex));
      expect(noVersion.status).toBe(400);
      expect(noVersion.body?.error).toMatchObject({ code: 'ContractViolation' });
      expect(noVersion.body?.error.message).toMatch(/required query parameter 'api-version' is missing/);

      const body = bodyOf(ex);
      if (body) {
        for (const [field, value] of Object.entries(body)) {
          const wrong = { ...body, [field]: typeof value === 'string' ? 42 : 'not-an-object' };
          const r = await call(ex.method, `${pathOf(ex)}?${queryOf(ex, kv.apiVersion)}`, wrong);
          expect(r.status, `${field} of the wrong type`).toBe(400);
          expect(r.body?.error.message).toMatch(new RegExp(`body/${field} must be`));
        }
      } else {
        const r = await call(ex.method, `${pathOf(ex)}?${queryOf(ex, kv.apiVersion)}`, { value: 'x' });
        expect(r.status).toBe(400);
        expect(r.body?.error.message).toMatch(/takes no body/);
      }
    });

    it("answers the example's status and a body of the example's shape that the response schema accepts", async () => {
      const overrides = await seed(ex);
      const r = await call(ex.method, `${pathOf(ex, overrides)}?${queryOf(ex, kv.apiVersion, overrides)}`, bodyOf(ex));
      expect(kv.violations).toEqual([]);
      expect(r.status).toBe(ex.status);
      expect(shape(r.body)).toEqual(shape(ex.body));
      const ref = operations.get(ex.operationId)?.responses[String(ex.status)]?.schema?.$ref as string | undefined;
      if (ref) {
        const validate = ajv.getSchema(`kv${ref}`);
        expect(validate?.(r.body), ajv.errorsText(validate?.errors)).toBe(true);
      } else expect(r.body).toBeUndefined();
    });
  });
});

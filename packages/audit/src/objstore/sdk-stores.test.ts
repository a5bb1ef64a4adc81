// The gs:// and azblob:// adapters run the real @google-cloud/storage and @azure/storage-blob SDKs here, against a
// minimal in-process fake of each service's list and download calls (GCS JSON API; Azure Blob REST with XML
// listings), paged two keys at a time. No GCS or Azure Storage server is available to the tests (see README,
// "What is proven against a server"): this checks the SDK calls, paging, folder prefixes, start-after and the
// byte stream, not the services' own behaviour.
import { type Server, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { analyzeFiles } from '../stream/analyze-files.js';
import { listLogObjects } from './list.js';
import { openObjectStore } from './stores.js';
import { parseObjectUrl } from './url.js';

const gcpRecord = (t: string) =>
  JSON.stringify({
    protoPayload: {
      methodName: 'google.cloud.secretmanager.v1.SecretManagerService.AccessSecretVersion',
      authenticationInfo: { principalEmail: 'ci@p.iam.gserviceaccount.com' },
      requestMetadata: { callerIp: '10.1.1.1' },
      resourceName: 'projects/p/secrets/db/versions/1',
      serviceName: 'secretmanager.googleapis.com',
    },
    timestamp: t,
  });
const OBJECTS: Record<string, Buffer> = {
  'cloudaudit.googleapis.com/data_access/2026/03/03/07:00:00_07:59:59_S0.json': Buffer.from(
    `${gcpRecord('2026-03-03T07:10:00Z')}\n${gcpRecord('2026-03-03T07:20:00Z')}\n`,
  ),
  'cloudaudit.googleapis.com/data_access/2026/03/03/08:00:00_08:59:59_S0.json': gzipSync(
    `${gcpRecord('2026-03-03T08:10:00Z')}\n`,
  ),
  'cloudaudit.googleapis.com/activity/2026/03/03/07:00:00_07:59:59_S0.json': Buffer.from(
    `${gcpRecord('2026-03-03T07:30:00Z')}\n`,
  ),
  'cloudaudit.googleapis.com/activity/2026/03/04/07:00:00_07:59:59_S0.json': Buffer.from(
    `${gcpRecord('2026-03-04T07:30:00Z')}\n`,
  ),
  'other/readme.txt': Buffer.from('not a log\n'),
};
const KEYS = Object.keys(OBJECTS).sort();

/** Keys under `prefix` after `start`, folded into folders at `delimiter`, as every listing API does. */
function page(prefix: string, delimiter: string, start: string, offset: number) {
  const entries: Array<{ key?: string; folder?: string }> = [];
  for (const k of KEYS) {
    if (!k.startsWith(prefix) || (start && k < start)) continue;
    const cut = delimiter ? k.indexOf(delimiter, prefix.length) : -1;
    if (cut >= 0) {
      const folder = k.slice(0, cut + 1);
      if (!entries.some((e) => e.folder === folder)) entries.push({ folder });
    } else entries.push({ key: k });
  }
  return { items: entries.slice(offset, offset + 2), next: offset + 2 < entries.length ? offset + 2 : undefined };
}

let server: Server;
let base = '';
const saved: Record<string, string | undefined> = {};

beforeAll(async () => {
  server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    const q = url.searchParams;
    // GCS JSON API: list and media download.
    // (With STORAGE_EMULATOR_HOST the SDK drops the /storage/v1 base path.)
    let m = /^(?:\/storage\/v1)?\/b\/([^/]+)\/o$/.exec(url.pathname);
    if (m) {
      const p = page(
        q.get('prefix') ?? '',
        q.get('delimiter') ?? '',
        q.get('startOffset') ?? '',
        Number(q.get('pageToken') ?? 0),
      );
      res.setHeader('content-type', 'application/json');
      res.end(
        JSON.stringify({
          kind: 'storage#objects',
          items: p.items
            .filter((e) => e.key)
            .map((e) => ({ name: e.key, bucket: m?.[1], size: String(OBJECTS[e.key as string]?.length) })),
          prefixes: p.items.filter((e) => e.folder).map((e) => e.folder),
          ...(p.next !== undefined ? { nextPageToken: String(p.next) } : {}),
        }),
      );
      return;
    }
    m = /^(?:\/download)?(?:\/storage\/v1)?\/b\/[^/]+\/o\/(.+)$/.exec(url.pathname);
    if (m) {
      const body = OBJECTS[decodeURIComponent(m[1] as string)];
      res.statusCode = body ? 200 : 404;
      res.end(body ?? '{"error":{"code":404,"message":"No such object"}}');
      return;
    }
    // Azure Blob REST: List Blobs (XML) and Get Blob.
    m = /^\/devstoreaccount1\/([^/]+)(?:\/(.+))?$/.exec(url.pathname);
    if (m && q.get('comp') === 'list') {
      const p = page(q.get('prefix') ?? '', q.get('delimiter') ?? '', '', Number(q.get('marker') || 0));
      const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;');
      res.setHeader('content-type', 'application/xml');
      res.setHeader('x-ms-version', '2025-11-05');
      res.end(
        `<?xml version="1.0" encoding="utf-8"?><EnumerationResults ServiceEndpoint="${base}/devstoreaccount1" ContainerName="${m[1]}"><Blobs>${p.items
          .map((e) =>
            e.key
              ? `<Blob><Name>${esc(e.key)}</Name><Properties><Content-Length>${OBJECTS[e.key]?.length}</Content-Length><BlobType>BlockBlob</BlobType></Properties></Blob>`
              : `<BlobPrefix><Name>${esc(e.folder as string)}</Name></BlobPrefix>`,
          )
          .join('')}</Blobs><NextMarker>${p.next ?? ''}</NextMarker></EnumerationResults>`,
      );
      return;
    }
    if (m?.[2]) {
      const body = OBJECTS[decodeURIComponent(m[2])];
      res.statusCode = body ? 200 : 404;
      res.setHeader('content-length', String(body?.length ?? 0));
      res.setHeader('x-ms-blob-type', 'BlockBlob');
      res.setHeader('etag', '"0x8D0000000000001"');
      res.setHeader('last-modified', 'Tue, 03 Mar 2026 09:00:00 GMT');
      res.end(body ?? '');
      return;
    }
    res.statusCode = 400;
    res.end(`unexpected ${req.method} ${req.url}`);
    process.stderr.write(`fake store: unexpected ${req.method} ${req.url}\n`);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  for (const k of ['STORAGE_EMULATOR_HOST', 'AZURE_STORAGE_CONNECTION_STRING']) saved[k] = process.env[k];
  process.env['STORAGE_EMULATOR_HOST'] = base;
  // Azurite's well-known development account key (public; not a secret).
  process.env['AZURE_STORAGE_CONNECTION_STRING'] =
    `DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==;BlobEndpoint=${base}/devstoreaccount1;`;
});

afterAll(async () => {
  for (const [k, v] of Object.entries(saved)) {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
  await new Promise((r) => server.close(r));
});

describe.each([
  ['gs://logs/', 'gs'],
  ['azblob://devstoreaccount1/logs/', 'azblob'],
])('%s through the real SDK', (url) => {
  it('walks to the dated folders, pages, and merges them by key time', async () => {
    const store = await openObjectStore(parseObjectUrl(url));
    const keys: string[] = [];
    for await (const o of listLogObjects(store, '')) keys.push(o.key);
    expect(keys).toEqual([
      'other/readme.txt',
      'cloudaudit.googleapis.com/activity/2026/03/03/07:00:00_07:59:59_S0.json',
      'cloudaudit.googleapis.com/data_access/2026/03/03/07:00:00_07:59:59_S0.json',
      'cloudaudit.googleapis.com/data_access/2026/03/03/08:00:00_08:59:59_S0.json',
      'cloudaudit.googleapis.com/activity/2026/03/04/07:00:00_07:59:59_S0.json',
    ]);
  });

  it('prunes by key, downloads and decompresses, and skips what the cursor has seen', async () => {
    const r = await analyzeFiles([`${url}cloudaudit.googleapis.com/`], { until: '2026-03-03T23:59:59Z' });
    expect(r.objects).toMatchObject({ read: 3, outsideWindow: 1 });
    expect(r.result.events).toBe(4);
    expect(r.result.sources).toEqual({ gcp: 4 });
    const seen = new Map<string, Set<string>>();
    for (const e of r.objects?.cursor ?? []) seen.set(e.stream, (seen.get(e.stream) ?? new Set()).add(e.key));
    const again = await analyzeFiles([`${url}cloudaudit.googleapis.com/`], { seen: (s) => seen.get(s) });
    // Each folder lists from its least remembered key: only the newer keys are listed again.
    expect(again.objects).toMatchObject({ read: 1, listed: 2, alreadyRead: 1 });
    expect(again.result.events).toBe(1);
  });
});

import type { Readable } from 'node:stream';
import { SvmError } from '@svm/core';
import type { ObjectUrl } from './url.js';

/** One object in a listing. */
export interface ObjectInfo {
  key: string;
  /** Size in bytes as stored (compressed size for gzip objects). */
  size: number;
}

/** One page of a listing: objects, and with a delimiter the folders (common prefixes) below. */
export interface ListPage {
  objects: ObjectInfo[];
  prefixes: string[];
}

/** Options of {@link ObjectStore.list}. */
export interface ListOptions {
  /** Group keys into folders at this character (`/`): the page's `prefixes`. */
  delimiter?: string | undefined;
  /** Only keys after this one (exclusive, in the store's lexicographic order). */
  startAfter?: string | undefined;
}

/**
 * The few object-storage calls the log reader needs. Listings are in lexicographic key order (all three
 * services guarantee it).
 */
export interface ObjectStore {
  list(prefix: string, options?: ListOptions): AsyncIterable<ListPage>;
  /** The object's bytes, as stored (gzip objects are not decompressed here). */
  get(key: string): Promise<Readable>;
}

/** Options of {@link openObjectStore}: loaders for the SDKs (tests inject them); default dynamic imports. */
export interface OpenObjectStoreOptions {
  /** The `@aws-sdk/client-s3` module. */
  loadS3?: () => Promise<unknown>;
  /** The `@google-cloud/storage` module. */
  loadGcs?: () => Promise<unknown>;
  /** The `@azure/storage-blob` module. */
  loadAzure?: () => Promise<unknown>;
  /** The `@azure/identity` module (for `DefaultAzureCredential`). */
  loadAzureIdentity?: () => Promise<unknown>;
}

const PACKAGES = {
  s3: '@aws-sdk/client-s3',
  gs: '@google-cloud/storage',
  azblob: '@azure/storage-blob',
} as const;

async function load(loader: (() => Promise<unknown>) | undefined, fallback: () => Promise<unknown>, pkg: string) {
  try {
    return (await (loader ?? fallback)()) as Record<string, unknown>;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException)?.code;
    if (code !== 'ERR_MODULE_NOT_FOUND' && code !== 'MODULE_NOT_FOUND') throw error;
    throw new SvmError('UNSUPPORTED', `reading this URL needs the optional package '${pkg}': npm install ${pkg}`, {
      cause: { code },
    });
  }
}

/**
 * Map an SDK error to an `SvmError` naming the URL: missing bucket → `FILE_NOT_FOUND`, refused → `ACCESS_DENIED`,
 * no credentials → `CREDENTIALS_MISSING`, anything else → `UNAVAILABLE`.
 *
 * @example
 * ```ts
 * try { await store.get(key); } catch (e) { throw objectStoreError(e, `s3://trail/${key}`); }
 * ```
 */
export function objectStoreError(error: unknown, where: string): SvmError {
  const e = error as {
    name?: string;
    code?: string | number;
    message?: string;
    $metadata?: { httpStatusCode?: number };
    statusCode?: number;
  };
  const name = `${e?.name ?? ''} ${e?.code ?? ''}`;
  const status = e?.$metadata?.httpStatusCode ?? e?.statusCode ?? (typeof e?.code === 'number' ? e.code : undefined);
  const msg = String(e?.message ?? error).split('\n')[0] ?? '';
  if (/NoSuchBucket|ContainerNotFound|BlobNotFound|NoSuchKey|NotFound/.test(name) || status === 404)
    return new SvmError('FILE_NOT_FOUND', `not found (${msg})`, { file: where, cause: error });
  if (/CredentialsProviderError|CredentialUnavailable|Could not load the default credentials/i.test(`${name} ${msg}`))
    return new SvmError('CREDENTIALS_MISSING', `no credentials (${msg})`, { file: where, cause: error });
  if (/AccessDenied|AuthorizationFailure|AuthenticationFailed|Forbidden/.test(name) || status === 403 || status === 401)
    return new SvmError('ACCESS_DENIED', `access denied (${msg})`, { file: where, cause: error });
  return new SvmError('UNAVAILABLE', msg, { file: where, cause: error });
}

/**
 * Open the object store a URL names, loading its SDK only now (they stay off the CLI's start-up path).
 * Credentials come from each SDK's default chain; endpoints can be overridden by environment for tests and
 * S3-compatible servers: `AWS_ENDPOINT_URL_S3` / `AWS_ENDPOINT_URL` (read by the AWS SDK itself; path-style
 * addressing is used when one is set), `STORAGE_EMULATOR_HOST` (read by `@google-cloud/storage`),
 * `AZURE_STORAGE_CONNECTION_STRING` (else `https://<account>.blob.core.windows.net` with
 * `DefaultAzureCredential` from `@azure/identity`).
 *
 * @example
 * ```ts
 * const store = await openObjectStore(parseObjectUrl('s3://trail-bucket/AWSLogs/'));
 * for await (const page of store.list('AWSLogs/', { delimiter: '/' })) console.log(page.prefixes);
 * ```
 */
export async function openObjectStore(url: ObjectUrl, options: OpenObjectStoreOptions = {}): Promise<ObjectStore> {
  if (url.scheme === 's3') return openS3(url, options);
  if (url.scheme === 'gs') return openGcs(url, options);
  return openAzure(url, options);
}

async function openS3(url: ObjectUrl, options: OpenObjectStoreOptions): Promise<ObjectStore> {
  // The SDK's Node-version notice is not for svm's users (the same default as the Secrets Manager adapter).
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  const sdk = await load(options.loadS3, () => import('@aws-sdk/client-s3'), PACKAGES.s3);
  type Cmd = new (input: Record<string, unknown>) => unknown;
  const S3Client = sdk['S3Client'] as new (c: Record<string, unknown>) => { send(c: unknown): Promise<unknown> };
  const ListObjectsV2Command = sdk['ListObjectsV2Command'] as Cmd;
  const GetObjectCommand = sdk['GetObjectCommand'] as Cmd;
  const custom = process.env.AWS_ENDPOINT_URL_S3 ?? process.env.AWS_ENDPOINT_URL;
  const client = new S3Client({
    // The region only picks the first endpoint: followRegionRedirects finds the bucket's own region.
    ...(process.env.AWS_REGION || process.env.AWS_DEFAULT_REGION ? {} : { region: 'us-east-1' }),
    followRegionRedirects: true,
    ...(custom ? { forcePathStyle: true } : {}),
  });
  const where = `s3://${url.bucket}`;
  return {
    async *list(prefix, opts = {}) {
      let token: string | undefined;
      do {
        let out: {
          Contents?: Array<{ Key?: string; Size?: number }>;
          CommonPrefixes?: Array<{ Prefix?: string }>;
          NextContinuationToken?: string;
          IsTruncated?: boolean;
        };
        try {
          out = (await client.send(
            new ListObjectsV2Command({
              Bucket: url.bucket,
              Prefix: prefix,
              ...(opts.delimiter ? { Delimiter: opts.delimiter } : {}),
              ...(opts.startAfter && !token ? { StartAfter: opts.startAfter } : {}),
              ...(token ? { ContinuationToken: token } : {}),
            }),
          )) as typeof out;
        } catch (error) {
          throw objectStoreError(error, `${where}/${prefix}`);
        }
        yield {
          objects: (out.Contents ?? []).map((o) => ({ key: o.Key as string, size: o.Size ?? 0 })),
          prefixes: (out.CommonPrefixes ?? []).map((p) => p.Prefix as string),
        };
        token = out.IsTruncated ? out.NextContinuationToken : undefined;
      } while (token);
    },
    async get(key) {
      try {
        const out = (await client.send(new GetObjectCommand({ Bucket: url.bucket, Key: key }))) as { Body: Readable };
        return out.Body;
      } catch (error) {
        throw objectStoreError(error, `${where}/${key}`);
      }
    },
  };
}

async function openGcs(url: ObjectUrl, options: OpenObjectStoreOptions): Promise<ObjectStore> {
  const sdk = await load(options.loadGcs, () => import('@google-cloud/storage'), PACKAGES.gs);
  const Storage = sdk['Storage'] as new (
    o?: Record<string, unknown>,
  ) => {
    bucket(name: string): {
      getFiles(
        q: Record<string, unknown>,
      ): Promise<
        [
          Array<{ name: string; metadata: { size?: string | number } }>,
          Record<string, unknown> | null,
          { prefixes?: string[] } | undefined,
        ]
      >;
      file(name: string): { createReadStream(o?: Record<string, unknown>): Readable };
    };
  };
  const bucket = new Storage().bucket(url.bucket);
  const where = `gs://${url.bucket}`;
  return {
    async *list(prefix, opts = {}) {
      let query: Record<string, unknown> | null = {
        prefix,
        autoPaginate: false,
        maxResults: 1000,
        ...(opts.delimiter ? { delimiter: opts.delimiter } : {}),
        // startOffset is inclusive: the key itself is dropped below.
        ...(opts.startAfter ? { startOffset: opts.startAfter } : {}),
      };
      while (query) {
        let files: Array<{ name: string; metadata: { size?: string | number } }>;
        let next: Record<string, unknown> | null;
        let raw: { prefixes?: string[] } | undefined;
        try {
          [files, next, raw] = await bucket.getFiles(query);
        } catch (error) {
          throw objectStoreError(error, `${where}/${prefix}`);
        }
        yield {
          objects: files
            .filter((f) => opts.startAfter === undefined || f.name > opts.startAfter)
            .map((f) => ({ key: f.name, size: Number(f.metadata.size ?? 0) })),
          prefixes: raw?.prefixes ?? [],
        };
        query = next;
      }
    },
    async get(key) {
      // decompress: false: a gzip object is read as stored (svm decompresses it itself, member by member).
      return bucket.file(key).createReadStream({ decompress: false, validation: false });
    },
  };
}

async function openAzure(url: ObjectUrl, options: OpenObjectStoreOptions): Promise<ObjectStore> {
  const sdk = await load(options.loadAzure, () => import('@azure/storage-blob'), PACKAGES.azblob);
  type Item = { kind?: 'prefix' | 'blob'; name: string; properties?: { contentLength?: number } };
  type Container = {
    listBlobsFlat(o?: Record<string, unknown>): {
      byPage(o?: Record<string, unknown>): AsyncIterable<{ segment: { blobItems: Item[] } }>;
    };
    listBlobsByHierarchy(
      d: string,
      o?: Record<string, unknown>,
    ): {
      byPage(
        o?: Record<string, unknown>,
      ): AsyncIterable<{ segment: { blobItems: Item[]; blobPrefixes?: Array<{ name: string }> } }>;
    };
    getBlobClient(name: string): { download(offset?: number): Promise<{ readableStreamBody?: Readable }> };
  };
  type Service = { getContainerClient(name: string): Container };
  const BlobServiceClient = sdk['BlobServiceClient'] as (new (
    url: string,
    credential: unknown,
  ) => Service) & {
    fromConnectionString(s: string): Service;
  };
  let service: Service;
  const conn = process.env.AZURE_STORAGE_CONNECTION_STRING;
  if (conn) service = BlobServiceClient.fromConnectionString(conn);
  else {
    const identity = await load(options.loadAzureIdentity, () => import('@azure/identity'), '@azure/identity');
    const Cred = identity['DefaultAzureCredential'] as new () => unknown;
    service = new BlobServiceClient(`https://${url.account}.blob.core.windows.net`, new Cred());
  }
  const container = service.getContainerClient(url.bucket);
  const where = `azblob://${url.account}/${url.bucket}`;
  return {
    async *list(prefix, opts = {}) {
      try {
        const pages = opts.delimiter
          ? container.listBlobsByHierarchy(opts.delimiter, { prefix }).byPage({ maxPageSize: 1000 })
          : container.listBlobsFlat({ prefix }).byPage({ maxPageSize: 1000 });
        for await (const page of pages) {
          const seg = page.segment as { blobItems: Item[]; blobPrefixes?: Array<{ name: string }> };
          yield {
            // No server-side start-after for flat namespaces: skipped here.
            objects: seg.blobItems
              .filter((b) => opts.startAfter === undefined || b.name > opts.startAfter)
              .map((b) => ({ key: b.name, size: b.properties?.contentLength ?? 0 })),
            prefixes: (seg.blobPrefixes ?? []).map((p) => p.name),
          };
        }
      } catch (error) {
        throw objectStoreError(error, `${where}/${prefix}`);
      }
    },
    async get(key) {
      try {
        const r = await container.getBlobClient(key).download(0);
        if (!r.readableStreamBody) throw new Error('no body');
        return r.readableStreamBody;
      } catch (error) {
        throw objectStoreError(error, `${where}/${key}`);
      }
    },
  };
}

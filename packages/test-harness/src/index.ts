/**
 * Connection info for the real servers that `scripts/services.sh up` starts on 127.0.0.1.
 *
 * In a test file:
 *
 *   const bao = requireService('openbao');
 *   describe.skipIf(!bao)('openbao', () => { ... bao!.addr ... });
 *
 * A server that is not up is skipped locally; under CI=true it is an error, unless its
 * name is listed in SVM_SERVICES_SKIP (for servers this kind of machine cannot install).
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface OpenBaoService {
  /** e.g. http://127.0.0.1:18200 (VAULT_ADDR / BAO_ADDR) */
  addr: string;
  /** dev-mode root token */
  token: string;
  /** KV v2 mount that dev mode creates */
  kvMount: string;
  version: string;
}

export interface MotoService {
  endpoint: string;
  region: string;
  accessKeyId: string;
  secretAccessKey: string;
  version: string;
}

export interface LowkeyService {
  /** vault URL, e.g. https://127.0.0.1:18443 */
  url: string;
  /** PEM of the server's self-signed certificate: pass it as the trusted CA */
  caFile: string;
  /** managed-identity style token endpoint on the plain-HTTP port */
  tokenEndpoint: string;
  version: string;
}

export interface GcpService {
  /** drongo: the Secret Manager REST API (v1) on plain HTTP; no gRPC */
  host: string;
  port: number;
  /** e.g. http://127.0.0.1:18091 */
  restUrl: string;
  /** POST here to clear drongo's state */
  resetUrl: string;
  project: string;
  /** drongo version (PyPI) */
  version: string;
  server: 'drongo';
  transport: 'rest';
}

export interface PostgresService {
  url: string;
  host: string;
  port: number;
  user: string;
  password: string;
  database: string;
}

export interface Services {
  openbao?: OpenBaoService;
  moto?: MotoService;
  lowkey?: LowkeyService;
  gcp?: GcpService;
  postgres?: PostgresService;
}

export type ServiceName = keyof Services;

export const SERVICE_NAMES: readonly ServiceName[] = ['openbao', 'moto', 'lowkey', 'gcp', 'postgres'];

/** Walks up from `start` (default: this module's folder) to the folder holding pnpm-workspace.yaml. */
export function findRepoRoot(start: string = dirname(fileURLToPath(import.meta.url))): string {
  for (let dir = start; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'pnpm-workspace.yaml'))) return dir;
    if (dirname(dir) === dir) throw new Error(`no pnpm-workspace.yaml above ${start}`);
  }
}

export function servicesDir(root: string = findRepoRoot()): string {
  return join(root, '.svm-services');
}

/** Reads .svm-services/services.json; {} when it does not exist (nothing started). */
export function loadServices(file: string = join(servicesDir(), 'services.json')): Services {
  if (!existsSync(file)) return {};
  const parsed: unknown = JSON.parse(readFileSync(file, 'utf8'));
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new Error(`${file}: expected a JSON object`);
  }
  const out: Services = {};
  for (const name of SERVICE_NAMES) {
    const value = (parsed as Record<string, unknown>)[name];
    if (value === undefined) continue;
    if (typeof value !== 'object' || value === null) throw new Error(`${file}: "${name}" is not an object`);
    (out as Record<string, unknown>)[name] = value;
  }
  return out;
}

function skipped(name: ServiceName): boolean {
  return (process.env.SVM_SERVICES_SKIP ?? '')
    .split(',')
    .map((s) => s.trim())
    .includes(name);
}

/**
 * The connection info of `name` when `scripts/services.sh up` has it running.
 * Otherwise: throws under CI=true (unless SVM_SERVICES_SKIP names it), else undefined.
 */
export function requireService<N extends ServiceName>(name: N): Services[N] | undefined {
  const svc = loadServices()[name];
  if (svc !== undefined) return svc;
  if (process.env.CI === 'true' && !skipped(name)) {
    const failed = join(servicesDir(), `${name}.failed`);
    const why = existsSync(failed) ? ` Last failure: ${readFileSync(failed, 'utf8').trim()}` : '';
    throw new Error(
      `integration server "${name}" is not running; start it with \`scripts/services.sh up ${name}\`` +
        ` (CI=true requires it; SVM_SERVICES_SKIP=${name} opts out).${why}`,
    );
  }
  return undefined;
}

export { startAzureKvContractServer } from './azure-kv-contract.ts';
export type { AzureKvContractOptions, AzureKvContractServer } from './azure-kv-contract.ts';

/** Command-line tools `scripts/services.sh tools` installs (no server), and their executable in the state dir. */
const TOOLS = { sigma: 'venv-sigma/bin/sigma', duckdb: 'venv-duckdb/bin/python' } as const;
export type ToolName = keyof typeof TOOLS;

/**
 * The path of a tool `scripts/services.sh tools` installed (`sigma`: sigma-cli with pySigma's Elasticsearch and
 * Splunk backends; `duckdb`: the Python of a venv with the duckdb package). Otherwise: throws under CI=true (unless SVM_SERVICES_SKIP names it), else undefined.
 */
export function requireTool(name: ToolName): string | undefined {
  const bin = join(servicesDir(), TOOLS[name]);
  if (existsSync(bin)) return bin;
  if (
    process.env.CI === 'true' &&
    !(process.env.SVM_SERVICES_SKIP ?? '')
      .split(',')
      .map((s) => s.trim())
      .includes(name)
  ) {
    const failed = join(servicesDir(), `${name}.failed`);
    const why = existsSync(failed) ? ` Last failure: ${readFileSync(failed, 'utf8').trim()}` : '';
    throw new Error(
      `test tool "${name}" is not installed (${bin}); install it with \`scripts/services.sh tools\`` +
        ` (CI=true requires it; SVM_SERVICES_SKIP=${name} opts out).${why}`,
    );
  }
  return undefined;
}

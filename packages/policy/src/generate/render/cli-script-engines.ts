import { formatDurationSeconds } from '@svm/core';
import type { EngineRequest } from '../engines.js';

const DURATION_KEYS = new Set([
  'default_ttl',
  'max_ttl',
  'ttl',
  'rotation_period',
  'auto_rotate_period',
  'max_lease_ttl',
]);

/**
 * The secrets-engine part of the `vault`/`bao` setup script, safe to re-run: mounts are enabled when missing,
 * a database connection is created once (admin password read from its store with `svm secret get … --reveal`
 * into a variable, never written in the file) and its root credentials rotated right away; later runs update
 * only its non-secret settings. CAs are generated only when missing; roles and keys are written as JSON.
 *
 * @example
 * ```ts
 * renderEngineScript(config.engines, 'bao').join('\n');
 * ```
 */
export function renderEngineScript(engines: readonly EngineRequest[], cli: 'vault' | 'bao'): string[] {
  if (engines.length === 0) return [];
  const out: string[] = ['# Secrets engines (the requirements file’s engines:)'];
  const rotations = new Map(engines.filter((e) => e.engine === 'database-rotate-root').map((e) => [e.after, e]));
  for (const r of engines) {
    const b = r.body;
    switch (r.engine) {
      case 'mount':
        out.push(
          // Not `secrets list | grep -q`: under pipefail, grep's early exit fails the list with SIGPIPE.
          `${cli} read ${quote(`sys/mounts/${r.mount}`)} >/dev/null 2>&1 || ${cli} secrets enable -path=${quote(r.mount)} ${String(b.type)}`,
        );
        break;
      case 'mount-tune':
        out.push(`${cli} write ${quote(r.path)} ${args(b)}`);
        break;
      case 'database-connection': {
        const ref = r.secretFields?.password;
        const read = ref
          ? `svm secret get ${quote(ref.store)} ${quote(ref.name)} --reveal${ref.key ? ` | jq -r ${quote(`.${JSON.stringify(ref.key)}`)}` : ''}`
          : 'cat  # the admin password on standard input';
        const rotate = rotations.get(r.path);
        out.push(
          '',
          `# Database connection ${r.path}: created once with the admin password from the store, which Vault then rotates.`,
          `if ! ${cli} read ${quote(r.path)} >/dev/null 2>&1; then`,
          `  SVM_DB_PASSWORD="$(${read})"`,
          `  ${cli} write ${quote(r.path)} ${args(b)} password="$SVM_DB_PASSWORD"`,
          '  unset SVM_DB_PASSWORD',
          ...(rotate ? [`  ${cli} write -f ${quote(rotate.path)}`] : []),
          'else',
          `  ${cli} write ${quote(r.path)} ${args(b)}   # keeps the password Vault holds`,
          'fi',
        );
        break;
      }
      case 'database-rotate-root':
        break; // with its connection
      case 'pki-root-ca':
      case 'ssh-ca':
        out.push(
          `${cli} read ${quote(r.readPath ?? r.path)} >/dev/null 2>&1 || ${cli} write ${quote(r.path)} ${args(b)} >/dev/null`,
        );
        break;
      case 'transit-key':
        out.push(
          `${cli} read ${quote(r.path)} >/dev/null 2>&1 || ${cli} write ${quote(r.path)} type=${quote(String(b.type))}`,
          `${cli} write ${quote(r.updatePath ?? `${r.path}/config`)} auto_rotate_period=${formatDurationSeconds(Number(b.auto_rotate_period))}`,
        );
        break;
      default:
        out.push(`${cli} write ${quote(r.path)} - <<'SVM_JSON'`, JSON.stringify(b, null, 2), 'SVM_JSON');
    }
  }
  out.push('');
  return out;
}

/** `key=value` arguments; a list repeats its key (the CLI collects repeated keys into a list, commas inside stay intact). */
function args(body: Record<string, unknown>): string {
  return Object.entries(body)
    .flatMap(([k, v]) => {
      if (typeof v === 'number' && DURATION_KEYS.has(k)) return [`${k}=${formatDurationSeconds(v)}`];
      if (Array.isArray(v)) return v.length === 0 ? [`${k}=''`] : v.map((x) => `${k}=${quote(String(x))}`);
      return [`${k}=${quote(String(v))}`];
    })
    .join(' ');
}

function quote(value: string): string {
  return /^[A-Za-z0-9_./:,@=+-]+$/.test(value) ? value : `'${value.replaceAll("'", `'\\''`)}'`;
}

import type { EngineRequest } from '../engines.js';

/** One Terraform attribute, or a nested block when the value is an array of attributes. */
export type TfAttr = [string, string | TfAttr[]];

/** A rendered Terraform block: `resource "<type>" "<id>"` or `variable "<id>"`. */
export interface TfBlock {
  kind: 'resource' | 'variable';
  type: string;
  id: string;
  attrs: TfAttr[];
}

const CONNECTION_BLOCK: Record<string, string> = {
  'postgresql-database-plugin': 'postgresql',
  'mysql-database-plugin': 'mysql',
};

/** How the Terraform renderer writes ids and values (shared with the policy and role blocks). */
export interface TfFormat {
  id: (raw: string) => string;
  str: (value: string) => string;
  value: (value: unknown) => string;
  map: (entries: ReadonlyArray<readonly [string, string]>) => string;
}

/**
 * Terraform blocks for the secrets engines: `vault_mount`, `vault_database_secret_backend_connection` (the
 * admin password from a sensitive variable, never in the file) with a `terraform_data` step that rotates the
 * root credentials right after creation, `vault_database_secret_backend_role` / `_static_role`,
 * `vault_pki_secret_backend_root_cert` / `_role`, `vault_ssh_secret_backend_ca` / `_role`,
 * `vault_transit_secret_backend_key`.
 *
 * @example
 * ```ts
 * terraformEngineBlocks(config.engines, format).map((b) => b.type);
 * ```
 */
export function terraformEngineBlocks(engines: readonly EngineRequest[], format: TfFormat): TfBlock[] {
  const { id: uniqueId, str, value } = format;
  const blocks: TfBlock[] = [];
  const mountRef = new Map<string, string>();
  const connectionRef = new Map<string, string>();
  const backend = (r: EngineRequest): string => mountRef.get(r.mount) ?? str(r.mount);
  const name = (r: EngineRequest): string => r.path.split('/').at(-1) as string;
  const list = (v: unknown): string =>
    value(
      Array.isArray(v)
        ? v
        : String(v ?? '')
            .split(',')
            .filter(Boolean),
    );
  const mountBlocks = new Map<string, TfBlock>();
  for (const r of engines) {
    const b = r.body;
    switch (r.engine) {
      case 'mount': {
        const id = uniqueId(`mount_${r.mount}`);
        mountRef.set(r.mount, `vault_mount.${id}.path`);
        const block: TfBlock = {
          kind: 'resource',
          type: 'vault_mount',
          id,
          attrs: [
            ['path', str(r.mount)],
            ['type', str(String(b.type))],
          ],
        };
        mountBlocks.set(r.mount, block);
        blocks.push(block);
        break;
      }
      case 'mount-tune':
        mountBlocks.get(r.mount)?.attrs.push(['max_lease_ttl_seconds', value(b.max_lease_ttl)]);
        break;
      case 'database-connection': {
        const id = uniqueId(`${r.mount}_${name(r)}`);
        const variable = uniqueId(`${id}_admin_password`);
        const ref = r.secretFields?.password;
        blocks.push({
          kind: 'variable',
          type: '',
          id: variable,
          attrs: [
            [
              'description',
              str(
                `Admin password of ${r.path}, from ${ref ? `${ref.store} (${ref.name}${ref.key ? `, field ${ref.key}` : ''})` : 'your store'}; Vault rotates it right after creation`,
              ),
            ],
            ['type', 'string'],
            ['sensitive', 'true'],
          ],
        });
        connectionRef.set(r.path, `vault_database_secret_backend_connection.${id}`);
        const details: TfAttr[] = [
          ['connection_url', str(String(b.connection_url))],
          ['username', str(String(b.username))],
          ['password', `var.${variable}`],
        ];
        if (b.password_authentication)
          details.push(['password_authentication', str(String(b.password_authentication))]);
        const attrs: TfAttr[] = [
          ['backend', backend(r)],
          ['name', str(name(r))],
          ['plugin_name', str(String(b.plugin_name))],
          ['allowed_roles', value(b.allowed_roles)],
          ['verify_connection', value(b.verify_connection)],
        ];
        if (b.root_rotation_statements) attrs.push(['root_rotation_statements', value(b.root_rotation_statements)]);
        attrs.push([CONNECTION_BLOCK[String(b.plugin_name)] ?? 'postgresql', details]);
        blocks.push({ kind: 'resource', type: 'vault_database_secret_backend_connection', id, attrs });
        break;
      }
      case 'database-rotate-root': {
        const conn = connectionRef.get(r.after ?? '');
        blocks.push({
          kind: 'resource',
          type: 'terraform_data',
          id: uniqueId(`${r.mount}_${name(r)}_rotate_root`),
          attrs: [
            ['triggers_replace', `[${conn ?? str(r.after ?? '')}.id]`],
            ['provisioner "local-exec"', [['command', str(`vault write -force ${r.path}`)]]],
          ],
        });
        break;
      }
      case 'database-role':
      case 'database-static-role': {
        const conn = connectionRef.get(`${r.mount}/config/${String(b.db_name)}`);
        const attrs: TfAttr[] = [
          ['backend', backend(r)],
          ['name', str(name(r))],
          ['db_name', conn ? `${conn}.name` : str(String(b.db_name))],
        ];
        for (const [k, v] of Object.entries(b)) if (k !== 'db_name') attrs.push([k, value(v)]);
        const type =
          r.engine === 'database-role'
            ? 'vault_database_secret_backend_role'
            : 'vault_database_secret_backend_static_role';
        blocks.push({ kind: 'resource', type, id: uniqueId(`${r.mount}_${name(r)}`), attrs });
        break;
      }
      case 'pki-root-ca':
        blocks.push({
          kind: 'resource',
          type: 'vault_pki_secret_backend_root_cert',
          id: uniqueId(`${r.mount}_root_ca`),
          attrs: [
            ['backend', backend(r)],
            ['type', str('internal')],
            ['common_name', str(String(b.common_name))],
            ['ttl', value(b.ttl)],
          ],
        });
        break;
      case 'ssh-ca':
        blocks.push({
          kind: 'resource',
          type: 'vault_ssh_secret_backend_ca',
          id: uniqueId(`${r.mount}_ca`),
          attrs: [
            ['backend', backend(r)],
            ['generate_signing_key', 'true'],
          ],
        });
        break;
      case 'pki-role':
      case 'ssh-role':
      case 'transit-key': {
        const type = {
          'pki-role': 'vault_pki_secret_backend_role',
          'ssh-role': 'vault_ssh_secret_backend_role',
          'transit-key': 'vault_transit_secret_backend_key',
        }[r.engine];
        const attrs: TfAttr[] = [
          ['backend', backend(r)],
          ['name', str(name(r))],
        ];
        for (const [k, v] of Object.entries(b)) {
          if (k === 'default_extensions' && v && typeof v === 'object')
            attrs.push([k, format.map(Object.entries(v as Record<string, string>))]);
          else if (k === 'allowed_domains') attrs.push([k, list(v)]);
          else attrs.push([k, value(v)]);
        }
        blocks.push({ kind: 'resource', type, id: uniqueId(`${r.mount}_${name(r)}`), attrs });
        break;
      }
    }
  }
  return blocks;
}

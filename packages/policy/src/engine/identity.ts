/** The token's identity, used to resolve templated policy paths (`{{identity.entity.id}}`). */
export interface PolicyIdentity {
  entity?: {
    id?: string;
    name?: string;
    metadata?: Record<string, string>;
    aliases?: {
      mountAccessor: string;
      id?: string;
      name?: string;
      metadata?: Record<string, string>;
      customMetadata?: Record<string, string>;
    }[];
  };
  groups?: { id: string; name: string; metadata?: Record<string, string> }[];
}

/**
 * Resolve the `{{…}}` directives of a path against an identity. Returns `undefined` when any directive
 * cannot be resolved (no entity, empty value, missing alias, not in the group): Vault then silently
 * drops the whole path block.
 */
export function resolveTemplatedPath(path: string, identity: PolicyIdentity | undefined): string | undefined {
  let failed = false;
  const out = path.replace(/\{\{([^}]*)\}\}/g, (_m, raw: string) => {
    const value = resolveDirective(raw.trim(), identity);
    if (!value) failed = true;
    return value ?? '';
  });
  return failed ? undefined : out;
}

function resolveDirective(d: string, identity: PolicyIdentity | undefined): string | undefined {
  const entity = identity?.entity;
  const parts = d.split('.');
  if (parts[0] !== 'identity') return undefined;
  if (parts[1] === 'entity') {
    if (!entity) return undefined;
    if (d === 'identity.entity.id') return entity.id;
    if (d === 'identity.entity.name') return entity.name;
    if (parts[2] === 'metadata' && parts.length === 4) return entity.metadata?.[parts[3] as string];
    if (parts[2] === 'aliases') {
      const alias = entity.aliases?.find((a) => a.mountAccessor === parts[3]);
      if (!alias) return undefined;
      if (parts.length === 5 && parts[4] === 'id') return alias.id;
      if (parts.length === 5 && parts[4] === 'name') return alias.name;
      if (parts.length === 6 && parts[4] === 'metadata') return alias.metadata?.[parts[5] as string];
      if (parts.length === 6 && parts[4] === 'custom_metadata') return alias.customMetadata?.[parts[5] as string];
    }
    return undefined;
  }
  if (parts[1] === 'groups' && (parts[2] === 'ids' || parts[2] === 'names')) {
    if (!entity) return undefined;
    const group = identity?.groups?.find((g) => (parts[2] === 'ids' ? g.id : g.name) === parts[3]);
    if (!group) return undefined;
    if (parts.length === 5 && parts[2] === 'ids' && parts[4] === 'name') return group.name;
    if (parts.length === 5 && parts[2] === 'names' && parts[4] === 'id') return group.id;
    if (parts.length === 6 && parts[4] === 'metadata') return group.metadata?.[parts[5] as string];
  }
  return undefined;
}

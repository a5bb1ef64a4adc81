import { SvmError } from '@svm/core';

// The ACL templating directives Vault/OpenBao accept in `path` keys (sdk/helper/identitytpl, ACL mode).
const DIRECTIVES: RegExp[] = [
  /^identity\.entity\.(id|name)$/,
  /^identity\.entity\.metadata\.[^.]+$/,
  /^identity\.entity\.aliases\.[^.]+\.(id|name)$/,
  /^identity\.entity\.aliases\.[^.]+\.(metadata|custom_metadata)\.[^.]+$/,
  /^identity\.groups\.ids\.[^.]+\.name$/,
  /^identity\.groups\.names\.[^.]+\.id$/,
  /^identity\.groups\.(ids|names)\.[^.]+\.metadata\.[^.]+$/,
];

/**
 * Check the `{{…}}` directives in a policy path. Returns true when the path is templated; throws
 * `POLICY_INVALID` (at `pos`) for an unknown directive or an unclosed `{{`.
 */
export function checkTemplatedPath(
  path: string,
  location: { file?: string | undefined; line?: number; column?: number },
): boolean {
  let templated = false;
  let from = 0;
  for (;;) {
    const open = path.indexOf('{{', from);
    if (open < 0) break;
    const close = path.indexOf('}}', open + 2);
    if (close < 0) throw new SvmError('POLICY_INVALID', `path "${path}": unclosed template "{{"`, location);
    const directive = path.slice(open + 2, close).trim();
    if (!DIRECTIVES.some((re) => re.test(directive))) {
      throw new SvmError(
        'POLICY_INVALID',
        `path "${path}": unknown template "{{${directive}}}" (expected identity.entity.id, identity.entity.name, identity.entity.metadata.<key>, identity.entity.aliases.<accessor>.…, identity.groups.ids|names.<x>.…)`,
        location,
      );
    }
    templated = true;
    from = close + 2;
  }
  return templated;
}

import ipaddr from 'ipaddr.js';

/**
 * Normalise an address as the sources write it: bare IPv4/IPv6, `ip:port`, `[v6]:port`, IPv4-mapped IPv6.
 * Returns `null` for values that are not addresses (hostnames such as `secretsmanager.amazonaws.com`,
 * GCP's `private` / `gce-internal-ip`).
 */
const PLAIN_V4 =
  /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)$/;

export function normalizeIp(value: string | null | undefined): string | null {
  if (!value) return null;
  // Fast path: canonical dotted IPv4, as Vault and the clouds write it almost always.
  if (PLAIN_V4.test(value)) return value;
  let v = value.trim();
  if (v.startsWith('[')) {
    const end = v.indexOf(']');
    v = end > 0 ? v.slice(1, end) : v;
  } else if (v.indexOf(':') > 0 && v.indexOf(':') === v.lastIndexOf(':') && v.includes('.')) {
    v = v.slice(0, v.indexOf(':'));
  }
  if (!ipaddr.isValid(v)) return null;
  const addr = ipaddr.process(v);
  return addr.toString();
}

/** The network an address belongs to for baselining: `/v4Prefix` for IPv4, `/v6Prefix` for IPv6. */
export function networkOf(ip: string, v4Prefix: number, v6Prefix: number): string {
  if (v4Prefix === 24 && ip.indexOf(':') < 0) {
    const dot = ip.lastIndexOf('.');
    if (dot > 0) return `${ip.slice(0, dot)}.0/24`;
  }
  const addr = ipaddr.parse(ip);
  const bits = addr.kind() === 'ipv4' ? v4Prefix : v6Prefix;
  const bytes = addr.toByteArray();
  const masked = bytes.map((b, i) => {
    const keep = Math.max(0, Math.min(8, bits - i * 8));
    return keep === 0 ? 0 : b & (0xff << (8 - keep)) & 0xff;
  });
  const net = ipaddr.fromByteArray(masked);
  return `${net.toString()}/${bits}`;
}

/** A parsed CIDR list for allow-listing. */
export type CidrList = Array<[ipaddr.IPv4 | ipaddr.IPv6, number]>;

/** Parse CIDRs (`10.0.0.0/8`, `2001:db8::/32`, or a bare address); throws on a malformed entry. */
export function parseCidrs(list: readonly string[]): CidrList {
  return list.map((c) =>
    c.includes('/')
      ? ipaddr.parseCIDR(c)
      : ([ipaddr.parse(c), ipaddr.parse(c).kind() === 'ipv4' ? 32 : 128] as [ipaddr.IPv4 | ipaddr.IPv6, number]),
  );
}

/** True when `ip` falls in one of the CIDRs. */
export function inCidrs(ip: string, cidrs: CidrList): boolean {
  if (cidrs.length === 0) return false;
  const addr = ipaddr.parse(ip);
  for (const [net, bits] of cidrs) {
    if (net.kind() === addr.kind() && (addr as ipaddr.IPv4).match(net as ipaddr.IPv4, bits)) return true;
  }
  return false;
}

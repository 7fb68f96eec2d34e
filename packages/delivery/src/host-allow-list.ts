import { BlockList, isIP } from 'node:net';

/**
 * Which hosts destinations may point at. Outbound requests to internal services are the point of
 * a destination, so private addresses are not banned; instead nothing is reachable unless the
 * operator listed it. Hosts are matched as written in the URL, before any DNS lookup: a name on
 * the list is trusted to resolve where its owner says.
 */
export interface HostAllowList {
  allows(hostname: string): boolean;
  /** The patterns as given, for error messages. */
  readonly patterns: readonly string[];
}

const HOST_NAME =
  /^(?=.{1,253}$)[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)*$/;

function ipFamily(address: string): 'ipv4' | 'ipv6' | undefined {
  const version = isIP(address);
  return version === 4 ? 'ipv4' : version === 6 ? 'ipv6' : undefined;
}

/** `[::1]` in a URL is `::1` to everyone else. */
const unbracketed = (host: string) => host.replace(/^\[(.*)\]$/, '$1');

function addAddressPattern(addresses: BlockList, pattern: string): boolean {
  const [address = '', prefix, ...rest] = unbracketed(pattern).split('/');
  const family = ipFamily(address);
  if (family === undefined || rest.length > 0) return false;
  if (prefix === undefined) {
    addresses.addAddress(address, family);
    return true;
  }
  const bits = Number(prefix);
  const maxBits = family === 'ipv4' ? 32 : 128;
  if (!/^\d+$/.test(prefix) || bits > maxBits) {
    throw new Error(`"${pattern}": the prefix length must be 0 to ${maxBits}`);
  }
  addresses.addSubnet(address, bits, family);
  return true;
}

/**
 * Builds the list from patterns: an exact host (`billing.internal`), every subdomain of a domain
 * (`*.internal.example`, not the domain itself), an IP address, or a CIDR block (`10.0.0.0/8`,
 * `fd00::/8`). Throws an Error naming a pattern it cannot read.
 */
export function parseHostAllowList(patterns: readonly string[]): HostAllowList {
  const exact = new Set<string>();
  const suffixes: string[] = [];
  const addresses = new BlockList();
  for (const raw of patterns) {
    const pattern = raw.trim().toLowerCase();
    if (addAddressPattern(addresses, pattern)) continue;
    const wildcard = pattern.startsWith('*.');
    const name = wildcard ? pattern.slice(2) : pattern;
    if (!HOST_NAME.test(name)) {
      throw new Error(
        `"${raw}" is not a host, *.domain, IP address or CIDR block (such as 10.0.0.0/8)`,
      );
    }
    if (wildcard) suffixes.push(`.${name}`);
    else exact.add(name);
  }
  return {
    patterns,
    allows(hostname) {
      const host = unbracketed(hostname.toLowerCase());
      const family = ipFamily(host);
      if (family !== undefined) return addresses.check(host, family);
      return exact.has(host) || suffixes.some((suffix) => host.endsWith(suffix));
    },
  };
}

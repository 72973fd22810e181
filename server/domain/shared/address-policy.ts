import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { BlockList, isIP } from 'node:net';

/** Never reachable from a monitor or webhook: link-local (cloud metadata lives there) and friends. */
const ALWAYS = new BlockList();
ALWAYS.addSubnet('169.254.0.0', 16, 'ipv4'); // link-local, 169.254.169.254 metadata
ALWAYS.addSubnet('0.0.0.0', 8, 'ipv4');
ALWAYS.addSubnet('224.0.0.0', 4, 'ipv4'); // multicast
ALWAYS.addAddress('255.255.255.255', 'ipv4');
ALWAYS.addAddress('100.100.100.200', 'ipv4'); // Alibaba Cloud metadata
ALWAYS.addSubnet('fe80::', 10, 'ipv6');
ALWAYS.addSubnet('ff00::', 8, 'ipv6');
ALWAYS.addAddress('::', 'ipv6');
ALWAYS.addAddress('fd00:ec2::254', 'ipv6'); // AWS metadata over IPv6

/** Private and loopback: allowed only with MONITOR_ALLOW_PRIVATE=true (tests, self-hosting). */
const PRIVATE = new BlockList();
PRIVATE.addSubnet('10.0.0.0', 8, 'ipv4');
PRIVATE.addSubnet('172.16.0.0', 12, 'ipv4');
PRIVATE.addSubnet('192.168.0.0', 16, 'ipv4');
PRIVATE.addSubnet('127.0.0.0', 8, 'ipv4');
PRIVATE.addSubnet('100.64.0.0', 10, 'ipv4'); // carrier-grade NAT
PRIVATE.addAddress('::1', 'ipv6');
PRIVATE.addSubnet('fc00::', 7, 'ipv6');

const BLOCKED_NAMES = new Set(['metadata.google.internal', 'metadata', 'instance-data']);

export class AddressRefused extends Error {}

export interface AddressPolicy {
  allowPrivate: boolean;
}

/** Throws AddressRefused when `address` (an IP) must not be contacted under `policy`. */
export function checkAddress(address: string, { allowPrivate }: AddressPolicy): void {
  const family = isIP(address);
  if (!family) throw new AddressRefused(`not an IP address: ${address}`);
  // ::ffff:169.254.169.254 is 169.254.169.254
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address)?.[1];
  const [ip, type] = mapped ? [mapped, 'ipv4' as const] : [address, family === 4 ? ('ipv4' as const) : ('ipv6' as const)];
  if (ALWAYS.check(ip, type)) throw new AddressRefused(`${address} is a link-local or metadata address, which monitors never contact`);
  if (!allowPrivate && PRIVATE.check(ip, type)) {
    throw new AddressRefused(`${address} is a private or loopback address (set MONITOR_ALLOW_PRIVATE=true to allow)`);
  }
}

export function checkHostname(hostname: string, policy: AddressPolicy): void {
  const host = hostname.replace(/^\[|\]$/g, '').toLowerCase();
  if (BLOCKED_NAMES.has(host) || host.endsWith('.internal')) throw new AddressRefused(`${hostname} is a metadata host name`);
  if (isIP(host)) checkAddress(host, policy);
  else if (host === 'localhost' || host.endsWith('.localhost')) checkAddress('127.0.0.1', policy);
}

/**
 * A `lookup` for http/https/net that refuses disallowed addresses after DNS resolution, so a
 * name cannot smuggle a refused address past the URL check.
 */
export function guardedLookup(policy: AddressPolicy) {
  return (
    hostname: string,
    options: object,
    callback: (err: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void,
  ) => {
    dnsLookup(hostname, { ...options, all: true }, (err, addresses) => {
      if (err) return callback(err, []);
      try {
        for (const { address } of addresses) checkAddress(address, policy);
      } catch (error) {
        return callback(error as NodeJS.ErrnoException, []);
      }
      if ((options as { all?: boolean }).all) callback(null, addresses);
      else callback(null, addresses[0]!.address, addresses[0]!.family);
    });
  };
}

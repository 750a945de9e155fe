/**
 * Network interfaces a capture can open: names, up/down, loopback, addresses. Linux reads
 * /sys/class/net/<if>/{flags,operstate,address} (no privileges needed); elsewhere
 * node:os networkInterfaces() (which lists only interfaces with an address).
 * @module
 */

import { readdirSync, readFileSync } from 'node:fs';
import { networkInterfaces } from 'node:os';
import { HomewatchError } from '../../util/errors.js';

/** One interface. */
export interface InterfaceInfo {
  name: string;
  /** Administratively up (IFF_UP) and the link not reported down. */
  up: boolean;
  /** Administratively up (IFF_UP), carrier or not. */
  adminUp: boolean;
  loopback: boolean;
  /** Link-layer address, lower case, or '' when it has none. */
  mac: string;
  /** IPv4/IPv6 addresses with prefix length (CIDR). */
  addresses: string[];
}

const IFF_UP = 0x1; // <linux/if.h>
const IFF_LOOPBACK = 0x8;
const SYS_NET = '/sys/class/net';

/** All interfaces, sorted by name; from /sys when available, else from node:os. */
export function listInterfaces(sysNet: string = SYS_NET): InterfaceInfo[] {
  const os = networkInterfaces();
  let names: string[];
  try {
    names = readdirSync(sysNet);
  } catch {
    return Object.entries(os)
      .map(([name, addrs]) => ({
        name,
        up: true,
        adminUp: true,
        loopback: (addrs ?? []).some((a) => a.internal),
        mac: (addrs ?? []).find((a) => a.mac !== '00:00:00:00:00:00')?.mac ?? '',
        addresses: (addrs ?? []).map((a) => a.cidr ?? a.address),
      }))
      .sort((a, b) => a.name.localeCompare(b.name));
  }
  const out: InterfaceInfo[] = [];
  for (const name of names) {
    const flags = Number.parseInt(readSys(sysNet, name, 'flags') || '0', 16);
    const oper = readSys(sysNet, name, 'operstate');
    const mac = readSys(sysNet, name, 'address');
    out.push({
      name,
      up: (flags & IFF_UP) !== 0 && oper !== 'down' && oper !== 'lowerlayerdown',
      adminUp: (flags & IFF_UP) !== 0,
      loopback: (flags & IFF_LOOPBACK) !== 0,
      mac: mac === '00:00:00:00:00:00' ? '' : mac,
      addresses: (os[name] ?? []).map((a) => a.cidr ?? a.address),
    });
  }
  return out.sort((a, b) => a.name.localeCompare(b.name));
}

/** libpcap's pseudo-interface capturing on every interface (Linux). */
export const ANY_INTERFACE = 'any';

/** The first non-loopback interface that is up, or undefined. */
export function defaultInterface(list: InterfaceInfo[] = listInterfaces()): string | undefined {
  return list.find((i) => i.up && !i.loopback)?.name;
}

/**
 * Checks that `name` exists and is administratively up before libpcap opens it (libpcap's own
 * message for a missing device does not list the alternatives). A link without carrier is
 * accepted: a mirror port's cable may come later. `any` is libpcap's Linux pseudo-interface
 * (every interface, Linux cooked frames): for an agent running on the router itself.
 * Throws ERR_CAPTURE_NO_INTERFACE.
 */
export function checkInterface(name: string, list: InterfaceInfo[] = listInterfaces()): void {
  if (name === ANY_INTERFACE && process.platform === 'linux') return;
  const found = list.find((i) => i.name === name);
  if (found?.adminUp) return;
  const up = list.filter((i) => i.up).map((i) => i.name);
  const known = up.length > 0 ? `interfaces that are up: ${up.join(', ')}` : 'no interface is up';
  const problem = found ? 'is down (ip link set dev IF up)' : 'does not exist';
  throw new HomewatchError(
    'ERR_CAPTURE_NO_INTERFACE',
    `interface ${name} ${problem}; ${known} (see homewatch interfaces)`,
  );
}

function readSys(sysNet: string, name: string, file: string): string {
  try {
    return readFileSync(`${sysNet}/${name}/${file}`, 'utf8').trim();
  } catch {
    return '';
  }
}

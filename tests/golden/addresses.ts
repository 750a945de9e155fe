/** Address tests the tshark oracles share: tshark gives addresses as text. */
import { parseIpv4 } from '../../src/decode/addr.js';
import { LanMatcher, parseIpv6 } from '../../src/devices/lan.js';

const lan = new LanMatcher([]);

/** A local address (RFC 1918, link-local, ULA) as homewatch defines it; '' is not. */
export function isLocal(addr: string): boolean {
  if (addr === '') return false;
  if (addr.includes(':')) {
    const w = parseIpv6(addr);
    return w !== null && lan.isLocal6(w);
  }
  const ip = parseIpv4(addr);
  return !Number.isNaN(ip) && lan.isLocal4(ip);
}

/** The first occurrence of a field (the outer header when a packet carries another inside). */
export function first(field: string): string {
  return field.split(',')[0] ?? '';
}

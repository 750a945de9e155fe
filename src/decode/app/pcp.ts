/**
 * PCP, the Port Control Protocol (RFC 6887), on UDP 5351: NAT-PMP's successor. Version 2. Only
 * MAP (opcode 1) creates an inbound mapping; PEER (2) and ANNOUNCE (0) are read for their header.
 *
 * ```
 * Request header (RFC 6887 §7.1): | Version = 2 | R=0 | Opcode (7) | Reserved (2) |
 *                                 | Requested Lifetime (4) | PCP Client's IP Address (16) |
 * Response header (§7.2):         | Version = 2 | R=1 | Opcode (7) | Reserved | Result Code |
 *                                 | Lifetime (4) | Epoch Time (4) | Reserved (12) |
 * MAP opcode data (§11.1):        | Mapping Nonce (12) | Protocol | Reserved (3) |
 *                                 | Internal Port (2) | Suggested/Assigned External Port (2) |
 *                                 | Suggested/Assigned External IP Address (16) |
 * ```
 * Addresses are 16 bytes, IPv4 as IPv4-mapped IPv6 (::ffff:a.b.c.d). Lifetime 0 in a MAP
 * request deletes the mapping (§15): it is not a map request. Options that follow are not read.
 * @module
 */
import { ipv4ToString, ipv6ToString, readIpv6 } from '../addr.js';
import type { PortControlInfo } from './types.js';

const VERSION = 2;
const OP_MAP = 1;
const HEADER = 24;
const MAP_DATA = 36;
const PROTOCOLS: Readonly<Record<number, string>> = { 6: 'TCP', 17: 'UDP' };

const V6 = new Uint32Array(4);

const u16 = (b: Uint8Array, at: number): number => (b[at] << 8) | b[at + 1];
const u32 = (b: Uint8Array, at: number): number =>
  ((b[at] << 24) | (b[at + 1] << 16) | (b[at + 2] << 8) | b[at + 3]) >>> 0;

/** Text of a 16-byte PCP address: dotted for IPv4-mapped, RFC 5952 otherwise. */
function address(buf: Uint8Array, at: number): string {
  readIpv6(buf, at, V6, 0);
  if (V6[0] === 0 && V6[1] === 0 && V6[2] === 0xffff) return ipv4ToString(V6[3]);
  return ipv6ToString(V6, 0);
}

export function peekPcp(buf: Buffer, off: number, len: number): PortControlInfo | null {
  if (len < HEADER || buf[off] !== VERSION) return null;
  const isResponse = (buf[off + 1] & 0x80) !== 0;
  const opcode = buf[off + 1] & 0x7f;
  const info: PortControlInfo = {
    kind: 'pcp',
    opcode,
    isResponse,
    mapRequest: false,
    protocol: '',
    internalPort: 0,
    externalPort: 0,
    lifetimeS: u32(buf, off + 4),
    client: isResponse ? '' : address(buf, off + 8),
    result: isResponse ? buf[off + 3] : 0,
  };
  if (opcode !== OP_MAP || len < HEADER + MAP_DATA) return info;
  const data = off + HEADER;
  info.protocol = PROTOCOLS[buf[data + 12]] ?? '';
  info.internalPort = u16(buf, data + 16);
  info.externalPort = u16(buf, data + 18);
  info.mapRequest = !isResponse && info.lifetimeS > 0;
  return info;
}

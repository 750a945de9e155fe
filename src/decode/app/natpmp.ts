/**
 * NAT-PMP (RFC 6886) on UDP 5351: a client asks its gateway to map an external port to one of
 * its own. Version 0. Requests carry opcode 0 (external address) or 1/2 (map UDP/TCP); a response
 * has opcode 128 + the request's.
 *
 * ```
 * Map request (RFC 6886 §3.3):   | Vers = 0 | OP = 1/2 | Reserved (2) | Internal Port (2) |
 *                                | Suggested External Port (2) | Requested Lifetime (4) |
 * Map response:                  | Vers = 0 | OP = 128 + x | Result Code (2) | Epoch (4) |
 *                                | Internal Port (2) | Mapped External Port (2) | Lifetime (4) |
 * ```
 * A request with lifetime 0 deletes a mapping (§3.4): it is not a map request.
 * @module
 */
import type { PortControlInfo } from './types.js';

const VERSION = 0;
const OP_MAP_UDP = 1;
const OP_MAP_TCP = 2;
const RESPONSE = 128;
const MAP_REQUEST_LEN = 12;
const MAP_RESPONSE_LEN = 16;

const u16 = (b: Uint8Array, at: number): number => (b[at] << 8) | b[at + 1];
const u32 = (b: Uint8Array, at: number): number =>
  ((b[at] << 24) | (b[at + 1] << 16) | (b[at + 2] << 8) | b[at + 3]) >>> 0;

export function peekNatPmp(buf: Buffer, off: number, len: number): PortControlInfo | null {
  if (len < 2 || buf[off] !== VERSION) return null;
  const op = buf[off + 1];
  const isResponse = op >= RESPONSE;
  const opcode = isResponse ? op - RESPONSE : op;
  if (opcode > OP_MAP_TCP) return null;
  const info: PortControlInfo = {
    kind: 'natpmp',
    opcode,
    isResponse,
    mapRequest: false,
    protocol: opcode === OP_MAP_UDP ? 'UDP' : opcode === OP_MAP_TCP ? 'TCP' : '',
    internalPort: 0,
    externalPort: 0,
    lifetimeS: 0,
    client: '',
    result: 0,
  };
  if (opcode === 0) {
    if (isResponse) {
      if (len < 4) return null;
      info.result = u16(buf, off + 2);
    }
    return info;
  }
  if (!isResponse) {
    if (len < MAP_REQUEST_LEN) return null;
    info.internalPort = u16(buf, off + 4);
    info.externalPort = u16(buf, off + 6);
    info.lifetimeS = u32(buf, off + 8);
    info.mapRequest = info.lifetimeS > 0;
    return info;
  }
  if (len < MAP_RESPONSE_LEN) return null;
  info.result = u16(buf, off + 2);
  info.internalPort = u16(buf, off + 8);
  info.externalPort = u16(buf, off + 10);
  info.lifetimeS = u32(buf, off + 12);
  return info;
}

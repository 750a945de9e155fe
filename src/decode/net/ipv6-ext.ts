/**
 * IPv6 extension headers (RFC 8200 §4), keyed by Next Header value. Each entry returns the
 * header's length in bytes (its Next Header byte is always the first octet), or -1 when the
 * header is cut. Walking stops at any value not in the table (the upper layer).
 * @module
 */
import type { DecodedPacket } from '../packet.js';

/** Returns the extension header's length, or -1 when it does not fit in `[off, end)`. */
export type ExtHeader = (buf: Buffer, off: number, end: number, out: DecodedPacket) => number;

/** Hop-by-hop, routing, destination options, mobility: Hdr Ext Len in 8-octet units, not counting the first 8. */
function eightOctetUnits(buf: Buffer, off: number, end: number): number {
  if (off + 2 > end) return -1;
  return (buf[off + 1] + 1) << 3;
}

/** AH (RFC 4302 §2.2): Payload Len in 4-octet units, minus 2. */
function authHeader(buf: Buffer, off: number, end: number): number {
  if (off + 2 > end) return -1;
  return (buf[off + 1] + 2) << 2;
}

/**
 * Fragment header (RFC 8200 §4.5): next header, reserved, 13-bit offset + 2 reserved + M flag,
 * identification. A non-first fragment has no upper-layer header.
 */
function fragmentHeader(buf: Buffer, off: number, end: number, out: DecodedPacket): number {
  if (off + 8 > end) return -1;
  const word = (buf[off + 2] << 8) | buf[off + 3];
  const offset = word >>> 3;
  if (offset !== 0 || (word & 1) !== 0) out.fragment = true;
  if (offset !== 0) out.laterFragment = true;
  return 8;
}

export const IPV6_EXT_HEADERS: ReadonlyArray<ExtHeader | null> = (() => {
  const table = Array.from({ length: 256 }, (): ExtHeader | null => null);
  table[0] = eightOctetUnits; // Hop-by-Hop Options
  table[43] = eightOctetUnits; // Routing
  table[44] = fragmentHeader; // Fragment
  table[51] = authHeader; // Authentication Header
  table[60] = eightOctetUnits; // Destination Options
  table[135] = eightOctetUnits; // Mobility (RFC 6275)
  return table;
})();

/** Headers walked before giving up. */
export const MAX_IPV6_EXT_HEADERS = 8;

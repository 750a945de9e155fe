/**
 * QUIC v1 packet headers (RFC 9000 §17). Payloads are opaque filler: the generator does
 * not encrypt, so only the invariant header fields are meaningful.
 * @module
 */
import type { Rng } from '../prng.js';

export const QUIC_CID_LEN = 8;

/**
 * A long-header Initial packet (RFC 9000 §17.2.2) filling `len` bytes: header, then
 * random bytes standing for the protected packet number and payload.
 */
export function writeQuicInitial(
  buf: Buffer,
  off: number,
  rng: Rng,
  dcid: number,
  scid: number,
  len: number,
): number {
  buf[off] = 0xc1; // long header, fixed bit, Initial, 2-byte packet number
  buf.writeUInt32BE(1, off + 1); // version 1
  buf[off + 5] = QUIC_CID_LEN;
  buf.writeUInt32BE(dcid >>> 0, off + 6);
  buf.writeUInt32BE((dcid ^ 0x5a5a5a5a) >>> 0, off + 10);
  let p = off + 14;
  buf[p] = scid === 0 ? 0 : QUIC_CID_LEN;
  p++;
  if (scid !== 0) {
    buf.writeUInt32BE(scid >>> 0, p);
    buf.writeUInt32BE((scid ^ 0xa5a5a5a5) >>> 0, p + 4);
    p += QUIC_CID_LEN;
  }
  buf[p] = 0; // token length (variable-length integer 0)
  p++;
  const rest = off + len - p - 2;
  buf.writeUInt16BE(0x4000 | rest, p); // Length, 2-byte varint (RFC 9000 §16)
  p += 2;
  rng.fill(buf, p, rest);
  return len;
}

/** A short-header (1-RTT) packet (RFC 9000 §17.3.1): first byte, DCID, then filler. */
export function writeQuicShort(buf: Buffer, off: number, rng: Rng, dcid: number): number {
  buf[off] = 0x40 | (rng.u32() & 0x3f);
  buf.writeUInt32BE(dcid >>> 0, off + 1);
  buf.writeUInt32BE((dcid ^ 0x5a5a5a5a) >>> 0, off + 5);
  rng.fill(buf, off + 9, 16);
  return 1 + QUIC_CID_LEN + 16;
}

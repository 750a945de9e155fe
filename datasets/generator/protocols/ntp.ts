/**
 * NTPv4 client request and server reply, 48 bytes (RFC 5905 §7.3).
 * @module
 */

export const NTP_PORT = 123;
const NTP_EPOCH_OFFSET_S = 2208988800; // 1900-01-01 to 1970-01-01

function writeTimestamp(buf: Buffer, off: number, tsUs: number): void {
  const sec = Math.floor(tsUs / 1e6);
  const frac = Math.floor(((tsUs - sec * 1e6) / 1e6) * 4294967296);
  buf.writeUInt32BE((sec + NTP_EPOCH_OFFSET_S) >>> 0, off);
  buf.writeUInt32BE(frac >>> 0, off + 4);
}

/** `server` false: mode 3 client request; true: mode 4 server reply, stratum 2. */
export function writeNtp(buf: Buffer, off: number, server: boolean, tsUs: number): number {
  buf.fill(0, off, off + 48);
  buf[off] = server ? 0x24 : 0x23; // LI 0, VN 4, mode 4 / 3
  if (server) {
    buf[off + 1] = 2; // stratum
    buf[off + 2] = 6; // poll
    buf[off + 3] = 0xe9; // precision
    buf.writeUInt32BE(0x00000123, off + 4); // root delay
    buf.writeUInt32BE(0x00000456, off + 8); // root dispersion
    buf.writeUInt32BE(0xc0a8fe01, off + 12); // reference id
    writeTimestamp(buf, off + 16, tsUs - 30e6); // reference
    writeTimestamp(buf, off + 24, tsUs - 20000); // origin
    writeTimestamp(buf, off + 32, tsUs - 10000); // receive
  }
  writeTimestamp(buf, off + 40, tsUs); // transmit
  return 48;
}

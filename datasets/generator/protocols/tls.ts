/**
 * TLS 1.3 records (RFC 8446 §5.1): a ClientHello with server_name (RFC 6066 §3) and
 * ALPN (RFC 7301), a ServerHello, and application-data record headers.
 * @module
 */
import type { Rng } from '../prng.js';

export const TLS_HANDSHAKE = 22;
export const TLS_CHANGE_CIPHER_SPEC = 20;
export const TLS_APPLICATION_DATA = 23;
export const TLS_RECORD_HEADER_LEN = 5;

const CIPHER_SUITES = [0x1301, 0x1302, 0x1303, 0xc02b, 0xc02f, 0xc02c, 0xc030, 0xcca9, 0xcca8];
const GROUPS = [0x001d, 0x0017, 0x0018];
const SIG_ALGS = [0x0403, 0x0804, 0x0401, 0x0503, 0x0805, 0x0501, 0x0806, 0x0601];

export function writeRecordHeader(buf: Buffer, off: number, type: number, len: number): void {
  buf[off] = type;
  buf.writeUInt16BE(0x0303, off + 1);
  buf.writeUInt16BE(len, off + 3);
}

function u16List(buf: Buffer, p: number, items: readonly number[]): number {
  for (let i = 0; i < items.length; i++) buf.writeUInt16BE(items[i], p + 2 * i);
  return p + 2 * items.length;
}

/** Extension header: type, then the 2-byte length patched in by `endExt`. */
function beginExt(buf: Buffer, p: number, type: number): number {
  buf.writeUInt16BE(type, p);
  return p + 4;
}

function endExt(buf: Buffer, bodyAt: number, end: number): number {
  buf.writeUInt16BE(end - bodyAt, bodyAt - 2);
  return end;
}

/** A complete ClientHello record; returns its length. */
export function writeClientHello(
  buf: Buffer,
  off: number,
  rng: Rng,
  sni: string,
  alpnH2: boolean,
): number {
  let p = off + TLS_RECORD_HEADER_LEN;
  const hs = p;
  buf[p] = 1; // client_hello
  p += 4;
  buf.writeUInt16BE(0x0303, p); // legacy_version
  rng.fill(buf, p + 2, 32); // random
  buf[p + 34] = 32; // legacy_session_id
  rng.fill(buf, p + 35, 32);
  p += 67;
  buf.writeUInt16BE(CIPHER_SUITES.length * 2, p);
  p = u16List(buf, p + 2, CIPHER_SUITES);
  buf[p] = 1; // compression methods: null
  buf[p + 1] = 0;
  p += 2;
  const extsAt = p + 2;
  p = extsAt;
  // server_name: list length, type host_name (0), name length, name; none for a bare
  // address (RFC 6066 §3 allows no IP literal there).
  let b: number;
  if (sni.length > 0) {
    b = beginExt(buf, p, 0x0000);
    const n = buf.write(sni, b + 5, 'latin1');
    buf.writeUInt16BE(n + 3, b);
    buf[b + 2] = 0;
    buf.writeUInt16BE(n, b + 3);
    p = endExt(buf, b, b + 5 + n);
  }
  b = beginExt(buf, p, 0x000a); // supported_groups
  buf.writeUInt16BE(GROUPS.length * 2, b);
  p = endExt(buf, b, u16List(buf, b + 2, GROUPS));
  b = beginExt(buf, p, 0x000b); // ec_point_formats: uncompressed
  buf[b] = 1;
  buf[b + 1] = 0;
  p = endExt(buf, b, b + 2);
  b = beginExt(buf, p, 0x000d); // signature_algorithms
  buf.writeUInt16BE(SIG_ALGS.length * 2, b);
  p = endExt(buf, b, u16List(buf, b + 2, SIG_ALGS));
  b = beginExt(buf, p, 0x0010); // ALPN
  let q = b + 2;
  if (alpnH2) {
    buf[q] = 2;
    q += 1 + buf.write('h2', q + 1, 'latin1');
  }
  buf[q] = 8;
  q += 1 + buf.write('http/1.1', q + 1, 'latin1');
  buf.writeUInt16BE(q - b - 2, b);
  p = endExt(buf, b, q);
  b = beginExt(buf, p, 0x002b); // supported_versions: TLS 1.3, 1.2
  buf[b] = 4;
  buf.writeUInt16BE(0x0304, b + 1);
  buf.writeUInt16BE(0x0303, b + 3);
  p = endExt(buf, b, b + 5);
  b = beginExt(buf, p, 0x002d); // psk_key_exchange_modes: psk_dhe_ke
  buf[b] = 1;
  buf[b + 1] = 1;
  p = endExt(buf, b, b + 2);
  b = beginExt(buf, p, 0x0033); // key_share: one x25519 share
  buf.writeUInt16BE(36, b);
  buf.writeUInt16BE(0x001d, b + 2);
  buf.writeUInt16BE(32, b + 4);
  rng.fill(buf, b + 6, 32);
  p = endExt(buf, b, b + 38);
  buf.writeUInt16BE(p - extsAt, extsAt - 2);
  buf.writeUIntBE(p - hs - 4, hs + 1, 3); // handshake length
  writeRecordHeader(buf, off, TLS_HANDSHAKE, p - hs);
  buf.writeUInt16BE(0x0301, off + 1); // first record: legacy record version
  return p - off;
}

/** ServerHello record (TLS 1.3 via supported_versions) followed by ChangeCipherSpec. */
export function writeServerHello(buf: Buffer, off: number, rng: Rng): number {
  let p = off + TLS_RECORD_HEADER_LEN;
  const hs = p;
  buf[p] = 2; // server_hello
  p += 4;
  buf.writeUInt16BE(0x0303, p);
  rng.fill(buf, p + 2, 32);
  buf[p + 34] = 32;
  rng.fill(buf, p + 35, 32);
  p += 67;
  buf.writeUInt16BE(0x1301, p); // TLS_AES_128_GCM_SHA256
  buf[p + 2] = 0;
  p += 3;
  buf.writeUInt16BE(46, p); // extensions length
  p += 2;
  buf.writeUInt16BE(0x002b, p);
  buf.writeUInt16BE(2, p + 2);
  buf.writeUInt16BE(0x0304, p + 4);
  p += 6;
  buf.writeUInt16BE(0x0033, p);
  buf.writeUInt16BE(36, p + 2);
  buf.writeUInt16BE(0x001d, p + 4);
  buf.writeUInt16BE(32, p + 6);
  rng.fill(buf, p + 8, 32);
  p += 40;
  buf.writeUIntBE(p - hs - 4, hs + 1, 3);
  writeRecordHeader(buf, off, TLS_HANDSHAKE, p - hs);
  writeRecordHeader(buf, p, TLS_CHANGE_CIPHER_SPEC, 1);
  buf[p + 5] = 1;
  return p + 6 - off;
}

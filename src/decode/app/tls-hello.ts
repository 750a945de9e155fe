/**
 * TLS ClientHello (RFC 8446 §4.1.2) in the first TLS record of a TCP segment: the legacy
 * version, server_name (RFC 6066 §3) and ALPN (RFC 7301 §3.1). A hello cut by the segment or
 * the snap length yields what was read.
 *
 * ```
 * record:    type 22 (1) | legacy_record_version (2) | length (2)
 * handshake: type 1 (1) | length (3) | legacy_version (2) | random (32) | session_id <0..32>
 *            | cipher_suites <2..2^16-2> | compression_methods <1..2^8-1> | extensions <8..2^16-1>
 * ```
 * @module
 */
import { printable } from './text.js';
import type { TlsClientHelloInfo } from './types.js';

const RECORD_HANDSHAKE = 22;
const HANDSHAKE_CLIENT_HELLO = 1;
const EXT_SERVER_NAME = 0;
const EXT_ALPN = 16;
const MAX_EXTENSIONS = 64;
const MAX_ALPN = 16;
const MAX_HOST = 255;
const MAX_PROTOCOL = 64;

/** The cheap pre-check: record type, major version 3, handshake type ClientHello. */
export function looksLikeClientHello(buf: Uint8Array, off: number, len: number): boolean {
  return (
    len >= 6 &&
    buf[off] === RECORD_HANDSHAKE &&
    buf[off + 1] === 3 &&
    buf[off + 5] === HANDSHAKE_CLIENT_HELLO
  );
}

function serverName(buf: Uint8Array, pos: number, end: number): string | undefined {
  // ServerNameList: length (2), then entries of name_type (1) | HostName <1..2^16-1>.
  if (pos + 2 > end) return undefined;
  const listEnd = Math.min(pos + 2 + ((buf[pos] << 8) | buf[pos + 1]), end);
  for (pos += 2; pos + 3 <= listEnd;) {
    const nameLen = (buf[pos + 1] << 8) | buf[pos + 2];
    if (pos + 3 + nameLen > listEnd) return undefined;
    if (buf[pos] === 0 && nameLen > 0)
      return printable(buf, pos + 3, pos + 3 + nameLen, MAX_HOST, true);
    pos += 3 + nameLen;
  }
  return undefined;
}

function alpnList(buf: Uint8Array, pos: number, end: number): string[] {
  // ProtocolNameList: length (2), then ProtocolName <1..2^8-1> entries.
  const list: string[] = [];
  if (pos + 2 > end) return list;
  const listEnd = Math.min(pos + 2 + ((buf[pos] << 8) | buf[pos + 1]), end);
  for (pos += 2; pos < listEnd && list.length < MAX_ALPN;) {
    const n = buf[pos];
    if (n === 0 || pos + 1 + n > listEnd) break;
    list.push(printable(buf, pos + 1, pos + 1 + n, MAX_PROTOCOL));
    pos += 1 + n;
  }
  return list;
}

export function peekTlsClientHello(
  buf: Buffer,
  off: number,
  len: number,
): TlsClientHelloInfo | null {
  if (!looksLikeClientHello(buf, off, len) || len < 11) return null;
  const recordEnd = off + 5 + ((buf[off + 3] << 8) | buf[off + 4]);
  let end = off + len < recordEnd ? off + len : recordEnd;
  const helloEnd = off + 9 + ((buf[off + 6] << 16) | (buf[off + 7] << 8) | buf[off + 8]);
  if (helloEnd < end) end = helloEnd;
  if (off + 11 > end) return null;
  const info: TlsClientHelloInfo = {
    kind: 'tls-client-hello',
    version: (buf[off + 9] << 8) | buf[off + 10],
  };
  let pos = off + 11 + 32; // random
  if (pos + 1 > end) return info;
  pos += 1 + buf[pos]; // session_id
  if (pos + 2 > end) return info;
  pos += 2 + ((buf[pos] << 8) | buf[pos + 1]); // cipher_suites
  if (pos + 1 > end) return info;
  pos += 1 + buf[pos]; // compression_methods
  if (pos + 2 > end) return info;
  const extEnd = Math.min(pos + 2 + ((buf[pos] << 8) | buf[pos + 1]), end);
  pos += 2;
  for (let n = 0; n < MAX_EXTENSIONS && pos + 4 <= extEnd; n++) {
    const type = (buf[pos] << 8) | buf[pos + 1];
    const data = pos + 4;
    const dataEnd = data + ((buf[pos + 2] << 8) | buf[pos + 3]);
    const bounded = dataEnd < extEnd ? dataEnd : extEnd;
    if (type === EXT_SERVER_NAME && dataEnd <= extEnd) {
      const sni = serverName(buf, data, bounded);
      if (sni !== undefined) info.sni = sni;
    } else if (type === EXT_ALPN && dataEnd <= extEnd) {
      const alpn = alpnList(buf, data, bounded);
      if (alpn.length > 0) info.alpn = alpn;
    }
    pos = dataEnd;
  }
  return info;
}

/**
 * The SSL 2.0-compatible ClientHello some old TLS stacks still open with (RFC 5246 Appendix
 * E.2): a 2-byte header with the high bit set, msg_type 1, then the version (0x0002 or 3.x).
 * It carries no extensions, so no SNI.
 *
 * ```
 * msg_length (2, high bit set) | msg_type 1 (1) | version (2) | cipher_spec_length (2) | …
 * ```
 */
export function peekSslv2ClientHello(
  buf: Buffer,
  off: number,
  len: number,
): TlsClientHelloInfo | null {
  if (len < 11 || (buf[off] & 0x80) === 0 || buf[off + 2] !== HANDSHAKE_CLIENT_HELLO) return null;
  const msgLen = ((buf[off] & 0x7f) << 8) | buf[off + 1];
  const major = buf[off + 3];
  const minor = buf[off + 4];
  const known = (major === 0 && minor === 2) || (major === 3 && minor <= 4);
  if (!known || msgLen < 9) return null;
  return { kind: 'tls-client-hello', version: (major << 8) | minor };
}

/**
 * App peek dispatch. UDP: destination port, then source port, through a port table. TCP: port
 * table first (DNS on 53), then a table keyed by the payload's first byte, so most segments
 * cost one or two array reads. Each peek checks a few more bytes before doing any work and
 * allocates only when it recognises its protocol.
 * @module
 */
import { peekDhcp } from './dhcp.js';
import { peekDns, peekDnsTcp } from './dns.js';
import { HTTP_FIRST_BYTES, peekHttp } from './http.js';
import { peekMdns } from './mdns.js';
import { peekNatPmp } from './natpmp.js';
import { peekPcp } from './pcp.js';
import { peekSsdp } from './ssdp.js';
import { peekStratum } from './stratum.js';
import { peekSslv2ClientHello, peekTlsClientHello } from './tls-hello.js';
import type { AppInfo } from './types.js';

/** Reads `buf[off, off+len)` (len > 0); returns derived fields or null. */
export type AppPeek = (buf: Buffer, off: number, len: number) => AppInfo | null;

/** UDP 5351 carries NAT-PMP (version 0) and PCP (version 2): the first byte tells them apart. */
const PORT_CONTROL_BY_VERSION: readonly (AppPeek | undefined)[] = [peekNatPmp, undefined, peekPcp];
const peekPortControl: AppPeek = (buf, off, len) =>
  PORT_CONTROL_BY_VERSION[buf[off]]?.(buf, off, len) ?? null;

/** Peek table rows: id 0 is "none". A new protocol is one file and one row in a table below. */
const PEEKS: AppPeek[] = [
  () => null,
  peekDns,
  peekMdns,
  peekDhcp,
  peekSsdp,
  peekDnsTcp,
  peekHttp,
  peekTlsClientHello,
  peekSslv2ClientHello,
  peekStratum,
  peekPortControl,
];
const DNS = 1;
const MDNS = 2;
const DHCP = 3;
const SSDP = 4;
const DNS_TCP = 5;
const HTTP = 6;
const TLS = 7;
const SSLV2_HELLO = 8;
const STRATUM = 9;
const PORT_CONTROL = 10;

function portTable(rows: ReadonlyArray<readonly [number, number]>): Uint8Array {
  const table = new Uint8Array(65536);
  for (const [port, peek] of rows) table[port] = peek;
  return table;
}

export const UDP_PORT_PEEKS = portTable([
  [53, DNS],
  [5353, MDNS],
  [67, DHCP],
  [68, DHCP],
  [1900, SSDP],
  [5351, PORT_CONTROL],
]);

export const TCP_PORT_PEEKS = portTable([[53, DNS_TCP]]);

/**
 * First payload byte → TCP peek: HTTP methods and 'HTTP/1.', TLS handshake record (22), the
 * SSL 2.0-style header (high bit set) of old ClientHellos, and `{` (JSON-RPC of mining pools).
 */
export const TCP_FIRST_BYTE_PEEKS: Uint8Array = (() => {
  const table = new Uint8Array(256);
  for (let b = 0x80; b < 0x100; b++) table[b] = SSLV2_HELLO;
  for (const b of HTTP_FIRST_BYTES) table[b] = HTTP;
  table[22] = TLS;
  table[0x7b] = STRATUM;
  return table;
})();

export function peekUdp(
  buf: Buffer,
  off: number,
  len: number,
  sport: number,
  dport: number,
): AppInfo | null {
  const byDst = UDP_PORT_PEEKS[dport];
  const bySrc = UDP_PORT_PEEKS[sport];
  if (byDst !== 0) {
    const info = PEEKS[byDst](buf, off, len);
    if (info !== null || bySrc === byDst) return info;
  }
  return bySrc !== 0 ? PEEKS[bySrc](buf, off, len) : null;
}

export function peekTcp(
  buf: Buffer,
  off: number,
  len: number,
  sport: number,
  dport: number,
): AppInfo | null {
  let id = TCP_PORT_PEEKS[dport];
  if (id === 0) id = TCP_PORT_PEEKS[sport];
  if (id !== 0) return PEEKS[id](buf, off, len);
  id = TCP_FIRST_BYTE_PEEKS[buf[off]];
  return id !== 0 ? PEEKS[id](buf, off, len) : null;
}

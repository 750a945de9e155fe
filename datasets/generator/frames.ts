/**
 * Link, network and transport header builders. Everything is written in place into the
 * writer's shared buffer: the caller writes application bytes at the offset `begin*()`
 * returns, then `end*()` fills the filler, the headers and the checksums.
 * @module
 */
import type { PcapWriter } from './pcap-writer.js';

export const ETH_IPV4 = 0x0800;
export const ETH_ARP = 0x0806;
export const ETH_IPV6 = 0x86dd;
export const IPPROTO_ICMP = 1;
export const IPPROTO_TCP = 6;
export const IPPROTO_UDP = 17;
export const IPPROTO_GRE = 47;

export const TCP_FIN = 0x01;
export const TCP_SYN = 0x02;
export const TCP_RST = 0x04;
export const TCP_PSH = 0x08;
export const TCP_ACK = 0x10;

export const BROADCAST_MAC = 0xffffffffffff;
const ETH_LEN = 14;
const MIN_FRAME = 60; // 64-byte Ethernet minimum less the FCS (IEEE 802.3)
/** MSS, NOP, window scale, NOP, NOP, SACK permitted (RFC 9293, RFC 7323, RFC 2018). */
const SYN_OPTIONS = [0x02, 0x04, 0x05, 0xb4, 0x01, 0x03, 0x03, 0x07, 0x01, 0x01, 0x04, 0x02];

/**
 * Both ends of a conversation as seen on the LAN: A is the side that opened it. For
 * internet peers `macB` is the gateway's MAC and `ip4B` the remote address.
 */
export interface Conn {
  v6: boolean;
  macA: number;
  macB: number;
  ip4A: number;
  ip4B: number;
  ip6A: Uint8Array | null;
  ip6B: Uint8Array | null;
  portA: number;
  portB: number;
  ttlA: number;
  ttlB: number;
}

export function emptyConn(): Conn {
  return {
    v6: false,
    macA: 0,
    macB: 0,
    ip4A: 0,
    ip4B: 0,
    ip6A: null,
    ip6B: null,
    portA: 0,
    portB: 0,
    ttlA: 64,
    ttlB: 64,
  };
}

/** 01:00:5e + low 23 bits of the group (RFC 1112 §6.4). */
export function ipv4MulticastMac(ip: number): number {
  return 0x01005e000000 + (ip & 0x7fffff);
}

/** 33:33 + low 32 bits of the group (RFC 2464 §7). */
export function ipv6MulticastMac(ip: Uint8Array): number {
  return 0x333300000000 + ((ip[12] << 24) >>> 0) + (ip[13] << 16) + (ip[14] << 8) + ip[15];
}

function sum16(buf: Buffer, start: number, end: number, acc: number): number {
  let i = start;
  for (; i + 1 < end; i += 2) acc += (buf[i] << 8) | buf[i + 1];
  if (i < end) acc += buf[i] << 8;
  return acc;
}

function fold(acc: number): number {
  while (acc > 0xffff) acc = (acc & 0xffff) + Math.floor(acc / 65536);
  return ~acc & 0xffff;
}

function writeEth(buf: Buffer, off: number, dst: number, src: number, type: number): void {
  buf.writeUIntBE(dst, off, 6);
  buf.writeUIntBE(src, off + 6, 6);
  buf.writeUInt16BE(type, off + 12);
}

/** IPv4 header, 20 bytes, no options (RFC 791 §3.1), with its header checksum. */
function writeIpv4(
  buf: Buffer,
  off: number,
  src: number,
  dst: number,
  proto: number,
  totalLen: number,
  ttl: number,
  id: number,
): void {
  buf[off] = 0x45;
  buf[off + 1] = 0;
  buf.writeUInt16BE(totalLen, off + 2);
  buf.writeUInt16BE(id & 0xffff, off + 4);
  buf.writeUInt16BE(0x4000, off + 6); // DF
  buf[off + 8] = ttl;
  buf[off + 9] = proto;
  buf.writeUInt16BE(0, off + 10);
  buf.writeUInt32BE(src >>> 0, off + 12);
  buf.writeUInt32BE(dst >>> 0, off + 16);
  buf.writeUInt16BE(fold(sum16(buf, off, off + 20, 0)), off + 10);
}

/** IPv6 fixed header, 40 bytes (RFC 8200 §3). */
function writeIpv6(
  buf: Buffer,
  off: number,
  src: Uint8Array,
  dst: Uint8Array,
  next: number,
  payloadLen: number,
  hopLimit: number,
): void {
  buf.writeUInt32BE(0x60000000, off);
  buf.writeUInt16BE(payloadLen, off + 4);
  buf[off + 6] = next;
  buf[off + 7] = hopLimit;
  buf.set(src, off + 8);
  buf.set(dst, off + 24);
}

/** Frame builder bound to one writer; one frame is open at a time. */
export class Frames {
  readonly buf: Buffer;
  ipId = 1;
  #w: PcapWriter;
  #frame = 0;
  #l4 = 0;
  /** TCP header length of the segment being built (32 with SYN options, else 20). */
  #tcpHdr = 20;

  constructor(w: PcapWriter) {
    this.#w = w;
    this.buf = w.buf;
  }

  get packets(): number {
    return this.#w.packets;
  }

  /** Timestamp (epoch µs) of the last frame written. */
  get lastTsUs(): number {
    return this.#w.lastTsUs;
  }

  /**
   * Start a TCP segment; returns where its payload goes. A SYN carries the usual options
   * unless `options` is false (raw-socket scanners send bare 20-byte headers).
   */
  beginTcp(v6: boolean, syn: boolean, options = true): number {
    this.#frame = this.#w.begin();
    this.#l4 = this.#frame + ETH_LEN + (v6 ? 40 : 20);
    this.#tcpHdr = syn && options ? 32 : 20;
    return this.#l4 + this.#tcpHdr;
  }

  /** Start a UDP datagram; returns where its payload goes. */
  beginUdp(v6: boolean): number {
    this.#frame = this.#w.begin();
    this.#l4 = this.#frame + ETH_LEN + (v6 ? 40 : 20);
    return this.#l4 + 8;
  }

  /**
   * Finish a TCP segment (RFC 9293 §3.1). `appLen` bytes were written by the caller;
   * the payload is zero-filled up to `payloadLen`. `window` < 0: the usual (64240 on a
   * SYN, else 502).
   */
  endTcp(
    tsUs: number,
    c: Conn,
    fromA: boolean,
    flags: number,
    seq: number,
    ack: number,
    appLen: number,
    payloadLen: number,
    window = -1,
  ): void {
    const buf = this.buf;
    const syn = (flags & TCP_SYN) !== 0;
    const hdr = this.#tcpHdr;
    const l4 = this.#l4;
    const dataOff = l4 + hdr;
    if (payloadLen > appLen) buf.fill(0, dataOff + appLen, dataOff + payloadLen);
    buf.writeUInt16BE(fromA ? c.portA : c.portB, l4);
    buf.writeUInt16BE(fromA ? c.portB : c.portA, l4 + 2);
    buf.writeUInt32BE(seq >>> 0, l4 + 4);
    buf.writeUInt32BE((flags & TCP_ACK) !== 0 ? ack >>> 0 : 0, l4 + 8);
    buf[l4 + 12] = (hdr / 4) << 4;
    buf[l4 + 13] = flags;
    buf.writeUInt16BE(window >= 0 ? window : syn ? 64240 : 502, l4 + 14);
    buf.writeUInt32BE(0, l4 + 16); // checksum, urgent pointer
    if (hdr === 32) for (let i = 0; i < SYN_OPTIONS.length; i++) buf[l4 + 20 + i] = SYN_OPTIONS[i];
    this.#finish(tsUs, c, fromA, IPPROTO_TCP, hdr + payloadLen, hdr + appLen, l4 + 16);
  }

  /** Finish a UDP datagram (RFC 768). */
  endUdp(tsUs: number, c: Conn, fromA: boolean, appLen: number, payloadLen: number): void {
    const buf = this.buf;
    const l4 = this.#l4;
    if (payloadLen > appLen) buf.fill(0, l4 + 8 + appLen, l4 + 8 + payloadLen);
    buf.writeUInt16BE(fromA ? c.portA : c.portB, l4);
    buf.writeUInt16BE(fromA ? c.portB : c.portA, l4 + 2);
    buf.writeUInt16BE(8 + payloadLen, l4 + 4);
    buf.writeUInt16BE(0, l4 + 6);
    this.#finish(tsUs, c, fromA, IPPROTO_UDP, 8 + payloadLen, 8 + appLen, l4 + 6);
  }

  /** Start a packet of another IP protocol (ICMP, GRE); returns where its header goes. */
  beginIp(v6: boolean): number {
    this.#frame = this.#w.begin();
    this.#l4 = this.#frame + ETH_LEN + (v6 ? 40 : 20);
    return this.#l4;
  }

  /**
   * Finish it: the caller wrote `appLen` bytes at the offset `beginIp()` returned (the
   * protocol's header first); the rest up to `len` is zero-filled. ICMP (1) gets its checksum
   * over the message (RFC 792); other protocols carry theirs in what the caller wrote.
   */
  endIp(tsUs: number, c: Conn, fromA: boolean, proto: number, appLen: number, len: number): void {
    const buf = this.buf;
    const l4 = this.#l4;
    if (len > appLen) buf.fill(0, l4 + appLen, l4 + len);
    if (proto === IPPROTO_ICMP) {
      buf.writeUInt16BE(0, l4 + 2);
      buf.writeUInt16BE(fold(sum16(buf, l4, l4 + appLen, 0)), l4 + 2);
    }
    this.#finish(tsUs, c, fromA, proto, len, 0, -1);
  }

  /** ARP over Ethernet, 28 bytes (RFC 826), padded to the Ethernet minimum. */
  arp(
    tsUs: number,
    ethDst: number,
    op: number,
    sha: number,
    spa: number,
    tha: number,
    tpa: number,
  ): void {
    const buf = this.buf;
    const f = this.#w.begin();
    writeEth(buf, f, ethDst, sha, ETH_ARP);
    const a = f + ETH_LEN;
    buf.writeUInt16BE(1, a); // hardware type Ethernet
    buf.writeUInt16BE(ETH_IPV4, a + 2);
    buf[a + 4] = 6;
    buf[a + 5] = 4;
    buf.writeUInt16BE(op, a + 6);
    buf.writeUIntBE(sha, a + 8, 6);
    buf.writeUInt32BE(spa >>> 0, a + 14);
    buf.writeUIntBE(tha, a + 18, 6);
    buf.writeUInt32BE(tpa >>> 0, a + 24);
    buf.fill(0, a + 28, f + MIN_FRAME);
    this.#w.commit(tsUs, MIN_FRAME);
  }

  /**
   * Ethernet + IP headers and the transport checksum over the pseudo-header (RFC 9293
   * §3.1, RFC 768, RFC 8200 §8.1). Only `sumLen` bytes can be non-zero: the filler after
   * the application bytes is zero and adds nothing to the sum. `csumAt` < 0: no transport
   * checksum to fill.
   */
  #finish(
    tsUs: number,
    c: Conn,
    fromA: boolean,
    proto: number,
    l4Len: number,
    sumLen: number,
    csumAt: number,
  ): void {
    const buf = this.buf;
    const f = this.#frame;
    const l4 = this.#l4;
    writeEth(buf, f, fromA ? c.macB : c.macA, fromA ? c.macA : c.macB, c.v6 ? ETH_IPV6 : ETH_IPV4);
    const ttl = fromA ? c.ttlA : c.ttlB;
    let acc: number;
    if (c.v6) {
      const src = (fromA ? c.ip6A : c.ip6B) as Uint8Array;
      const dst = (fromA ? c.ip6B : c.ip6A) as Uint8Array;
      writeIpv6(buf, f + ETH_LEN, src, dst, proto, l4Len, ttl);
      acc = sum16(buf, f + ETH_LEN + 8, f + ETH_LEN + 40, proto + l4Len);
    } else {
      const src = fromA ? c.ip4A : c.ip4B;
      const dst = fromA ? c.ip4B : c.ip4A;
      this.ipId = (this.ipId + 1) & 0xffff;
      writeIpv4(buf, f + ETH_LEN, src, dst, proto, 20 + l4Len, ttl, this.ipId);
      acc = sum16(buf, f + ETH_LEN + 12, f + ETH_LEN + 20, proto + l4Len);
    }
    if (csumAt >= 0) {
      let sum = fold(sum16(buf, l4, l4 + sumLen, acc));
      if (sum === 0 && proto === IPPROTO_UDP) sum = 0xffff;
      buf.writeUInt16BE(sum, csumAt);
    }
    let len = l4 - f + l4Len;
    if (len < MIN_FRAME) {
      buf.fill(0, f + len, f + MIN_FRAME);
      len = MIN_FRAME;
    }
    this.#w.commit(tsUs, len);
  }
}

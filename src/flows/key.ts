/**
 * The flow key: a packet's 5-tuple hashed the same in both directions, and matched against a
 * flow's initiator → responder orientation. Numbers straight from the DecodedPacket, no strings.
 * @module
 */
import { type DecodedPacket, L3 } from '../decode/packet.js';
import type { Flow } from './flow.js';

function mix(h: number, v: number): number {
  h = Math.imul(h ^ v, 0x9e3779b1);
  return h ^ (h >>> 15);
}

/** Symmetric hash of a packet's flow key (the same for both directions); equals hashFlow(). */
export function hashPacket(p: DecodedPacket): number {
  let h: number;
  if (p.l3 === L3.IPv6) {
    const s = p.src6;
    const d = p.dst6;
    h = mix(mix(mix(mix(p.ipProto, s[0] ^ d[0]), s[1] ^ d[1]), s[2] ^ d[2]), s[3] ^ d[3]);
  } else {
    h = mix(p.ipProto, p.src4 ^ p.dst4);
  }
  return mix(h, p.sport ^ p.dport);
}

/** For a flow of the packet's protocol: 1 initiator → responder, 2 the reverse, 0 another flow. */
export function direction(f: Flow, p: DecodedPacket): number {
  if (p.l3 === L3.IPv6) return f.ip6 !== null ? matchV6(f, p) : 0;
  const src = p.src4 | 0;
  const dst = p.dst4 | 0;
  const sport = p.sport;
  const dport = p.dport;
  if (f.initIp4 === src && f.respIp4 === dst && f.initPort === sport && f.respPort === dport) {
    return 1;
  }
  if (f.initIp4 === dst && f.respIp4 === src && f.initPort === dport && f.respPort === sport) {
    return 2;
  }
  return 0;
}

/** 1: packet goes initiator → responder, 2: the reverse, 0: another flow. */
function matchV6(f: Flow, p: DecodedPacket): number {
  const w = f.ip6 as Uint32Array;
  const s = p.src6;
  const d = p.dst6;
  if (f.initPort === p.sport && f.respPort === p.dport) {
    if (
      w[0] === s[0] &&
      w[1] === s[1] &&
      w[2] === s[2] &&
      w[3] === s[3] &&
      w[4] === d[0] &&
      w[5] === d[1] &&
      w[6] === d[2] &&
      w[7] === d[3]
    )
      return 1;
  }
  if (f.initPort === p.dport && f.respPort === p.sport) {
    if (
      w[0] === d[0] &&
      w[1] === d[1] &&
      w[2] === d[2] &&
      w[3] === d[3] &&
      w[4] === s[0] &&
      w[5] === s[1] &&
      w[6] === s[2] &&
      w[7] === s[3]
    )
      return 2;
  }
  return 0;
}

/** Hash of a flow's key, as hashPacket() gives for any of its packets. */
export function hashFlow(f: Flow): number {
  let h: number;
  if (f.ip6 !== null) {
    const w = f.ip6;
    h = mix(mix(mix(mix(f.proto, w[0] ^ w[4]), w[1] ^ w[5]), w[2] ^ w[6]), w[3] ^ w[7]);
  } else {
    h = mix(f.proto, f.initIp4 ^ f.respIp4);
  }
  return mix(h, f.initPort ^ f.respPort);
}

/**
 * A flow's two ends as the window stage keys them: group traffic (multicast, broadcast) that
 * stays on the LAN, and the responder / initiator as the key of per-window sets and per-device
 * maps. Small functions the per-packet path calls; V8 inlines them.
 * @module
 */
import { ipv4ToString, ipv6ToString } from '../decode/addr.js';
import { isBroadcast4, isMulticast4 } from '../devices/lan.js';
import type { Flow } from '../flows/flow.js';

/** Multicast or limited broadcast: traffic that stays on the LAN. */
export function isGroup4(ip: number): boolean {
  return isMulticast4(ip) || isBroadcast4(ip);
}

/** The flow's responder is a group address (IPv6 multicast, IPv4 multicast or broadcast). */
export function isGroup(f: Flow): boolean {
  if (f.ip6 !== null) return f.ip6[4] >>> 24 === 0xff;
  return isGroup4(f.respIp4);
}

/** Slots of the IPv6 text cache (a power of two). */
const TEXT6_SLOTS = 4096;
const cachedWords = new Uint32Array(4 * TEXT6_SLOTS);
const cachedText: string[] = new Array<string>(TEXT6_SLOTS).fill('');

/**
 * An IPv6 address (four words of `w` from `at`) as text, from a direct-mapped cache: one string
 * per address in the cache however many sets, tallies and windows hold it (the window stage
 * keys per-window sets, peer tallies and beacon slots by it, each once per flow and window),
 * and no new string while the address stays cached.
 */
export function text6(w: Uint32Array, at: number): string {
  const w0 = w[at];
  const w1 = w[at + 1];
  const w2 = w[at + 2];
  const w3 = w[at + 3];
  const slot =
    (Math.imul(w3 ^ Math.imul(w2, 0x85ebca6b) ^ w1 ^ w0, 0x9e3779b1) >>> 20) & (TEXT6_SLOTS - 1);
  const o = 4 * slot;
  const t = cachedText[slot];
  if (
    t !== '' &&
    cachedWords[o] === w0 &&
    cachedWords[o + 1] === w1 &&
    cachedWords[o + 2] === w2 &&
    cachedWords[o + 3] === w3
  ) {
    return t;
  }
  const text = ipv6ToString(w, at);
  cachedWords[o] = w0;
  cachedWords[o + 1] = w1;
  cachedWords[o + 2] = w2;
  cachedWords[o + 3] = w3;
  cachedText[slot] = text;
  return text;
}

/**
 * The flow's responder / initiator as the key of per-window sets and per-device maps: IPv6 as
 * text (text6), IPv4 as an int32 (addresses from 128.0.0.0 up, 192.168/16 among them, are no
 * small integers as unsigned numbers: each would be a heap number allocated for every set it
 * joins).
 */
export function respKey(f: Flow): number | string {
  return f.ip6 !== null ? text6(f.ip6, 4) : f.respIp4 | 0;
}

export function initKey(f: Flow): number | string {
  return f.ip6 !== null ? text6(f.ip6, 0) : f.initIp4 | 0;
}

/** The flow's initiator's address as text (IPv4 dotted, IPv6 RFC 5952). */
export function initText(f: Flow): string {
  return f.ip6 !== null ? text6(f.ip6, 0) : ipv4ToString(f.initIp4);
}

/** The flow's responder's address as text (IPv4 dotted, IPv6 RFC 5952). */
export function respText(f: Flow): string {
  return f.ip6 !== null ? text6(f.ip6, 4) : ipv4ToString(f.respIp4);
}

/** The responder's address and port as text ("192.0.2.7/22"): a short session's key. */
export function respEndpoint(f: Flow): string {
  return `${respText(f)}/${f.respPort}`;
}

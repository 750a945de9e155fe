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

/**
 * The flow's responder / initiator as the key of per-window sets and per-device maps: IPv6 as
 * text, IPv4 as an int32 (addresses from 128.0.0.0 up, 192.168/16 among them, are no small
 * integers as unsigned numbers: each would be a heap number allocated for every set it joins).
 */
export function respKey(f: Flow): number | string {
  return f.ip6 !== null ? ipv6ToString(f.ip6, 4) : f.respIp4 | 0;
}

export function initKey(f: Flow): number | string {
  return f.ip6 !== null ? ipv6ToString(f.ip6, 0) : f.initIp4 | 0;
}

/** The responder's address and port as text ("192.0.2.7/22"): a short session's key. */
export function respEndpoint(f: Flow): string {
  const ip = f.ip6 !== null ? ipv6ToString(f.ip6, 4) : ipv4ToString(f.respIp4);
  return `${ip}/${f.respPort}`;
}

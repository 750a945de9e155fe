/**
 * Which IPv4 sources are a device's addresses and which are forged (the registry, registry.ts,
 * asks when a device sends from a local address other than its last one, or answers ARP under one).
 *
 * Forged sources (the registry's `forged`): packets from a device's MAC whose IPv4 source is not
 * the device's address, such as a flood's spoofed sources (Mirai's floods can draw one a packet).
 * - Remote sources (registry.ts, `#forgedRemote`): a packet from a remote source to a remote
 *   destination (or from an impossible source: multicast, reserved, loopback) sent by a known
 *   device that is not the gateway (once the gateway is decided; never in a cooked capture) is
 *   forged, and no evidence that its MAC is the gateway. A remote source to a LAN destination is
 *   not judged: a router may deliver the internet's packets from a second MAC (a travel router's
 *   two radios: ndpi-tests/pcap/alexa-app.pcapng), and one packet does not tell that from a
 *   device forging them.
 * - Local sources (`adoptsIp4`): a local source new to the device is taken as its address after
 *   ADOPT_PACKETS packets in a row from it; those before are forged (a device's first address is
 *   taken at once). So forged sources do not fill the device's address list.
 *
 * A marked man in the middle (Device.spooferUntil, set by features/arp-claims.ts) forwards its
 * victims' packets and answers ARP for them and the router: while marked, no new address becomes
 * its own (the ones it had stay).
 * @module
 */
import type { Device } from './device.js';

/**
 * Packets in a row from a new local IPv4 source before it is taken as the device's address. A
 * flood forging sources from a /24 repeats one four times in a row once in 254³ packets; a device
 * that moved to a new address (or a range extender relaying a new client under its MAC) sends
 * bursts from it.
 */
export const ADOPT_PACKETS = 4;

/**
 * `dev` sent from local IPv4 `ip`, not its last address: true when `ip` is to be taken as one of
 * its addresses (it has none yet, already has it, or this is the ADOPT_PACKETS-th packet in a row
 * from it; packets from its own addresses in between do not count); false when forged.
 */
export function adoptsIp4(dev: Device, ip: number): boolean {
  if (dev.lastIp4 < 0 || dev.hasIp4(ip)) return true;
  if (dev.pendingIp4 !== ip) {
    dev.pendingIp4 = ip;
    dev.pendingIp4Packets = 0;
  }
  if (++dev.pendingIp4Packets < ADOPT_PACKETS) return false;
  dev.pendingIp4 = -1;
  return true;
}

/** `ip` may join `dev`'s addresses: not while it is marked a spoofer, unless it already has it. */
export function takesIp4(dev: Device, ip: number): boolean {
  return !(dev.lastSeen <= dev.spooferUntil) || dev.hasIp4(ip);
}

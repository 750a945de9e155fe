/**
 * Devices in Linux cooked captures (SLL, SLL2: `tcpdump -i any`, typically on the router). A
 * cooked frame records only its sender's MAC and which way it went (the kernel's packet type),
 * so the registry needs two things Ethernet gives it for free:
 *
 * - the receiving device: the device that last sent from the destination address;
 * - which frames are the router forwarding someone else's packet: a frame the capturing host
 *   sent (OUTGOING) from an address another device owns was counted when it came in, and its
 *   source MAC is the host's interface, not the device.
 *
 * Addresses are indexed only once a cooked frame has been seen, so Ethernet captures pay nothing.
 * @module
 */
import { ipv6ToString } from '../decode/addr.js';
import { LinkPktType, type DecodedPacket } from '../decode/packet.js';
import type { Device } from './device.js';

/** Interfaces of the capturing host remembered. */
const MAX_HOST_MACS = 64;

export class CookedAddresses {
  /** True once a cooked frame has been seen: addresses are indexed from then on. */
  active = false;
  readonly #maxAddresses: number;
  /** The registry's devices (its own list, growing), indexed at the first cooked frame. */
  readonly #devices: readonly Device[];
  /** MACs seen sending OUTGOING frames: the capturing host's interfaces. */
  readonly #hostMacs = new Set<number>();
  // The latest sender of an address owns it; bounded, the oldest dropped.
  readonly #byIp4 = new Map<number, Device>();
  readonly #byIp6 = new Map<string, Device>();

  constructor(maxAddresses: number, devices: readonly Device[]) {
    this.#maxAddresses = maxAddresses;
    this.#devices = devices;
  }

  /** The first cooked frame: index the addresses the devices sent from so far. */
  #activate(): void {
    if (this.active) return;
    this.active = true;
    for (const d of this.#devices) {
      for (const ip of d.ip4s()) this.sent4(d, ip);
      for (const text of d.ip6s()) this.sent6(d, text);
    }
  }

  /** `dev` sent from IPv4 `ip` (unsigned). */
  sent4(dev: Device, ip: number): void {
    remember(this.#byIp4, ip, dev, this.#maxAddresses);
  }

  /** `dev` sent from IPv6 `text` (RFC 5952). */
  sent6(dev: Device, text: string): void {
    remember(this.#byIp6, text, dev, this.#maxAddresses);
  }

  /** The device that last sent from IPv4 `ip`, for a cooked frame. */
  owner4(ip: number): Device | null {
    this.#activate();
    return this.#byIp4.get(ip) ?? null;
  }

  owner6(w: Uint32Array): Device | null {
    this.#activate();
    return this.#byIp6.get(ipv6ToString(w)) ?? null;
  }

  /** Records IPv6 source `w` of `dev` (indexed once active); true when its list changed. */
  addIp6(dev: Device, w: Uint32Array): boolean {
    if (!this.active) return dev.addIp6(w);
    const text = ipv6ToString(w);
    this.sent6(dev, text);
    return dev.addIp6(w, text);
  }

  /**
   * A frame the capturing host sent (OUTGOING) from an address `owner`, another device, owns:
   * the host forwarding that device's packet. Notes the host's MAC.
   */
  forwardedCopy(pkt: DecodedPacket, owner: Device | null): boolean {
    if (pkt.linkPktType !== LinkPktType.Outgoing) return false;
    this.#noteHost(pkt.srcMac);
    return owner !== null && owner.mac !== pkt.srcMac;
  }

  /**
   * The receiving device of a cooked frame: `owner`, the owner of its destination address,
   * except for a frame addressed to the capturing host (HOST) that the host will forward to
   * someone else (counted when it goes out).
   */
  receiver(pkt: DecodedPacket, owner: Device | null): Device | null {
    if (pkt.linkPktType === LinkPktType.Outgoing) this.#noteHost(pkt.srcMac);
    if (owner === null) return null;
    if (pkt.linkPktType === LinkPktType.Host && !this.#hostMacs.has(owner.mac)) return null;
    return owner;
  }

  #noteHost(mac: number): void {
    if (this.#hostMacs.size < MAX_HOST_MACS) this.#hostMacs.add(mac);
  }
}

/** Sets `key` as the newest entry of `map`, dropping the oldest beyond `max`. */
function remember<K>(map: Map<K, Device>, key: K, dev: Device, max: number): void {
  map.delete(key);
  if (map.size >= max) map.delete(map.keys().next().value as K);
  map.set(key, dev);
}

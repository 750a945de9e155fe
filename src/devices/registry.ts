/**
 * DeviceRegistry: MAC ↔ device, with IPs, names, vendor and the gateway (DESIGN.md, "Devices").
 *
 * Per packet, `observe()` sets `src` (the LAN device the packet is from) and `dst` (the LAN
 * device it is delivered to):
 * - `src`: unicast, non-zero source MAC and a local source IP. Created on first sight (vendor
 *   from the OUI registry). A packet with a remote source IP is never "from" a device: that is
 *   how the gateway's forwarded traffic is attributed to the LAN device it is delivered to
 *   (`dst`) rather than to the gateway.
 * - `dst`: unicast destination MAC that is already a device and a local destination IP. A packet
 *   to a remote address has `dst = null` even though its destination MAC is the gateway's.
 * - Forged IPv4 sources (`forged`): a packet from a device's MAC whose source address is not
 *   the device's (a flood's spoofed sources): `src` is still the device. Which sources are
 *   forged, and when a new one becomes the device's address: addresses.ts.
 * - ARP (RFC 826): a request or reply whose Ethernet source equals the ARP sender MAC and whose
 *   sender IP is local makes the sender a device (quiet devices often show up only through
 *   ARP); probes from 0.0.0.0 (RFC 5227) do not.
 * - Links without MACs (raw IP) give `src = dst = null`; `srcLocal`/`dstLocal` are still set.
 *
 * What the registry does not fill: `history.names` / `history.endpoints` belong to the features
 * that ask "is this new for the device?" (their `addIsNew` answer is the point).
 * @module
 */
import { L3, type DecodedPacket } from '../decode/packet.js';
import { adoptsIp4, takesIp4 } from './addresses.js';
import { DeviceAdmission, isUnicastMac } from './admission.js';
import { AppHints } from './app-hints.js';
import { CookedAddresses } from './cooked.js';
import type { Device } from './device.js';
import { GatewayDetector } from './gateway.js';
import { isSpecial4, isSpecial6, type LanMatcher } from './lan.js';
import { type DeviceRegistryOptions, resolveRegistryOptions } from './registry-options.js';
import {
  parseSnapshot,
  registrySnapshot,
  restoreRegistry,
  type DeviceRegistrySnapshot,
} from './snapshot.js';

export { ADOPT_PACKETS } from './addresses.js';

/** Lookup cache size (a power of two). */
const CACHE_SLOTS = 1024;
const CACHE_MASK = CACHE_SLOTS - 1;

export class DeviceRegistry {
  /** The LAN device the last observed packet is from, or null. */
  src: Device | null = null;
  /** The LAN device the last observed packet is delivered to, or null. */
  dst: Device | null = null;
  /** The last packet's source / destination IP is local (ARP: sender / target IP). */
  srcLocal = false;
  dstLocal = false;
  /** The last packet created `src`. */
  isNew = false;
  /** The last packet's IPv4 source is not its device's (`src`): see the module comment. */
  forged = false;
  readonly maxDevices: number;

  readonly #lan: LanMatcher;
  /** Which MACs become devices (admission.ts); counts the refused. */
  readonly #admission: DeviceAdmission;
  readonly #byMac = new Map<number, Device>();
  readonly #list: Device[] = [];
  readonly #changed: Device[] = [];
  readonly #gw = new GatewayDetector();
  /** Gateway MAC whose device flags are applied. */
  #gwApplied = -1;
  // Direct-mapped cache in front of #byMac, indexed by the MAC's low bits: a typed-array compare
  // instead of hashing a 48-bit (non-Smi) key for most packets.
  readonly #cacheMac = new Float64Array(CACHE_SLOTS).fill(-1);
  readonly #cacheDev: (Device | null)[] = new Array<Device | null>(CACHE_SLOTS).fill(null);
  readonly #hints: AppHints;
  /** Addresses and forwarding in Linux cooked captures (frames with no destination MAC). */
  readonly #cooked: CookedAddresses;

  constructor(options: DeviceRegistryOptions) {
    const o = resolveRegistryOptions(options);
    this.#lan = o.lan;
    this.#hints = new AppHints(
      {
        lookup: (mac) => this.#byMac.get(mac),
        changed: (dev) => this.#queue(dev),
        router: (ip, mac) => {
          this.#gw.routerHint(ip, mac, this.#list);
          this.#applyGateway();
        },
      },
      o.lan,
    );
    this.maxDevices = o.maxDevices;
    this.#admission = new DeviceAdmission(o);
    this.#cooked = new CookedAddresses(o.maxDevices * o.maxIps, this.#list);
  }

  /** Distinct new MACs refused because maxDevices was reached. */
  get refused(): number {
    return this.#admission.refused;
  }

  /** Packets whose new source MAC was refused. */
  get refusedPackets(): number {
    return this.#admission.refusedPackets;
  }

  /** Looks at one decoded packet; sets src, dst, srcLocal, dstLocal, isNew. Cheap per packet. */
  observe(pkt: DecodedPacket): void {
    this.src = null;
    this.dst = null;
    this.isNew = false;
    this.forged = false;
    const lan = this.#lan;
    let srcRemote = false;
    let dstRemote = false;
    const l3 = pkt.l3;
    if (l3 === L3.IPv4) {
      // As int32 (a small integer to V8): an unsigned address above 2^31, such as 192.168/16,
      // would be boxed into a heap number on every call below. Both tests take either form.
      const s = pkt.src4 | 0;
      const d = pkt.dst4 | 0;
      const srcLocal = (this.srcLocal = lan.isLocal4(s));
      const dstLocal = (this.dstLocal = lan.isLocal4(d));
      if (!pkt.hasMacs) return;
      const cooked = pkt.linkPktType >= 0;
      if (srcLocal) {
        if (!cooked || !this.#cooked.forwardedCopy(pkt, this.#cooked.owner4(pkt.src4))) {
          const dev = this.#source(pkt);
          if (dev !== null && dev.lastIp4 !== pkt.src4) this.#sentFrom4(dev, pkt.src4);
        }
      } else if (!isSpecial4(s)) {
        // Forwarded by the gateway, or forged by a device (then no evidence for the gateway).
        srcRemote = cooked || dstLocal || !this.#forgedRemote(pkt);
      } else if (!cooked && s >>> 24 !== 0) {
        // A multicast, reserved or loopback source is nobody's address (0/8 is a DHCP client's).
        this.#forgedRemote(pkt);
      }
      if (dstLocal)
        this.dst = !cooked
          ? this.#knownDst(pkt)
          : this.#cooked.receiver(pkt, this.#cooked.owner4(pkt.dst4));
      else dstRemote = !isSpecial4(d);
    } else if (l3 === L3.IPv6) {
      const s = pkt.src6;
      const srcLocal = (this.srcLocal = lan.isLocal6(s));
      let dstLocal = (this.dstLocal = lan.isLocal6(pkt.dst6));
      if (!pkt.hasMacs) return;
      const cooked = pkt.linkPktType >= 0;
      if (!dstLocal && !cooked && this.#deliveredHome(pkt)) dstLocal = this.dstLocal = true;
      if (srcLocal && cooked && this.#cooked.forwardedCopy(pkt, this.#cooked.owner6(s))) {
        // counted where it came in
      } else if (srcLocal) {
        const dev = this.#source(pkt);
        if (
          dev !== null &&
          !(
            dev.hasLastIp6 &&
            dev.lastIp6d === s[3] &&
            dev.lastIp6c === s[2] &&
            dev.lastIp6b === s[1] &&
            dev.lastIp6a === s[0]
          ) &&
          this.#cooked.addIp6(dev, s)
        ) {
          this.#queue(dev);
        }
      } else {
        srcRemote = !isSpecial6(s);
      }
      if (dstLocal)
        this.dst = !cooked
          ? this.#knownDst(pkt)
          : this.#cooked.receiver(pkt, this.#cooked.owner6(pkt.dst6));
      else dstRemote = !isSpecial6(pkt.dst6);
    } else {
      this.srcLocal = false;
      this.dstLocal = false;
      if (l3 === L3.ARP && pkt.hasMacs) this.#observeArp(pkt);
      return;
    }
    const gw = this.#gw;
    if (srcRemote) {
      if (pkt.srcMac === gw.mac) gw.countGateway();
      else if (isUnicastMac(pkt.srcMac)) gw.count(pkt.srcMac);
    }
    if (dstRemote) {
      if (pkt.dstMac === gw.mac) gw.countGateway();
      else if (isUnicastMac(pkt.dstMac)) gw.count(pkt.dstMac);
    }
    if (gw.mac !== this.#gwApplied) this.#applyGateway();
    if (pkt.app !== null) this.#hints.observe(pkt, this.src, this.dst);
  }

  /**
   * The router delivered `pkt` to a LAN device at a global IPv6 address: that address's /64 is
   * the home's (learned into the LAN matcher, so that the device's traffic from it is its own).
   */
  #deliveredHome(pkt: DecodedPacket): boolean {
    const gw = this.#gw.mac;
    return (
      gw >= 0 &&
      pkt.srcMac === gw &&
      pkt.dstMac !== gw &&
      this.#byMac.has(pkt.dstMac) &&
      this.#lan.learn6(pkt.dst6)
    );
  }

  /** The gateway's device, or null while undecided or while it has not sent from a local IP. */
  gateway(): Device | null {
    const mac = this.#gw.mac;
    return mac < 0 ? null : (this.#byMac.get(mac) ?? null);
  }

  /** The gateway's MAC (-1 while undecided), whether or not it is a device. */
  gatewayMac(): number {
    return this.#gw.mac;
  }

  /** All devices in id order (order of first sighting). */
  devices(): Device[] {
    return this.#list.slice();
  }

  get size(): number {
    return this.#list.length;
  }

  lookup(mac: number): Device | undefined {
    return this.#byMac.get(mac);
  }

  /**
   * Devices created or changed (version bumped) since the last call, in order of change: the
   * pipeline emits a `device` record for each. Bounded by maxDevices.
   */
  drainChanged(): Device[] {
    const out = this.#changed.splice(0);
    for (const d of out) d.queued = false;
    return out;
  }

  stats(): {
    devices: number;
    refused: number;
    refusedPackets: number;
    pendingNames: number;
    gatewayCandidatesIgnored: number;
  } {
    return {
      devices: this.#list.length,
      refused: this.refused,
      refusedPackets: this.refusedPackets,
      pendingNames: this.#hints.pendingCount,
      gatewayCandidatesIgnored: this.#gw.ignored,
    };
  }

  /** Plain JSON-able state for restarts. */
  snapshot(): DeviceRegistrySnapshot {
    return registrySnapshot(this.#list, this.#gw, this.#lan);
  }

  /**
   * A registry holding saved state. `snapshot` is checked field by field (ERR_STATE on a wrong
   * version or shape). Restored devices are not new and not queued as changed. Devices beyond
   * `maxDevices` are dropped and counted in `refused`.
   */
  static restore(snapshot: unknown, opts: DeviceRegistryOptions): DeviceRegistry {
    const snap = parseSnapshot(snapshot);
    const reg = new DeviceRegistry(opts);
    const a = reg.#admission;
    const saved = restoreRegistry(snap, reg.#gw, reg.#lan, a);
    for (const dev of saved.devices) {
      reg.#byMac.set(dev.mac, dev);
      reg.#list.push(dev);
    }
    a.refused = saved.refused;
    reg.#gwApplied = reg.#gw.mac;
    return reg;
  }

  // The two lookups below take the packet, not its MAC and time: a 48-bit MAC or a time passed
  // to a function V8 does not inline is boxed into a fresh heap number, once per packet.

  /** The source device of a packet with a local source IP; creates it. */
  #source(pkt: DecodedPacket): Device | null {
    const mac = pkt.srcMac;
    const slot = mac & CACHE_MASK; // low bits (ToInt32 keeps the low 32 of the 48)
    let dev: Device | null;
    if (this.#cacheMac[slot] === mac) {
      dev = this.#cacheDev[slot];
    } else {
      dev = this.#byMac.get(mac) ?? this.#create(mac, pkt.ts);
      if (dev === null) return null;
      this.#cacheMac[slot] = mac;
      this.#cacheDev[slot] = dev;
    }
    if (dev !== null && pkt.ts > dev.lastSeen) dev.lastSeen = pkt.ts;
    this.src = dev;
    return dev;
  }

  /**
   * A packet with a remote (or impossible) IPv4 source: forged when its source MAC is a known
   * device other than the decided gateway. Then `src` is that device and `forged` is set.
   */
  #forgedRemote(pkt: DecodedPacket): boolean {
    const mac = pkt.srcMac;
    const gw = this.#gw.mac;
    if (gw < 0 || mac === gw) return false;
    const slot = mac & CACHE_MASK;
    const dev = this.#cacheMac[slot] === mac ? this.#cacheDev[slot] : this.#byMac.get(mac);
    if (dev === null || dev === undefined || dev.isGateway) return false;
    if (pkt.ts > dev.lastSeen) dev.lastSeen = pkt.ts;
    this.src = dev;
    this.forged = true;
    return true;
  }

  /** `dev` sent from local IPv4 `ip`, not its last address: its address, or forged. */
  #sentFrom4(dev: Device, ip: number): void {
    if (adoptsIp4(dev, ip)) this.#addIp4(dev, ip);
    else this.forged = true;
  }

  /** The known device with this MAC, or null (0: none). */
  #knownMac(mac: number): Device | null {
    return mac === 0 ? null : (this.#byMac.get(mac) ?? null);
  }

  /** The known device of a packet's destination MAC, or null. */
  #knownDst(pkt: DecodedPacket): Device | null {
    const mac = pkt.dstMac;
    const slot = mac & CACHE_MASK;
    if (this.#cacheMac[slot] === mac) return this.#cacheDev[slot];
    const dev = this.#byMac.get(mac);
    if (dev === undefined) return null;
    this.#cacheMac[slot] = mac;
    this.#cacheDev[slot] = dev;
    return dev;
  }

  #create(mac: number, ts: number): Device | null {
    const dev = this.#admission.admit(mac, ts, this.#list.length);
    if (dev === null) return null;
    this.#byMac.set(mac, dev);
    this.#list.push(dev);
    this.isNew = true;
    this.#hints.adopt(dev);
    if (mac === this.#gw.mac) dev.setGateway(true);
    this.#queue(dev);
    return dev;
  }

  #queue(dev: Device): void {
    if (dev.queued) return;
    dev.queued = true;
    this.#changed.push(dev);
  }

  #addIp4(dev: Device, ip: number): void {
    if (this.#cooked.active) this.#cooked.sent4(dev, ip);
    if (!takesIp4(dev, ip) || !dev.addIp4(ip)) return; // a marked spoofer takes none: addresses.ts
    this.#queue(dev);
    if (ip === this.#gw.hintIp) {
      this.#gw.setHintMac(dev.mac);
      this.#applyGateway();
    }
  }

  #applyGateway(): void {
    const mac = this.#gw.mac;
    if (this.#gwApplied >= 0) {
      const old = this.#byMac.get(this.#gwApplied);
      if (old !== undefined && old.setGateway(false)) this.#queue(old);
    }
    const dev = mac < 0 ? undefined : this.#byMac.get(mac);
    if (dev !== undefined && dev.setGateway(true)) this.#queue(dev);
    this.#gwApplied = mac;
  }

  #observeArp(pkt: DecodedPacket): void {
    const sip = pkt.arpSenderIp;
    const lan = this.#lan;
    this.srcLocal = lan.isLocal4(sip);
    this.dstLocal = lan.isLocal4(pkt.arpTargetIp);
    if (this.srcLocal && pkt.arpSenderMac === pkt.srcMac) {
      const dev = this.#source(pkt);
      if (dev !== null && dev.lastIp4 !== sip) this.#addIp4(dev, sip);
    }
    if (!this.dstLocal) return;
    // A cooked frame has no destination MAC; the ARP message names its addressee (a reply or a
    // unicast refresh request), as the Ethernet destination would.
    this.dst = pkt.linkPktType < 0 ? this.#knownDst(pkt) : this.#knownMac(pkt.arpTargetMac);
  }
}

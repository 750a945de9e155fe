/**
 * Who owns which LAN IPv4 address, for `arpClaims`: an ARP message (RFC 826) in which a device
 * announces, as its sender address, an address that belongs to another device — the
 * man-in-the-middle signature of ARP spoofing (replies, gratuitous ARP, or requests that poison
 * the receiver's cache alike).
 *
 * Ownership comes from use: the device that sends IP (or, when it is no claim, ARP) from an
 * address owns it. Another device sending from it does not take it over while the owner has
 * used it within `OWNER_RECENT_S` (a man in the middle forwards the victim's packets under the
 * victim's address); after that silence it does (DHCP gave the address to someone else). The
 * gateway's addresses are its own however long it has been quiet. A device's ARP for its own
 * address is never a claim, nor, for `REASSERT_S`, the ARP of the device an address was taken
 * from (a spoofer that took a quiet device's address must not make its victim the suspect).
 *
 * A capture that begins in the middle of a spoof (a research capture, an agent restarted) may
 * first see the man in the middle, which forwards its victims' packets under their addresses
 * and answers ARP for them, so ownership by first use would be inverted: the victims and the
 * router announcing their own addresses would look like the claimants. Two facts set it right:
 * - the gateway's addresses are the gateway's: the gateway sending from, or announcing, an
 *   address takes it at once, and a device that held it is marked a spoofer;
 * - a device marked a spoofer (it held the gateway's address, or claimed it by ARP) takes no
 *   address while marked (`SPOOFER_S`), and a device sending from or announcing an address it
 *   holds takes it back.
 *
 * "Used" is measured without a write per packet: while the owner still sends from the address,
 * its last use is the device's `lastSeen` (kept by the registry); once it sends from another
 * address that it owns, the old one is released at that moment.
 *
 * Per packet the caller compares the source with the address it knows the device owns
 * (DeviceActivity.ownIp4); this index is consulted only when they differ, and on ARP.
 * @module
 */
import { ipv4ToString } from '../decode/addr.js';
import type { DecodedPacket } from '../decode/packet.js';
import type { Device } from '../devices/device.js';
import type { DeviceActivity } from './accumulator.js';

/** An owner that used its address this recently still owns it. */
export const OWNER_RECENT_S = 300;
/** Addresses indexed; the one whose owner was heard from longest ago is forgotten beyond it. */
export const MAX_ADDRESSES = 65536;

/** A device that lost its address to another this recently may announce it again: no claim. */
export const REASSERT_S = 3600;
/** How long a device stays marked a spoofer after it last held or claimed the gateway's address. */
export const SPOOFER_S = 3600;

export interface OwnerEntry {
  dev: Device;
  /** Packet time the owner moved to another address (-1 while it still uses this one). */
  releasedTs: number;
  /** The owner before the last change of owner, and when it changed (null: never changed). */
  prevDev: Device | null;
  changedTs: number;
}

/** Packet time the owner of `e` last used its address. */
function lastUse(e: OwnerEntry): number {
  return e.releasedTs >= 0 ? e.releasedTs : e.dev.lastSeen;
}

export class AddressOwners {
  readonly #owners = new Map<number, OwnerEntry>();
  /** Devices that held or claimed the gateway's address, and when last. */
  readonly #spoofers = new WeakMap<Device, number>();
  /** Addresses forgotten because the index was full. */
  evicted = 0;

  /**
   * `dev` sent from `ip` at `ts`: its entry when it owns the address (now), else null. `prev` is
   * the entry of the address it owned so far, released when it now owns another.
   */
  use(dev: Device, ip: number, ts: number, prev: OwnerEntry | null): OwnerEntry | null {
    const owners = this.#owners;
    let e = owners.get(ip);
    if (e === undefined) {
      if (owners.size >= MAX_ADDRESSES) {
        owners.delete(owners.keys().next().value as number);
        this.evicted++;
      }
      e = { dev, releasedTs: -1, prevDev: null, changedTs: ts };
      owners.set(ip, e);
    } else if (e.dev !== dev) {
      if (!this.#takes(dev, e, ts)) return null;
      this.#change(e, ip, dev, ts);
    }
    e.releasedTs = -1;
    if (prev !== null && prev !== e && prev.dev === dev) prev.releasedTs = ts;
    return e;
  }

  /** `dev` held or claimed the gateway's address within SPOOFER_S of `ts`. */
  isSpoofer(dev: Device, ts: number): boolean {
    const at = this.#spoofers.get(dev);
    return at !== undefined && ts - at <= SPOOFER_S;
  }

  markSpoofer(dev: Device, ts: number): void {
    if (!dev.isGateway) this.#spoofers.set(dev, ts);
  }

  /** Whether `dev`, using the address of `e` at `ts`, takes it from its owner. */
  #takes(dev: Device, e: OwnerEntry, ts: number): boolean {
    if (dev.isGateway) {
      this.markSpoofer(e.dev, ts);
      return true;
    }
    if (this.isSpoofer(dev, ts)) return false;
    if (this.isSpoofer(e.dev, ts)) return true;
    return !e.dev.isGateway && ts - lastUse(e) > OWNER_RECENT_S;
  }

  #change(e: OwnerEntry, ip: number, dev: Device, ts: number): void {
    e.prevDev = e.dev;
    e.changedTs = ts;
    e.dev = dev;
    // Keep Map order roughly by change of owner, so eviction drops long-settled entries last.
    this.#owners.delete(ip);
    this.#owners.set(ip, e);
  }

  /**
   * The entry of the other device `ip` belongs to, when `dev` announcing it by ARP at `ts` is
   * a claim on it; null otherwise (its own address, nobody's, or an owner long silent).
   */
  claim(dev: Device, ip: number, ts: number): OwnerEntry | null {
    const e = this.#owners.get(ip);
    if (e === undefined || e.dev === dev) return null;
    // The gateway announcing an address, or a device announcing one a spoofer holds: its own.
    if (dev.isGateway || this.isSpoofer(e.dev, ts)) return null;
    // The device the address was taken from, while its owner was quiet, announcing it again:
    // the victim of a spoof (or of a lease given twice), not a man in the middle.
    if (e.prevDev === dev && ts - e.changedTs <= REASSERT_S && !this.isSpoofer(dev, ts))
      return null;
    if (e.dev.isGateway || ts - lastUse(e) <= OWNER_RECENT_S) return e;
    return null;
  }
}

/** The ownership index and the `arpClaims` counting on top of it, for DeviceWindows. */
export class ArpClaims {
  readonly owners = new AddressOwners();

  /** Device `d` (activity `a`) sent IPv4 from `ip`, which it was not known to own. */
  use(d: Device, a: DeviceActivity, ip: number, now: number): void {
    const e = this.owners.use(d, ip, now, a.ownEntry);
    if (e === null) return;
    a.ownIp4 = ip;
    a.ownEntry = e;
  }

  /** An ARP message from device `d`: a claim on another device's address, or a use of its own. */
  arp(p: DecodedPacket, d: Device, a: DeviceActivity, now: number): void {
    const ip = p.arpSenderIp;
    if (ip === 0) return;
    const owner = this.owners.claim(d, ip, now);
    if (owner === null) {
      if (ip !== a.ownIp4 || a.ownEntry === null || a.ownEntry.dev !== d) this.use(d, a, ip, now);
      return;
    }
    if (owner.dev.isGateway) this.owners.markSpoofer(d, now);
    a.counters.arpClaims++;
    a.notes.arpClaim(now, ipv4ToString(ip), owner.dev.macStr, owner.dev.isGateway);
  }
}

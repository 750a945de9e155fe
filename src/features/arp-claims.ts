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
 * A marked spoofer's device record lists its own addresses only. While it is marked, the
 * registry adds no address to it (it sends and answers ARP under its victims' and the router's);
 * marking drops from its record the addresses other devices own and those it took by ARP alone,
 * an address taken back from it leaves its record, and an address it owns and sends IP from
 * here (its own, first used while marked) joins it. So its alerts name it by its own address.
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
  /** The owner took it by announcing it in ARP, and has not been seen sending IP from it since. */
  byArp: boolean;
}

/** Packet time the owner of `e` last used its address. */
function lastUse(e: OwnerEntry): number {
  return e.releasedTs >= 0 ? e.releasedTs : e.dev.lastSeen;
}

export class AddressOwners {
  readonly #owners = new Map<number, OwnerEntry>();
  /** Told of each device marked a spoofer (whose entries may have been dropped). */
  readonly #onMark: (dev: Device) => void;
  /** Addresses forgotten because the index was full. */
  evicted = 0;

  constructor(onMark: (dev: Device) => void = () => {}) {
    this.#onMark = onMark;
  }

  /**
   * `dev` sent from `ip` (`viaArp`: announced it in ARP) at `ts`: its entry when it owns the
   * address (now), else null. `prev` is the entry of the address it owned so far, released when
   * it now owns another.
   */
  use(
    dev: Device,
    ip: number,
    ts: number,
    prev: OwnerEntry | null,
    viaArp = false,
  ): OwnerEntry | null {
    const owners = this.#owners;
    let e = owners.get(ip);
    if (e === undefined) {
      // A marked spoofer announcing an address nobody holds (its victim's) does not get it.
      if (viaArp && this.isSpoofer(dev, ts)) return null;
      if (owners.size >= MAX_ADDRESSES) {
        owners.delete(owners.keys().next().value as number);
        this.evicted++;
      }
      e = { dev, releasedTs: -1, prevDev: null, changedTs: ts, byArp: viaArp };
      owners.set(ip, e);
    } else if (e.dev !== dev) {
      if (!this.#takes(dev, e, ts)) return null;
      this.#change(e, ip, dev, ts);
      e.byArp = viaArp;
    } else if (!viaArp) {
      e.byArp = false;
    }
    e.releasedTs = -1;
    if (prev !== null && prev !== e && prev.dev === dev) prev.releasedTs = ts;
    return e;
  }

  /** `dev` held or claimed the gateway's address within SPOOFER_S of `ts`. */
  isSpoofer(dev: Device, ts: number): boolean {
    return ts <= dev.spooferUntil;
  }

  /**
   * `dev` held or claimed the gateway's address at `ts`: marked a spoofer for SPOOFER_S (the
   * registry then adds no address to it). Its device record drops the addresses it only sent or
   * answered ARP under: those other devices own, and those it took by ARP alone (its victims',
   * announced before it was marked), which become nobody's until their owner uses them.
   */
  markSpoofer(dev: Device, ts: number): void {
    if (dev.isGateway) return;
    dev.spooferUntil = ts + SPOOFER_S;
    for (const ip of [...dev.ip4s()]) {
      const e = this.#owners.get(ip);
      if (e === undefined) continue;
      if (e.dev !== dev) {
        dev.removeIp4(ip);
      } else if (e.byArp) {
        dev.removeIp4(ip);
        this.#owners.delete(ip);
      }
    }
    this.#onMark(dev);
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
    // An address taken back from a spoofer leaves its device record.
    if (this.isSpoofer(e.dev, ts)) e.dev.removeIp4(ip);
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
  readonly owners: AddressOwners;

  /** `activityOf`: each device's activity, whose owned address is forgotten when it is marked. */
  constructor(activityOf: (d: Device) => DeviceActivity | undefined) {
    // A device marked a spoofer may have lost its entries: its next packet looks its address up.
    this.owners = new AddressOwners((d) => {
      const a = activityOf(d);
      if (a === undefined) return;
      a.ownIp4 = -1;
      a.ownEntry = null;
    });
  }

  /** Device `d` (activity `a`) sent IPv4 from `ip`, which it was not known to own. */
  use(d: Device, a: DeviceActivity, ip: number, now: number): void {
    if (!this.#own(d, a, ip, now, false)) return;
    // The registry adds no address to a marked spoofer: one it owns and sends from is its own.
    if (this.owners.isSpoofer(d, now) && !d.hasIp4(ip)) d.addIp4(ip);
  }

  /** `d` owns `ip` now (sent from it, or announced it by ARP): true when it does. */
  #own(d: Device, a: DeviceActivity, ip: number, now: number, viaArp: boolean): boolean {
    const e = this.owners.use(d, ip, now, a.ownEntry, viaArp);
    if (e === null) return false;
    // Taken by ARP alone: its next IP packet from the address comes here (and clears byArp).
    a.ownIp4 = e.byArp ? -1 : ip;
    a.ownEntry = e;
    return true;
  }

  /** An ARP message from device `d`: a claim on another device's address, or a use of its own. */
  arp(p: DecodedPacket, d: Device, a: DeviceActivity, now: number): void {
    const ip = p.arpSenderIp;
    if (ip === 0) return;
    const owner = this.owners.claim(d, ip, now);
    if (owner === null) {
      if (ip !== a.ownIp4 || a.ownEntry === null || a.ownEntry.dev !== d)
        this.#own(d, a, ip, now, true);
      return;
    }
    if (owner.dev.isGateway) this.owners.markSpoofer(d, now);
    a.counters.arpClaims++;
    a.notes.arpClaim(now, ipv4ToString(ip), owner.dev.macStr, owner.dev.isGateway);
  }
}

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
 * address is never a claim.
 *
 * Per packet the caller checks its cached ownership (DeviceActivity.ownIp4/ownEntry): one
 * compare for a device sending from the address it owns; this index is consulted only when
 * that changes, and on ARP.
 * @module
 */
import type { Device } from '../devices/device.js';

/** An owner that used its address this recently still owns it. */
export const OWNER_RECENT_S = 300;
/** Addresses indexed; the one whose owner was heard from longest ago is forgotten beyond it. */
export const MAX_ADDRESSES = 65536;

export interface OwnerEntry {
  dev: Device;
  /** Packet time the owner last used the address. */
  lastTs: number;
}

export class AddressOwners {
  readonly #owners = new Map<number, OwnerEntry>();
  /** Addresses forgotten because the index was full. */
  evicted = 0;

  /** `dev` sent from `ip` at `ts`: its entry when it owns the address (now), else null. */
  use(dev: Device, ip: number, ts: number): OwnerEntry | null {
    const owners = this.#owners;
    let e = owners.get(ip);
    if (e === undefined) {
      if (owners.size >= MAX_ADDRESSES) {
        owners.delete(owners.keys().next().value as number);
        this.evicted++;
      }
      e = { dev, lastTs: ts };
      owners.set(ip, e);
      return e;
    }
    if (e.dev !== dev) {
      if (ts - e.lastTs <= OWNER_RECENT_S || e.dev.isGateway) return null;
      e.dev = dev;
      // Keep Map order roughly by change of owner, so eviction drops long-settled entries last.
      owners.delete(ip);
      owners.set(ip, e);
    }
    if (ts > e.lastTs) e.lastTs = ts;
    return e;
  }

  /**
   * The entry of the other device `ip` belongs to, when `dev` announcing it by ARP at `ts` is
   * a claim on it; null otherwise (its own address, nobody's, or an owner long silent).
   */
  claim(dev: Device, ip: number, ts: number): OwnerEntry | null {
    const e = this.#owners.get(ip);
    if (e === undefined || e.dev === dev) return null;
    if (e.dev.isGateway || ts - e.lastTs <= OWNER_RECENT_S) return e;
    return null;
  }
}

/**
 * One device: a MAC on the local segment that sent IP (or ARP) from a local address.
 * @module
 */
import {
  isLocallyAdministeredMac,
  ipv4ToString,
  ipv6ToString,
  macToString,
} from '../decode/addr.js';
import { DeviceHistory, type HistoryLimits, DEFAULT_HISTORY_LIMITS } from './history.js';

/** Where a device's name came from, strongest first: DHCP option 12, mDNS, SSDP SERVER. */
export type NameSource = 'dhcp' | 'mdns' | 'ssdp' | '';

/**
 * Name strength. A name replaces the current one when its rank is at least as high (the same
 * source updates, a stronger one replaces a weaker one, a weaker one never replaces).
 */
export const enum NameRank {
  None = 0,
  /** SSDP NOTIFY / search response SERVER header. */
  Ssdp = 1,
  /** mDNS service instance (PTR/SRV) or an address record for another address. */
  MdnsInstance = 2,
  /** mDNS A/AAAA owner name for the sender's own address. */
  MdnsHost = 3,
  /** DHCP option 12 in a client request. */
  Dhcp = 4,
}

export function nameSourceOf(rank: NameRank): NameSource {
  if (rank === NameRank.Dhcp) return 'dhcp';
  if (rank === NameRank.MdnsHost || rank === NameRank.MdnsInstance) return 'mdns';
  if (rank === NameRank.Ssdp) return 'ssdp';
  return '';
}

export function rankOf(source: NameSource): NameRank {
  if (source === 'dhcp') return NameRank.Dhcp;
  if (source === 'mdns') return NameRank.MdnsHost;
  if (source === 'ssdp') return NameRank.Ssdp;
  return NameRank.None;
}

export interface DeviceInit {
  id: number;
  mac: number;
  vendor: string;
  firstSeen: number;
  maxIps: number;
  history?: HistoryLimits;
}

/** Numeric fields start as numbers, so V8 stores them unboxed (no allocation on update). */
export class Device {
  /** Dense index in order of first sighting (0, 1, 2, …). */
  readonly id: number = 0;
  /** 48-bit MAC as a number. */
  readonly mac: number = 0;
  /** `aa:bb:cc:dd:ee:ff`, lower case. */
  readonly macStr: string;
  /** Organisation from the OUI registry; '' when unknown or randomised. */
  vendor: string;
  /** Locally administered MAC (randomised or virtual). */
  readonly randomMac: boolean;
  name = '';
  nameSource: NameSource = '';
  nameRank: NameRank = NameRank.None;
  /** DHCP option 60 from the device's own requests ('' when none seen). */
  dhcpVendorClass = '';
  /** Packet time of the first packet that made it a device. */
  firstSeen: number = 0;
  /** Packet time of the latest packet it sent (never moves backwards). */
  lastSeen: number = 0;
  isGateway = false;
  /**
   * Incremented whenever something a `device` record shows changes (ips, name, vendor,
   * isGateway), so the pipeline can emit an updated record.
   */
  version = 0;
  readonly history: DeviceHistory;
  /** Most recent IPv4 source (fast path: skip the list when unchanged); -1 when none. */
  lastIp4 = -1;
  /** Most recent IPv6 source as four words (valid when `hasLastIp6`). */
  lastIp6a = 0;
  lastIp6b = 0;
  lastIp6c = 0;
  lastIp6d = 0;
  hasLastIp6 = false;
  /** Set by the registry while the device waits in its changed list. */
  queued = false;
  /** Raw option 12 / 60 / SERVER text last looked at: repeats skip the sanitising. */
  rawDhcpHostname: string | undefined = undefined;
  rawDhcpVendorClass: string | undefined = undefined;
  rawSsdpServer: string | undefined = undefined;

  readonly #maxIps: number;
  /** Oldest first. */
  readonly #ip4: number[] = [];
  /** Four words per address, parallel to #ip6Text. */
  readonly #ip6: number[] = [];
  readonly #ip6Text: string[] = [];

  constructor(init: DeviceInit) {
    this.id = init.id;
    this.mac = init.mac;
    this.macStr = macToString(init.mac);
    this.vendor = init.vendor;
    this.randomMac = isLocallyAdministeredMac(init.mac);
    this.firstSeen = init.firstSeen;
    this.lastSeen = init.firstSeen;
    this.#maxIps = init.maxIps;
    this.history = new DeviceHistory(init.history ?? DEFAULT_HISTORY_LIMITS);
  }

  /** Records an IPv4 address it sent from; true when the list changed (version bumped). */
  addIp4(ip: number): boolean {
    this.lastIp4 = ip;
    const list = this.#ip4;
    if (list.includes(ip)) return false;
    if (list.length >= this.#maxIps) list.shift();
    list.push(ip);
    this.version++;
    return true;
  }

  /** Records an IPv6 address (four words, `text` its RFC 5952 form when already known). */
  addIp6(w: Uint32Array, text?: string): boolean {
    this.lastIp6a = w[0];
    this.lastIp6b = w[1];
    this.lastIp6c = w[2];
    this.lastIp6d = w[3];
    this.hasLastIp6 = true;
    const words = this.#ip6;
    for (let i = 0; i < words.length; i += 4) {
      if (
        words[i] === w[0] &&
        words[i + 1] === w[1] &&
        words[i + 2] === w[2] &&
        words[i + 3] === w[3]
      ) {
        return false;
      }
    }
    if (this.#ip6Text.length >= this.#maxIps) {
      words.splice(0, 4);
      this.#ip6Text.shift();
    }
    words.push(w[0], w[1], w[2], w[3]);
    this.#ip6Text.push(text ?? ipv6ToString(w));
    this.version++;
    return true;
  }

  /** true when `ip` is one of its IPv4 addresses. */
  hasIp4(ip: number): boolean {
    return this.#ip4.includes(ip);
  }

  /** IPv4 addresses (numeric order) then IPv6 (text order): a deterministic list for records. */
  ipList(): string[] {
    const v4 = [...this.#ip4].sort((a, b) => a - b).map(ipv4ToString);
    const v6 = [...this.#ip6Text].sort();
    return [...v4, ...v6];
  }

  /** IPv4 addresses oldest first. */
  ip4s(): readonly number[] {
    return this.#ip4;
  }

  /** IPv6 addresses as text, oldest first. */
  ip6s(): readonly string[] {
    return this.#ip6Text;
  }

  /**
   * Offers a name of strength `rank`; it replaces the current one when `rank` is at least the
   * current rank and the text differs. `name` must already be sanitised. True when it changed.
   */
  offerName(name: string, rank: NameRank): boolean {
    if (name === '' || rank < this.nameRank) return false;
    const source = nameSourceOf(rank);
    if (name === this.name && source === this.nameSource) {
      this.nameRank = rank;
      return false;
    }
    this.name = name;
    this.nameSource = source;
    this.nameRank = rank;
    this.version++;
    return true;
  }

  /** Marks or unmarks it as the gateway; true when that changed. */
  setGateway(isGateway: boolean): boolean {
    if (this.isGateway === isGateway) return false;
    this.isGateway = isGateway;
    this.version++;
    return true;
  }

  /** Moves lastSeen forward (packet times may go backwards in glued captures). */
  seen(ts: number): void {
    if (ts > this.lastSeen) this.lastSeen = ts;
  }
}

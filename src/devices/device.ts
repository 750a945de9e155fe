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
import { KindEvidence, type KindFact } from './kind.js';
import { vendorFacts } from './kind-facts.js';
import type { DeviceKind } from './kinds.js';
import { NameCounts, type NameUse } from './name-counts.js';

/**
 * Where a device's name came from, strongest first: DHCP option 12, mDNS. `ssdp` is no longer
 * given (earlier versions named devices after the SSDP SERVER banner); it is kept to read their
 * state, where such names are dropped (`snapshot.ts`).
 */
export type NameSource = 'dhcp' | 'mdns' | 'ssdp' | '';

/**
 * Name strength. A name replaces the current one when its rank is at least as high (the same
 * source updates, a stronger one replaces a weaker one, a weaker one never replaces).
 */
export const enum NameRank {
  None = 0,
  /** Earlier versions' SSDP SERVER banner: never offered now, dropped from older state. */
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
  /** The name it is known by: its most used name from the strongest source (`name-counts.ts`). */
  name = '';
  nameSource: NameSource = '';
  nameRank: NameRank = NameRank.None;
  /** Every name it used, with counts (bounded): the preferred one and its aliases. */
  readonly names = new NameCounts();
  /** DHCP option 60 from the device's own requests ('' when none seen). */
  dhcpVendorClass = '';
  /** Packet time of the first packet that made it a device. */
  firstSeen: number = 0;
  /** Packet time of the latest packet it sent (never moves backwards). */
  lastSeen: number = 0;
  isGateway = false;
  /**
   * Packet time until which it is marked a man in the middle (features/arp-claims.ts: it held or
   * claimed the gateway's address); -Infinity when never. While marked, the addresses it sends
   * or answers ARP under are its victims' and the router's: none becomes its own.
   */
  spooferUntil = -Infinity;
  /**
   * Incremented whenever something a `device` record shows changes (ips, name, vendor,
   * isGateway, kind), so the pipeline can emit an updated record. Kind confidence and evidence
   * alone do not count: they ride along with the next record.
   */
  version = 0;
  readonly history: DeviceHistory;
  /** Most recent IPv4 source (fast path: skip the list when unchanged); -1 when none. */
  lastIp4 = -1;
  /**
   * A new IPv4 source not yet taken as its address (-1: none), and its packets in a row among
   * those from addresses not its own: the registry takes an address after a few in a row
   * (addresses.ts), so a flood's forged sources, one a packet, are not.
   */
  pendingIp4 = -1;
  pendingIp4Packets = 0;
  /** Most recent IPv6 source as four words (valid when `hasLastIp6`). */
  lastIp6a = 0;
  lastIp6b = 0;
  lastIp6c = 0;
  lastIp6d = 0;
  hasLastIp6 = false;
  /** Set by the registry while the device waits in its changed list. */
  queued = false;
  /** Raw option 12 / 60 text last looked at: repeats skip the sanitising. */
  rawDhcpHostname: string | undefined = undefined;
  rawDhcpVendorClass: string | undefined = undefined;
  /** The sanitised form of rawDhcpHostname ('' when none). */
  dhcpHostname = '';

  readonly #maxIps: number;
  readonly #kind = new KindEvidence();
  #preferred: NameUse | null = null;
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
    this.#kind.add(vendorFacts(init.vendor));
  }

  /** What it is (README, "Device kinds"); 'unknown' while the evidence is too weak. */
  get kind(): DeviceKind {
    return this.#kind.kind;
  }

  /** 0 … 1 for `kind`. */
  get kindConfidence(): number {
    return this.#kind.confidence;
  }

  /** The few facts that decided `kind`, strongest first. */
  get kindEvidence(): readonly string[] {
    return this.#kind.evidence;
  }

  /** The evidence held (for snapshots and tests). */
  get kindState(): KindEvidence {
    return this.#kind;
  }

  /** Adds kind evidence; true when the kind changed (version bumped). */
  addKindFacts(facts: readonly KindFact[]): boolean {
    if (facts.length === 0 || !this.#kind.add(facts)) return false;
    this.version++;
    return true;
  }

  /** Restores saved kind evidence (no version change). */
  loadKind(facts: readonly KindFact[], kind: DeviceKind): void {
    this.#kind.load(facts, kind, this.isGateway);
  }

  /** The names it used besides `name`, most used first. */
  aliases(): string[] {
    return this.names
      .all()
      .filter((u) => u !== this.#preferred && u.name !== this.name)
      .sort((a, b) => b.rank - a.rank || b.count - a.count)
      .map((u) => u.name)
      .filter((n, i, all) => all.indexOf(n) === i);
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

  /**
   * Forgets an IPv4 address it sent under for another device (a man in the middle's victims'
   * and the router's); true when it had it (version bumped).
   */
  removeIp4(ip: number): boolean {
    const list = this.#ip4;
    const i = list.indexOf(ip);
    if (i < 0) return false;
    list.splice(i, 1);
    if (this.lastIp4 === ip) this.lastIp4 = -1;
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
   * A sighting of a name of strength `rank` at packet time `ts` (`name` already sanitised). The
   * name shown changes only as `NameCounts.choose` says. True when it changed (version bumped).
   */
  offerName(name: string, rank: NameRank, ts: number = this.lastSeen): boolean {
    if (name === '' || rank === NameRank.None) return false;
    this.names.use(name, rank, ts);
    return this.#choose();
  }

  /** Re-applies the name choice (after offers or a restore); true when the name changed. */
  #choose(): boolean {
    const next = this.names.choose(this.#preferred);
    this.#preferred = next;
    if (next === null) return false;
    const source = nameSourceOf(next.rank);
    this.nameRank = next.rank;
    if (next.name === this.name && source === this.nameSource) return false;
    this.name = next.name;
    this.nameSource = source;
    this.version++;
    return true;
  }

  /** Restores saved names and the saved choice (no version change). */
  loadNames(uses: readonly NameUse[], name: string, source: NameSource): void {
    for (const u of uses) this.names.load(u);
    this.#preferred =
      this.names.all().find((u) => u.name === name && nameSourceOf(u.rank) === source) ?? null;
    if (this.#preferred === null && name !== '') {
      // An older snapshot without counts: the saved name is the first one used.
      this.names.load({ name, rank: rankOf(source), count: 1, lastTs: this.lastSeen });
      this.#preferred = this.names.all().at(-1) ?? null;
    }
    const v = this.version;
    this.#choose();
    this.version = v;
  }

  /** Marks or unmarks it as the gateway; true when that changed. */
  setGateway(isGateway: boolean): boolean {
    if (this.isGateway === isGateway) return false;
    this.isGateway = isGateway;
    this.#kind.setGateway(isGateway);
    this.version++;
    return true;
  }

  /** Moves lastSeen forward (packet times may go backwards in glued captures). */
  seen(ts: number): void {
    if (ts > this.lastSeen) this.lastSeen = ts;
  }
}

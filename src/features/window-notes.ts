/**
 * One device's evidence for the current window (features/evidence.ts), gathered per flow and per
 * app record and cleared with the window's counters. Every list is bounded; what does not fit is
 * counted in `dropped`.
 * @module
 */
import { ipv4ToString } from '../decode/addr.js';
import type { BeaconReport } from './beacon.js';
import type {
  ArpClaimEvidence,
  BeaconEvidence,
  CommandEvidence,
  DnsDomainEvidence,
  DownloadEvidence,
  HttpAuthEvidence,
  InboundEvidence,
  PortMappingEvidence,
  StratumEvidence,
  WindowEvidence,
} from './evidence.js';
import { MAX_FORGED_SOURCES, MAX_ITEMS, MAX_PEERS } from './evidence.js';
import type { NameShape } from './dns-shape.js';
import { PeerBook } from './peers.js';

/** Domains tallied per window before new ones are refused (MAX_ITEMS are reported). */
export const MAX_TRACKED_DOMAINS = 4 * MAX_ITEMS;
/** Longest example name kept. */
const MAX_EXAMPLE = 255;

/** Appends `item` when the list has room; otherwise counts it as dropped. */
function bounded<T>(list: T[], item: T, notes: WindowNotes): boolean {
  if (list.length >= MAX_ITEMS) {
    notes.dropped++;
    return false;
  }
  list.push(item);
  return true;
}

export class WindowNotes {
  readonly peers = new PeerBook();
  readonly nxNames: string[] = [];
  readonly inbound: InboundEvidence[] = [];
  readonly downloads: DownloadEvidence[] = [];
  readonly commands: CommandEvidence[] = [];
  readonly portMappings: PortMappingEvidence[] = [];
  readonly #domains = new Map<string, DnsDomainEvidence>();
  readonly #nx = new Set<string>();
  readonly #stratum = new Map<string, StratumEvidence>();
  readonly #arp = new Map<string, ArpClaimEvidence>();
  readonly #httpAuth = new Map<string, HttpAuthEvidence>();
  /** Forged IPv4 sources (int32) of the window, at most MAX_FORGED_SOURCES, and their packets. */
  readonly #forged = new Set<number>();
  #forgedPackets = 0;
  dropped = 0;

  reset(): void {
    this.peers.clear();
    this.nxNames.length = 0;
    this.inbound.length = 0;
    this.downloads.length = 0;
    this.commands.length = 0;
    this.portMappings.length = 0;
    this.#domains.clear();
    this.#nx.clear();
    this.#stratum.clear();
    this.#arp.clear();
    this.#httpAuth.clear();
    this.#forged.clear();
    this.#forgedPackets = 0;
    this.dropped = 0;
  }

  /** A packet sent from `ip` (int32), a source address not the device's. */
  forged(ip: number): void {
    this.#forgedPackets++;
    if (this.#forged.size < MAX_FORGED_SOURCES) this.#forged.add(ip);
  }

  /** One question of a DNS query; `isNewName`: first time in the window; `shape` when new. */
  dnsQuery(name: string, qtype: number, shape: NameShape): void {
    let d = this.#domains.get(shape.domain);
    if (d === undefined) {
      if (this.#domains.size >= MAX_TRACKED_DOMAINS) {
        this.dropped++;
        return;
      }
      d = {
        domain: shape.domain,
        queries: 0,
        names: 0,
        nxdomain: 0,
        txtNull: 0,
        longestLabel: 0,
        maxEntropy: 0,
        example: '',
      };
      this.#domains.set(shape.domain, d);
    }
    d.queries++;
    if (qtype === 16 || qtype === 10) d.txtNull++;
    if (shape.longestLabel > d.longestLabel) d.longestLabel = shape.longestLabel;
    if (shape.entropy > d.maxEntropy) d.maxEntropy = shape.entropy;
    if (name.length > d.example.length && d.example.length < MAX_EXAMPLE) {
      d.example = name.length > MAX_EXAMPLE ? name.slice(0, MAX_EXAMPLE) : name;
    }
  }

  /** A name queried for the first time in the window, under `domain`. */
  dnsNewName(domain: string): void {
    const d = this.#domains.get(domain);
    if (d !== undefined) d.names++;
  }

  /** An NXDOMAIN answer for `name` (under `domain`). */
  nxdomain(name: string, domain: string): void {
    const d = this.#domains.get(domain);
    if (d !== undefined) d.nxdomain++;
    if (this.#nx.has(name)) return;
    this.#nx.add(name);
    bounded(this.nxNames, name, this);
  }

  inboundConnection(e: InboundEvidence): boolean {
    return bounded(this.inbound, e, this);
  }

  download(e: DownloadEvidence): void {
    bounded(this.downloads, e, this);
  }

  command(e: CommandEvidence): boolean {
    return bounded(this.commands, e, this);
  }

  /**
   * A port-mapping request. NAT-PMP/PCP requests identical to one already listed (retransmits,
   * renewals) count on it; a UPnP request is always its own entry (its arguments may still be
   * filling in from later segments). Returns the entry, or null when the list is full.
   */
  portMapping(e: PortMappingEvidence): PortMappingEvidence | null {
    if (e.via !== 'upnp') {
      for (const m of this.portMappings) {
        if (
          m.via === e.via &&
          m.protocol === e.protocol &&
          m.externalPort === e.externalPort &&
          m.internalPort === e.internalPort &&
          m.internalClient === e.internalClient &&
          m.router === e.router &&
          m.lifetimeS === e.lifetimeS
        ) {
          m.count++;
          return m;
        }
      }
    }
    return bounded(this.portMappings, e, this) ? e : null;
  }

  /** A stratum request: one entry per (endpoint, method), counting its messages. */
  stratum(ts: number, ip: string, port: number, name: string, method: string, n: number): void {
    const key = `${ip}/${port}/${method}`;
    const e = this.#stratum.get(key);
    if (e !== undefined) {
      e.count += n;
      return;
    }
    if (this.#stratum.size >= MAX_ITEMS) {
      this.dropped++;
      return;
    }
    this.#stratum.set(key, { ts, ip, port, name, method, count: n });
  }

  /** An ARP claim on `ip`: one entry per (address, owner), counting the messages. */
  arpClaim(ts: number, ip: string, ownerMac: string, ownerIsGateway: boolean): void {
    const key = `${ip}/${ownerMac}`;
    const e = this.#arp.get(key);
    if (e !== undefined) {
      e.count++;
      return;
    }
    if (this.#arp.size >= MAX_ITEMS) {
      this.dropped++;
      return;
    }
    this.#arp.set(key, { ts, ip, ownerMac, ownerIsGateway, count: 1 });
  }

  /** The tally of HTTP requests and auth failures towards one server (null when full). */
  httpServer(ip: string, port: number, host: string): HttpAuthEvidence | null {
    const key = `${ip}/${port}`;
    let e = this.#httpAuth.get(key);
    if (e === undefined) {
      if (this.#httpAuth.size >= MAX_TRACKED_DOMAINS) {
        this.dropped++;
        return null;
      }
      e = { ip, port, host, requests: 0, failures: 0 };
      this.#httpAuth.set(key, e);
    }
    if (e.host === '' && host !== '') e.host = host;
    return e;
  }

  /** Beacon evidence of a window's reports, most regular first, with the names the device knew. */
  beacons(
    reports: BeaconReport[],
    dnsAnswers: ReadonlyMap<number | string, string>,
  ): BeaconEvidence[] {
    if (reports.length === 0) return [];
    return reports
      .sort((x, y) => y.score - x.score || y.contacts - x.contacts)
      .map((r): BeaconEvidence => {
        const ip = typeof r.endpoint === 'number' ? ipv4ToString(r.endpoint) : r.endpoint;
        const answered = dnsAnswers.get(r.endpoint);
        return {
          ip,
          port: r.port,
          name: answered ?? this.peers.nameOf(r.endpoint),
          dnsAnswered: answered !== undefined,
          score: r.score,
          sizeScore: r.sizeScore,
          periodS: r.periodS,
          jitterS: r.jitterS,
          contacts: r.contacts,
          firstContact: r.firstContact,
          lastContact: r.lastContact,
          bytesPerContact: r.bytesPerContact,
        };
      });
  }

  /** The window's evidence. `dnsNames`: the window's distinct names in query order. */
  build(dnsNames: ReadonlySet<string>, beacons: BeaconEvidence[]): WindowEvidence {
    const { peers, dropped: peersDropped } = this.peers.evidence();
    let dropped = this.dropped + peersDropped;
    const names: string[] = [];
    for (const n of dnsNames) {
      if (names.length >= MAX_PEERS) {
        dropped += dnsNames.size - names.length;
        break;
      }
      names.push(n);
    }
    const domains = [...this.#domains.values()].sort(
      (a, b) => b.queries - a.queries || b.names - a.names,
    );
    if (domains.length > MAX_ITEMS) dropped += domains.length - MAX_ITEMS;
    const auth = [...this.#httpAuth.values()].filter((e) => e.failures > 0);
    if (auth.length > MAX_ITEMS) dropped += auth.length - MAX_ITEMS;
    if (beacons.length > MAX_ITEMS) dropped += beacons.length - MAX_ITEMS;
    return {
      peers,
      dnsNames: names,
      dns: domains.slice(0, MAX_ITEMS),
      nxNames: this.nxNames.slice(),
      // Copies: a flow may still mark its inbound connection accepted, or a SOAP body fill in a
      // mapping's arguments, after the window is handed out.
      inbound: this.inbound.map((e) => ({ ...e })),
      beacons: beacons.slice(0, MAX_ITEMS),
      upload: this.peers.upload(),
      downloads: this.downloads.slice(),
      // Copies: a later line of the session may still mark a command's run step.
      commands: this.commands.map((e) => ({ ...e })),
      portMappings: this.portMappings.map((e) => ({ ...e })),
      stratum: [...this.#stratum.values()],
      arpClaims: [...this.#arp.values()],
      httpAuth: auth.slice(0, MAX_ITEMS),
      forgedPackets: this.#forgedPackets,
      forgedSources: this.#forged.size,
      dropped,
    };
  }
}

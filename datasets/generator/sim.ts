/**
 * The simulated home: gateway, devices, internet hosts, and the event queue that orders
 * every packet in time. Tasks (flows, short protocol exchanges, periodic device
 * activities) sit in a binary heap keyed on their next packet time.
 * @module
 */
import { Frames, type Conn } from './frames.js';
import type { LabelEvent } from './labels.js';
import type { PcapWriter } from './pcap-writer.js';
import { Rng } from './prng.js';
import { TaskHeap } from './task-heap.js';
import { GATEWAYS } from './hosts.js';
import { HOME_MIX, PROFILES, type ActivitySpec, type DeviceKind, type Vendor } from './profiles.js';

export interface Task {
  /** Packet time (µs since the start of the capture) of this task's next step. */
  at: number;
  /** Emit at most one frame (or schedule others); false when the task is finished. */
  step(sim: Sim): boolean;
  /** The injected behaviour this task's frames belong to (scenarios), if any. */
  label?: LabelEvent | null;
}

export interface Device {
  index: number;
  kind: DeviceKind;
  vendor: Vendor;
  mac: number;
  ip4: number;
  /** Global and link-local IPv6 addresses, for devices with an IPv6 share. */
  ip6: Uint8Array | null;
  ll6: Uint8Array | null;
  hostname: string;
  /** A second DHCP host name some renewals use (scenario trap), or null. */
  altHostname: string | null;
  uuid: string;
  ready: boolean;
  nextPort: number;
  /** DHCP renewals sent so far. */
  renewals: number;
  /** Values drawn once for this device and kept (its own keep-alive period, say), by name. */
  own: Map<string, number> | null;
}

export interface Host {
  name: string;
  ip4: number;
  ip6: Uint8Array;
  /** TTL of its packets as they reach the LAN. */
  ttl: number;
}

export interface SimOptions {
  devices: number;
  concurrentFlows: number;
  seed: number;
  startUs: number;
  /** Device kinds in order (past its end, drawn from it); default the bench's HOME_MIX. */
  mix?: readonly DeviceKind[];
  /** What each kind does; default each profile's `activities` (the bench's home). */
  activities?: Readonly<Record<DeviceKind, readonly ActivitySpec[]>>;
}

/** First octets of plausible public unicast IPv4 space (no private/reserved/multicast). */
const PUBLIC_FIRST_OCTETS = [
  13, 18, 23, 31, 34, 35, 37, 44, 46, 52, 54, 62, 64, 66, 74, 77, 78, 81, 82, 85, 87, 91, 93, 95,
  104, 107, 108, 130, 142, 143, 146, 151, 152, 157, 162, 176, 178, 185, 188, 193, 195, 199, 208,
  209, 212, 213, 216, 217,
];
/** LAN IPv6 prefix 2001:db8:4a1:100::/64 (documentation range, RFC 3849). */
const LAN6_PREFIX = [0x20, 0x01, 0x0d, 0xb8, 0x04, 0xa1, 0x01, 0x00];
/**
 * Ephemeral ports that Wireshark 4.0 hands to a dissector by number (`tshark -G decodes`).
 * Real stacks do use them; skipping them keeps tshark from reading filler as, say, EOBI.
 */
const DISSECTED_PORTS = new Set([
  49999, 54328, 56000, 56001, 56500, 56501, 57000, 57001, 57032, 57033, 57500, 57501, 57532, 57533,
  59000, 59001, 59032, 59033, 59500, 59501, 59532, 59533, 60001,
]);
export const GATEWAY_IP = 0xc0a80101; // 192.168.1.1

const BENCH_ACTIVITIES = Object.fromEntries(
  Object.values(PROFILES).map((p) => [p.kind, p.activities]),
) as Record<DeviceKind, readonly ActivitySpec[]>;

export class Sim {
  readonly rng: Rng;
  readonly f: Frames;
  readonly buf: Buffer;
  readonly startUs: number;
  readonly gatewayMac: number;
  readonly gatewayVendor: string;
  readonly gatewayLl6: Uint8Array;
  readonly devices: Device[] = [];
  readonly lanMask: number;
  readonly concurrentFlows: number;
  readonly activities: Readonly<Record<DeviceKind, readonly ActivitySpec[]>>;
  /** Packet time of the step being run, µs since the capture start. */
  now = 0;
  /** Flows kept open for --concurrent-flows; replaced as they close. */
  keptOpen = 0;
  #heap = new TaskHeap();
  #hosts = new Map<string, Host>();
  #usedMacs = new Set<number>();
  #usedNames = new Set<string>();

  constructor(w: PcapWriter, o: SimOptions) {
    this.rng = new Rng(o.seed);
    this.f = new Frames(w);
    this.buf = w.buf;
    this.startUs = o.startUs;
    this.concurrentFlows = o.concurrentFlows;
    this.activities = o.activities ?? BENCH_ACTIVITIES;
    const [vendor, oui] = this.rng.pick(GATEWAYS);
    this.gatewayVendor = vendor;
    this.gatewayMac = this.#newMac(oui);
    this.gatewayLl6 = this.#ipv6(null, this.gatewayMac);
    this.lanMask = o.devices > 250 ? 0xffff0000 : 0xffffff00;
    const mix = o.mix ?? HOME_MIX;
    for (let i = 0; i < o.devices; i++) this.devices.push(this.#newDevice(i, mix));
  }

  /** Wall-clock (epoch) µs of a packet time. */
  epochUs(t: number): number {
    return this.startUs + t;
  }

  schedule(t: Task): void {
    if (t.at < this.now) t.at = this.now;
    this.#heap.push(t);
  }

  /** Run tasks in time order until `packets` frames have been written. */
  run(packets: number): void {
    const heap = this.#heap;
    const items = heap.items;
    while (this.f.packets < packets && items.length > 0) {
      const t = items[0];
      this.now = t.at;
      if (t.step(this)) heap.siftTop();
      else heap.pop();
    }
  }

  /**
   * Run tasks in time order up to packet time `endUs` (or `packets` frames), marking the
   * label of every labelled task that writes a frame.
   */
  runUntil(endUs: number, packets: number): void {
    const heap = this.#heap;
    const items = heap.items;
    const f = this.f;
    while (f.packets < packets && items.length > 0 && items[0].at <= endUs) {
      const t = items[0];
      this.now = t.at;
      const before = f.packets;
      const more = t.step(this);
      if (t.label && f.packets !== before) t.label.mark(f.lastTsUs);
      if (more) heap.siftTop();
      else heap.pop();
    }
  }

  /** The internet host behind a name, created (address and TTL drawn) on first use. */
  host(name: string): Host {
    let h = this.#hosts.get(name);
    if (h === undefined) {
      h = this.#drawHost(name);
      this.#hosts.set(name, h);
    }
    return h;
  }

  /**
   * An internet host with a freshly drawn address that is not remembered under its name:
   * pool names that resolve somewhere new each time, and bare addresses.
   */
  freshHost(name: string): Host {
    return this.#drawHost(name);
  }

  /** True when an address was handed out to a named host of this run. */
  knownAddress(ip4: number): boolean {
    for (const h of this.#hosts.values()) if (h.ip4 === ip4) return true;
    return false;
  }

  /** A fresh ephemeral port of a device (RFC 6335 dynamic range). */
  port(d: Device): number {
    let p = d.nextPort;
    while (DISSECTED_PORTS.has(p)) p = p >= 65535 ? 49152 : p + 1;
    d.nextPort = p >= 65535 ? 49152 : p + 1;
    return p;
  }

  /** Conn from a device to an internet host through the gateway. */
  connToHost(d: Device, h: Host, port: number, v6: boolean): Conn {
    return {
      v6: v6 && d.ip6 !== null,
      macA: d.mac,
      macB: this.gatewayMac,
      ip4A: d.ip4,
      ip4B: h.ip4,
      ip6A: d.ip6,
      ip6B: h.ip6,
      portA: this.port(d),
      portB: port,
      ttlA: 64,
      ttlB: h.ttl,
    };
  }

  /**
   * Conn from internet address `ip` (through the gateway) to LAN device `d`'s `port`, IPv4: an
   * ephemeral source port and a TTL a few hops down from a common initial one.
   */
  connFromInternet(d: Device, ip: number, port: number): Conn {
    const r = this.rng;
    return {
      v6: false,
      macA: this.gatewayMac,
      macB: d.mac,
      ip4A: ip,
      ip4B: d.ip4,
      ip6A: null,
      ip6B: null,
      portA: r.int(32768, 60999),
      portB: port,
      ttlA: r.pick([64, 128, 255]) - r.int(6, 24),
      ttlB: 64,
    };
  }

  /**
   * Conn from global IPv6 address `ip6` (through the router, which has no NAT to undo for
   * IPv6: only its firewall let it through) to LAN device `d`'s global address and `port`.
   * `d` must have IPv6. Source port and hop limit drawn as for `connFromInternet`.
   */
  connFromInternet6(d: Device, ip6: Uint8Array, port: number): Conn {
    if (d.ip6 === null) throw new Error(`connFromInternet6: ${d.hostname} has no IPv6`);
    const r = this.rng;
    return {
      v6: true,
      macA: this.gatewayMac,
      macB: d.mac,
      ip4A: 0,
      ip4B: d.ip4,
      ip6A: ip6,
      ip6B: d.ip6,
      portA: r.int(32768, 60999),
      portB: port,
      ttlA: r.pick([64, 128, 255]) - r.int(6, 24),
      ttlB: 64,
    };
  }

  /** Conn between two LAN devices (IPv4). */
  connLan(a: Device, b: Device, port: number): Conn {
    return {
      v6: false,
      macA: a.mac,
      macB: b.mac,
      ip4A: a.ip4,
      ip4B: b.ip4,
      ip6A: null,
      ip6B: null,
      portA: this.port(a),
      portB: port,
      ttlA: 64,
      ttlB: 64,
    };
  }

  /** Conn from a device to the gateway (DNS, DHCP unicast). */
  connGateway(d: Device, port: number): Conn {
    return {
      v6: false,
      macA: d.mac,
      macB: this.gatewayMac,
      ip4A: d.ip4,
      ip4B: GATEWAY_IP,
      ip6A: null,
      ip6B: null,
      portA: this.port(d),
      portB: port,
      ttlA: 64,
      ttlB: 64,
    };
  }

  /** A ready device of one of the given kinds other than `not`, or null. */
  findDevice(kinds: readonly DeviceKind[], not: Device): Device | null {
    const n = this.devices.length;
    const start = this.rng.int(0, n - 1);
    for (let i = 0; i < n; i++) {
      const d = this.devices[(start + i) % n];
      if (d !== not && d.ready && kinds.includes(d.kind)) return d;
    }
    return null;
  }

  #drawHost(name: string): Host {
    const r = this.rng;
    const ip4 =
      ((r.pick(PUBLIC_FIRST_OCTETS) << 24) |
        (r.int(0, 255) << 16) |
        (r.int(0, 255) << 8) |
        r.int(1, 254)) >>>
      0;
    const ip6 = new Uint8Array(16);
    ip6.set([0x20, 0x01, 0x0d, 0xb8, 0xf0 | r.int(0, 15), r.int(0, 255)]);
    for (let i = 6; i < 16; i++) ip6[i] = r.int(0, 255);
    return { name, ip4, ip6, ttl: r.pick([64, 128, 255]) - r.int(6, 20) };
  }

  #newMac(oui: number): number {
    for (;;) {
      const mac = oui * 0x1000000 + (this.rng.u32() & 0xffffff);
      if (!this.#usedMacs.has(mac)) {
        this.#usedMacs.add(mac);
        return mac;
      }
    }
  }

  /** Global (prefix given) or link-local address with an interface id drawn at random. */
  #ipv6(prefix: readonly number[] | null, mac: number): Uint8Array {
    const a = new Uint8Array(16);
    if (prefix === null) a.set([0xfe, 0x80]);
    else a.set(prefix);
    const low = mac % 0x100000000;
    a[8] = (this.rng.u32() & 0xfc) | 0x02;
    a[9] = this.rng.u32() & 0xff;
    a[10] = this.rng.u32() & 0xff;
    a[11] = this.rng.u32() & 0xff;
    a[12] = (low >>> 24) & 0xff;
    a[13] = (low >>> 16) & 0xff;
    a[14] = (low >>> 8) & 0xff;
    a[15] = low & 0xff;
    return a;
  }

  #uniqueName(name: string): string {
    let n = name;
    for (let k = 2; this.#usedNames.has(n); k++) n = `${name}-${k}`;
    this.#usedNames.add(n);
    return n;
  }

  /** Add a device after the start (one that joins late); it boots when the caller says. */
  addDevice(kind: DeviceKind): Device {
    const d = this.#newDevice(this.devices.length, [kind]);
    this.devices.push(d);
    return d;
  }

  #newDevice(i: number, mix: readonly DeviceKind[]): Device {
    const r = this.rng;
    const kind = i < mix.length ? mix[i] : r.pick(mix);
    const profile = PROFILES[kind];
    const vendor = r.pick(profile.vendors);
    const mac = this.#newMac(r.pick(vendor.ouis));
    const hex = (mac % 0x1000000).toString(16).padStart(6, '0').toUpperCase();
    // Hosts .2 upward; past .254 the home uses 192.168.0.0/16 (the gateway's mask says so).
    const hostNo = i + 2;
    const ip4 =
      this.lanMask === 0xffffff00
        ? (GATEWAY_IP & 0xffffff00) + hostNo
        : 0xc0a80000 + ((1 + Math.floor(hostNo / 254)) << 8) + (hostNo % 254) + 1;
    const v6 = profile.ipv6Share > 0;
    const hostname = vendor.hostname
      .replace('#', hex)
      .replace('@', mac.toString(16).padStart(12, '0').toUpperCase());
    const uuidHex = mac.toString(16).padStart(12, '0');
    return {
      index: i,
      kind,
      vendor,
      mac,
      ip4,
      ip6: v6 ? this.#ipv6(LAN6_PREFIX, mac) : null,
      ll6: v6 ? this.#ipv6(null, mac) : null,
      hostname: this.#uniqueName(hostname),
      altHostname: null,
      uuid: `${r.u32().toString(16).padStart(8, '0')}-da50-11e1-9b23-${uuidHex}`,
      ready: false,
      nextPort: r.int(49152, 60000),
      renewals: 0,
      own: null,
    };
  }
}

/**
 * DeviceWindows: per-device counters over windows of `windowS` seconds of packet time, aligned
 * to multiples of `windowS` since the epoch (so a live capture and a replay of the same traffic
 * cut the same windows). When packet time crosses a boundary, every device active in the
 * closing window gets one `window` record, in device order.
 * @module
 */
import { ipv4ToString, ipv6ToString, parseIpv4 } from '../decode/addr.js';
import { sniffBody } from '../decode/app/body.js';
import { type DecodedPacket, DecodeStatus, L3, TcpFlag } from '../decode/packet.js';
import type { Device } from '../devices/device.js';
import type { DeviceRegistry } from '../devices/registry.js';
import { isBroadcast4, isMulticast4, isMulticast6 } from '../devices/lan.js';
import { type Flow, Outcome } from '../flows/flow.js';
import type { WindowRecord } from '../sinks/records.js';
import { DeviceActivity } from './accumulator.js';
import { emptyEvidence, type WindowEvidence } from './evidence.js';
import { computeFeatures } from './schema.js';

/** Flow.marks bits used by this stage. */
const MARK_INBOUND = 1;
const MARK_ACCEPTED = 2;
const MARK_ENDPOINT = 4;
const MARK_TLS = 8;
/** The flow's failed connection attempt has been counted. */
const MARK_FAILED = 16;

export interface WindowOptions {
  windowS: number;
}

/** One device's closed window: its record and the evidence behind it (features/evidence.ts). */
export interface ClosedWindow {
  device: Device;
  record: WindowRecord;
  evidence: WindowEvidence;
}

/** Receives the closed windows of each window, devices in id order. */
export type WindowListener = (closed: ClosedWindow[], start: number, end: number) => void;

/** Multicast or limited broadcast: traffic that stays on the LAN. */
function isGroup4(ip: number): boolean {
  return isMulticast4(ip) || isBroadcast4(ip);
}

export class DeviceWindows {
  readonly #windowS: number;
  readonly #listener: WindowListener;
  readonly #activity: (DeviceActivity | undefined)[] = [];
  /** Devices active in the current window, in first-activity order. */
  #active: Device[] = [];
  /** Index of the current window (floor(ts / windowS)); -1 before the first packet. */
  #window = -1;

  constructor(opts: WindowOptions, listener: WindowListener) {
    this.#windowS = opts.windowS;
    this.#listener = listener;
  }

  get currentWindow(): number {
    return this.#window;
  }

  /** Moves the window clock to packet time `now`, closing the current window if it ended. */
  tick(now: number): void {
    const w = Math.floor(now / this.#windowS);
    if (w === this.#window) return;
    if (this.#window >= 0 && w > this.#window) this.#close();
    if (w > this.#window) this.#window = w;
  }

  /** Counts one decoded packet (after the registry and the flow table have seen it). */
  packet(
    buf: Buffer,
    p: DecodedPacket,
    reg: DeviceRegistry,
    flow: Flow | null,
    forward: boolean,
    created: boolean,
    now: number,
  ): void {
    const src = reg.src;
    const dst = reg.dst;
    if (src === null && dst === null) return;
    const len = p.wireLen;
    const v4 = p.l3 === L3.IPv4;
    if (src !== null) {
      const a = this.#touch(src);
      this.#second(a, now);
      const c = a.counters;
      c.packetsUp++;
      c.bytesUp += len;
      c.sumSqUp += len * len;
      const toLan =
        reg.dstLocal ||
        (v4 ? isGroup4(p.dst4) : p.l3 === L3.IPv6 && isMulticast6(p.dst6)) ||
        p.l3 === L3.ARP;
      if (toLan) c.lanBytes += len;
      else if (p.payloadLen > 0 && p.status === DecodeStatus.Ok) a.upload(now, p.payloadLen);
    }
    if (dst !== null) {
      const a = this.#touch(dst);
      this.#second(a, now);
      const c = a.counters;
      c.packetsDown++;
      c.bytesDown += len;
      c.sumSqDown += len * len;
      if (reg.srcLocal) c.lanBytes += len;
    }
    if (flow !== null) this.#flow(p, flow, forward, created, now);
    if (p.app !== null) this.#app(p, src, dst, flow, now);
    else if (flow !== null && flow.expectBody && !forward && p.payloadCapLen > 0) {
      flow.expectBody = false;
      const kind = sniffBody(buf, p.payloadOffset, p.payloadCapLen);
      if (dst !== null && kind !== undefined && kind !== 'other' && kind !== 'archive') {
        this.#touch(dst).counters.executableDownloads++;
      }
    }
  }

  /**
   * A flow left the table: a connection attempt never answered fails now (its timeout is the
   * only way to know). A refused one was counted when the refusal came (#flow).
   */
  flowExpired(f: Flow): void {
    if (f.outcome === Outcome.Refused || f.outcome === Outcome.Unanswered) this.#failed(f);
  }

  /** Counts a failed TCP connection attempt by its initiator, once per flow. */
  #failed(f: Flow): void {
    if (f.proto !== 6 || f.initDev === null || f.marks & MARK_FAILED) return;
    if ((f.fwdFlags & TcpFlag.SYN) === 0) return;
    f.marks |= MARK_FAILED;
    this.#touch(f.initDev).counters.failedConnections++;
  }

  /** Closes the current window (end of input or shutdown). */
  finish(): void {
    if (this.#window >= 0) this.#close();
  }

  #touch(d: Device): DeviceActivity {
    let a = this.#activity[d.id];
    if (a === undefined) {
      a = new DeviceActivity();
      this.#activity[d.id] = a;
    }
    if (a.window !== this.#window) {
      a.window = this.#window;
      a.counters.reset();
      this.#active.push(d);
    }
    return a;
  }

  /**
   * Counts the whole second of `now` as one with traffic of the device: only for a frame it
   * sends or receives, not when something else touches its window (an unanswered connection
   * attempt that expires while other devices talk).
   */
  #second(a: DeviceActivity, now: number): void {
    const sec = Math.floor(now);
    if (sec !== a.counters.lastSecond) {
      a.counters.lastSecond = sec;
      a.counters.activeSeconds++;
    }
  }

  #flow(p: DecodedPacket, f: Flow, forward: boolean, created: boolean, now: number): void {
    const w = this.#window;
    // Each flow counts once per window towards each LAN end's distinct peers and ports.
    if (f.initDev !== null && f.initWindow !== w) {
      f.initWindow = w;
      const c = this.#touch(f.initDev).counters;
      if (f.respLocal) {
        c.lanPeers.add(respKey(f));
        c.lanPorts.add(f.respPort);
      } else if (!isGroup(f)) {
        c.remoteIps.add(respKey(f));
        c.remotePorts.add(f.respPort);
      }
    }
    if (f.respDev !== null && f.respWindow !== w) {
      f.respWindow = w;
      const c = this.#touch(f.respDev).counters;
      if (f.initLocal) c.lanPeers.add(initKey(f));
      else c.remoteIps.add(initKey(f));
    }
    if (created) {
      if (f.initDev !== null) {
        const a = this.#touch(f.initDev);
        a.counters.flowsStarted++;
        if (!f.respLocal && !isGroup(f)) this.#newRemote(f.initDev, a, f);
      }
      if (f.respDev !== null && !f.initLocal && f.proto === 6 && (p.tcpFlags & TcpFlag.SYN) !== 0) {
        f.marks |= MARK_INBOUND;
        this.#touch(f.respDev).counters.inboundConnections++;
      }
    }
    // A refusal (RST to the SYN) is known at once: count it in the window it happens in.
    if (!forward && f.outcome === Outcome.Refused) this.#failed(f);
    if (
      !forward &&
      (f.marks & (MARK_INBOUND | MARK_ACCEPTED)) === MARK_INBOUND &&
      f.outcome === Outcome.Answered
    ) {
      f.marks |= MARK_ACCEPTED;
      if (f.respDev !== null) this.#touch(f.respDev).counters.inboundAccepted++;
    }
    // Burst starts towards a remote endpoint are the contacts of the periodicity measure.
    if (
      forward &&
      (created || f.fwdGapS >= 1) &&
      f.initDev !== null &&
      !f.respLocal &&
      !isGroup(f)
    ) {
      const a = this.#touch(f.initDev);
      a.beacons.contact(respKey(f), now, w);
    }
  }

  #newRemote(d: Device, a: DeviceActivity, f: Flow): void {
    if (f.marks & MARK_ENDPOINT) return;
    f.marks |= MARK_ENDPOINT;
    const key = respKey(f);
    if (!a.dnsAnswers.has(key)) a.counters.noDnsEndpoints.add(key);
    const text = typeof key === 'number' ? ipv4ToString(f.respIp4) : key;
    if (d.history.endpoints.addIsNew(text, f.firstTs)) a.counters.newEndpoints++;
  }

  #app(
    p: DecodedPacket,
    src: Device | null,
    dst: Device | null,
    flow: Flow | null,
    now: number,
  ): void {
    const app = p.app;
    if (app === null) return;
    switch (app.kind) {
      case 'dns': {
        if (app.mdns) break;
        if (!app.isResponse && src !== null) {
          const a = this.#touch(src);
          a.counters.dnsQueries++;
          for (const name of app.questions) {
            a.counters.dnsNames.add(name);
            if (src.history.names.addIsNew(name, now)) a.counters.dnsNewNames++;
          }
        } else if (app.isResponse && dst !== null) {
          const a = this.#touch(dst);
          if (app.rcode === 3) a.counters.dnsNxdomain++;
          for (const ans of app.answers) {
            if (ans.data === undefined) continue;
            if (ans.type === 1) {
              const ip = parseIpv4(ans.data);
              if (!Number.isNaN(ip)) a.rememberAnswer(ip, now);
            } else if (ans.type === 28) a.rememberAnswer(ans.data, now);
          }
        }
        break;
      }
      case 'ssdp':
        if (src !== null) this.#touch(src).counters.ssdpMessages++;
        break;
      case 'tls-client-hello':
        // One handshake a connection: a retransmitted ClientHello is not another one.
        if (flow !== null) {
          if (flow.marks & MARK_TLS) break;
          flow.marks |= MARK_TLS;
          if (app.sni !== undefined) flow.serverName = app.sni;
        }
        if (src !== null) this.#touch(src).counters.tlsHandshakes++;
        break;
      case 'http-request':
        if (src !== null) {
          const c = this.#touch(src).counters;
          c.httpRequests++;
          if (app.soapAction !== undefined && /AddPortMapping/i.test(app.soapAction))
            c.upnpPortMappings++;
        }
        if (flow !== null && app.host !== undefined) flow.serverName = app.host;
        break;
      case 'http-response':
        if (app.body !== undefined) {
          if (dst !== null && (app.body === 'elf' || app.body === 'pe' || app.body === 'script')) {
            this.#touch(dst).counters.executableDownloads++;
          }
        } else if (flow !== null) flow.expectBody = true;
        break;
      default:
        break;
    }
  }

  #close(): void {
    const start = this.#window * this.#windowS;
    const end = start + this.#windowS;
    const devices = this.#active.sort((a, b) => a.id - b.id);
    const closed: ClosedWindow[] = [];
    for (const d of devices) {
      const a = this.#activity[d.id] as DeviceActivity;
      a.endUpload();
      const beacon = a.beacons.strongest(this.#window);
      const record: WindowRecord = {
        type: 'window',
        mac: d.macStr,
        start,
        end,
        features: computeFeatures({ c: a.counters, beacon }),
        score: 0,
        behaviours: {},
      };
      closed.push({ device: d, record, evidence: emptyEvidence() });
      a.window = -1;
    }
    this.#active = [];
    this.#listener(closed, start, end);
  }
}

function isGroup(f: Flow): boolean {
  if (f.ip6 !== null) return f.ip6[4] >>> 24 === 0xff;
  return isGroup4(f.respIp4);
}

function respKey(f: Flow): number | string {
  return f.ip6 !== null ? ipv6ToString(f.ip6, 4) : f.respIp4;
}

function initKey(f: Flow): number | string {
  return f.ip6 !== null ? ipv6ToString(f.ip6, 0) : f.initIp4;
}

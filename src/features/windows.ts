/**
 * DeviceWindows: per-device counters over windows of `windowS` seconds of packet time, aligned
 * to multiples of `windowS` since the epoch (so a live capture and a replay of the same traffic
 * cut the same windows). When packet time crosses a boundary, every device active in the
 * closing window gets one `window` record, in device order.
 * @module
 */
import { type DecodedPacket, DecodeStatus, L3, TcpFlag } from '../decode/packet.js';
import type { Device } from '../devices/device.js';
import type { DeviceRegistry } from '../devices/registry.js';
import { isMulticast6 } from '../devices/lan.js';
import { type Flow, Outcome } from '../flows/flow.js';
import type { WindowRecord } from '../sinks/records.js';
import { DeviceActivity } from './accumulator.js';
import { type ActivitySnapshot, restoreActivities, snapshotActivities } from './activity-state.js';
import { AppRecords } from './app-records.js';
import { ArpClaims } from './arp-claims.js';
import { COMMAND_BYTES } from './commands.js';
import {
  isProbe,
  isShortSession,
  MARK_ACCEPTED,
  MARK_CLOSED,
  MARK_FAILED,
  MARK_INBOUND,
  MARK_PROBE,
} from './connection-shape.js';
import type { WindowEvidence } from './evidence.js';
import { noteInbound, noteRemote } from './flow-endpoints.js';
import { initKey, isGroup, isGroup4, respEndpoint, respKey } from './flow-keys.js';
import { type PeerTally, responderTally, sent } from './peers.js';
import { ServicePayload } from './service-payload.js';
import { closeDeviceWindow } from './window-close.js';

export interface WindowOptions {
  windowS: number;
  /**
   * Whether anyone reads the closed windows' evidence (default: always). Asked as each window
   * opens: without a reader (a replay with `--no-detect`), no peer tallies are kept for its flows
   * and its windows' `evidence` is empty.
   */
  wantsEvidence?: () => boolean;
}

/** One device's closed window: its record and the evidence behind it (features/evidence.ts). */
export interface ClosedWindow {
  device: Device;
  record: WindowRecord;
  evidence: WindowEvidence;
}

/** Receives the closed windows of each window, devices in id order. */
export type WindowListener = (closed: ClosedWindow[], start: number, end: number) => void;

export class DeviceWindows {
  readonly #windowS: number;
  readonly #listener: WindowListener;
  readonly #wantsEvidence: () => boolean;
  /** The current window gathers evidence (asked as it opened). */
  #evidence = true;
  readonly #activity: (DeviceActivity | undefined)[] = [];
  /** Devices active in the current window, in first-activity order. */
  #active: Device[] = [];
  /** Index of the current window (floor(ts / windowS)); -1 before the first packet. */
  #window = -1;
  readonly #claims = new ArpClaims((d) => this.#activity[d.id]);
  readonly #apps: AppRecords;
  readonly #payload: ServicePayload;

  constructor(opts: WindowOptions, listener: WindowListener) {
    this.#windowS = opts.windowS;
    this.#listener = listener;
    this.#wantsEvidence = opts.wantsEvidence ?? ((): boolean => true);
    this.#apps = new AppRecords({
      touch: (d: Device): DeviceActivity => this.#touch(d),
      window: (): number => this.#window,
    });
    this.#payload = new ServicePayload(this.#apps, (d: Device): DeviceActivity => this.#touch(d));
  }

  get currentWindow(): number {
    return this.#window;
  }

  /** Moves the window clock to packet time `now`, closing the current window if it ended. */
  tick(now: number): void {
    const w = Math.floor(now / this.#windowS);
    if (w === this.#window) return;
    if (this.#window >= 0 && w > this.#window) this.#close();
    if (w > this.#window) {
      this.#window = w;
      this.#evidence = this.#wantsEvidence();
    }
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
    gapS: number,
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
      // Address ownership (arp-claims.ts): one compare while it sends from the address it owns.
      // A forged source (registry.ts) is no use of an address.
      if (v4) {
        const own = a.ownEntry;
        if (reg.forged) a.notes.forged(p.src4 | 0);
        else if (p.src4 !== a.ownIp4 || own === null || own.dev !== src)
          this.#claims.use(src, a, p.src4, now);
      } else if (p.l3 === L3.ARP) this.#claims.arp(p, src, a, now);
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
    if (flow !== null) this.#flow(buf, p, flow, forward, created, now, gapS);
    if (p.app !== null) this.#apps.record(p, src, dst, flow, now);
    else if (flow !== null && p.payloadCapLen > 0 && (flow.expectBody || flow.notes !== null)) {
      this.#apps.segment(buf, p, flow, forward, dst, now);
    }
  }

  /**
   * A flow left the table: a connection attempt never answered fails now (its timeout is the
   * only way to know). A refused one was counted when the refusal came (#flow).
   */
  flowExpired(f: Flow): void {
    if (f.outcome === Outcome.Refused || f.outcome === Outcome.Unanswered) {
      this.#failed(f);
      this.#probe(f);
    }
  }

  /**
   * A TCP flow of a device that ended without payload either way — refused, never answered,
   * reset right after the handshake, a FIN/NULL/Xmas probe answered by RST: a probe. Counted
   * when it closes, or (never answered) when it fails.
   */
  #probe(f: Flow): void {
    if (f.initDev === null || (f.marks & MARK_PROBE) !== 0 || !isProbe(f)) return;
    f.marks |= MARK_PROBE;
    const t = this.#tallyNow(f, this.#touch(f.initDev));
    if (t !== null) t.probes++;
  }

  /** Counts a failed TCP connection attempt by its initiator, once per flow. */
  #failed(f: Flow): void {
    if (f.proto !== 6 || f.initDev === null || f.marks & MARK_FAILED) return;
    if ((f.fwdFlags & TcpFlag.SYN) === 0) return;
    f.marks |= MARK_FAILED;
    const a = this.#touch(f.initDev);
    a.counters.failedConnections++;
    const t = this.#tallyNow(f, a);
    if (t !== null) t.failed++;
  }

  /**
   * A TCP connection of a device just closed (FIN both ways, or RST): it counts as a short
   * session when it fits the shape (connection-shape.ts). Counted at the closing packet, so in a
   * window where the device has traffic; a connection that only goes silent is no login
   * attempt's shape and is not counted.
   */
  #shortSession(f: Flow): void {
    if (f.initDev === null || !isShortSession(f)) return;
    const a = this.#touch(f.initDev);
    const c = a.counters;
    const key = respEndpoint(f);
    const count = (c.shortSessions.get(key) ?? 0) + 1;
    c.shortSessions.set(key, count);
    if (count > c.shortSessionsMax) c.shortSessionsMax = count;
    const t = this.#tallyNow(f, a);
    if (t !== null) t.shortSessions++;
  }

  /** The flow initiator's peer tally for the current window (`a` is its activity). */
  #tallyNow(f: Flow, a: DeviceActivity): PeerTally | null {
    if (!this.#evidence || isGroup(f)) return null;
    if (f.peerWindow !== this.#window) {
      f.peer = responderTally(f, a);
      f.peerWindow = this.#window;
    }
    return f.peer;
  }

  /** Closes the current window (end of input or shutdown). */
  finish(): void {
    if (this.#window >= 0) this.#close();
  }

  /** What a restart should keep of each device (activity-state.ts), by MAC. */
  snapshot(devices: readonly Device[]): Map<string, ActivitySnapshot> {
    return snapshotActivities(this.#activity, devices);
  }

  /** Takes back what `snapshot` kept, for the devices `device` finds (before any packet). */
  restore(saved: Map<string, ActivitySnapshot>, device: (mac: string) => Device | undefined): void {
    restoreActivities(this.#activity, saved, device);
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
      a.notes.reset();
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

  /**
   * The flow side of a packet. Kept small (the rare cases are methods of their own) so that V8
   * inlines it into `packet` and the whole per-packet path into the capture loop.
   */
  #flow(
    buf: Buffer,
    p: DecodedPacket,
    f: Flow,
    forward: boolean,
    created: boolean,
    now: number,
    gapS: number,
  ): void {
    const w = this.#window;
    if ((f.initDev !== null && f.initWindow !== w) || (f.respDev !== null && f.respWindow !== w)) {
      this.#flowWindow(f, w);
    }
    if (created) this.#flowStart(p, f, now);
    if (
      !forward &&
      (f.outcome === Outcome.Refused || (f.marks & (MARK_INBOUND | MARK_ACCEPTED)) === MARK_INBOUND)
    ) {
      this.#answer(f);
    }
    // Burst starts towards a remote endpoint are the contacts of the periodicity measure.
    if (forward && (created || gapS >= 1) && f.initDev !== null && !f.respLocal) {
      this.#contact(f, now, w);
    }
    // Payload bytes: per flow (short sessions, beacon contacts), per peer and window.
    const len = p.payloadLen;
    if (len > 0) {
      const t = f.peerWindow === w ? f.peer : null;
      // The first payload from the other end to a device: a program fetched outside HTTP?
      if (forward) {
        if (f.respDev !== null && f.payloadUp < COMMAND_BYTES) {
          this.#payload.toService(buf, p, f, f.respDev, now);
        }
        f.payloadUp += len;
        if (t !== null) sent(t, f, len, gapS);
      } else {
        if (f.payloadDown === 0 && f.initDev !== null) this.#payload.first(buf, p, f.initDev, now);
        const reading = f.notes?.commands;
        if (reading != null && f.respDev !== null)
          this.#payload.answered(f, reading, f.respDev, now);
        f.payloadDown += len;
        if (t !== null) t.bytesDown += len;
      }
    }
    if ((p.tcpFlags & (TcpFlag.FIN | TcpFlag.RST)) !== 0 && (f.marks & MARK_CLOSED) === 0) {
      this.#closing(p, f);
    }
  }

  /** The flow's first packet in this window: each LAN end's distinct peers and ports. */
  #flowWindow(f: Flow, w: number): void {
    if (f.initDev !== null && f.initWindow !== w) {
      f.initWindow = w;
      const a = this.#touch(f.initDev);
      const c = a.counters;
      if (f.respLocal) {
        c.lanPeers.add(respKey(f));
        c.lanPorts.add(f.respPort);
      } else if (!isGroup(f)) {
        c.remoteIps.add(respKey(f));
        c.remotePorts.add(f.respPort);
      }
      this.#tallyNow(f, a);
    }
    if (f.respDev !== null && f.respWindow !== w) {
      f.respWindow = w;
      const c = this.#touch(f.respDev).counters;
      if (f.initLocal) c.lanPeers.add(initKey(f));
      else c.remoteIps.add(initKey(f));
    }
  }

  /** A new flow: started by a device, or an inbound connection from the internet. */
  #flowStart(p: DecodedPacket, f: Flow, now: number): void {
    if (f.initDev !== null) {
      const a = this.#touch(f.initDev);
      a.counters.flowsStarted++;
      if (!f.respLocal && !isGroup(f)) noteRemote(f.initDev, a, f);
      if (f.peer !== null) f.peer.flows++;
    }
    // From the internet: a TCP SYN (the inbound features count these), or a UDP datagram that
    // opens a flow (evidence only: a reply after the device's own flow expired looks alike,
    // so detectors weigh it only on a port the device had mapped).
    const tcp = f.proto === 6 && (p.tcpFlags & TcpFlag.SYN) !== 0;
    if (f.respDev !== null && !f.initLocal && (tcp || f.proto === 17) && !isGroup(f)) {
      f.marks |= MARK_INBOUND;
      const a = this.#touch(f.respDev);
      if (tcp) a.counters.inboundConnections++;
      noteInbound(a, f, now);
    }
  }

  /**
   * A responder packet of a refused attempt, or of an inbound connection not yet accepted. A
   * refusal (RST to the SYN) is known at once: it counts in the window it happens in.
   */
  #answer(f: Flow): void {
    if (f.outcome === Outcome.Refused) {
      this.#failed(f);
    } else if (f.outcome === Outcome.Answered) {
      f.marks |= MARK_ACCEPTED;
      if (f.respDev !== null && f.proto === 6) this.#touch(f.respDev).counters.inboundAccepted++;
      const inbound = f.notes?.inbound;
      if (inbound != null) inbound.accepted = true;
    }
  }

  /** A contact of the flow's initiator with its remote responder (beacon.ts). */
  #contact(f: Flow, now: number, w: number): void {
    if (isGroup(f) || f.initDev === null) return;
    const a = this.#touch(f.initDev);
    a.beacons.contact(respKey(f), now, w, f.respPort, f);
  }

  /** A FIN or RST: the packet that closes the connection (RST, or the second FIN) ends it. */
  #closing(p: DecodedPacket, f: Flow): void {
    if ((p.tcpFlags & TcpFlag.RST) !== 0 || (f.fwdFlags & f.revFlags & TcpFlag.FIN) !== 0) {
      f.marks |= MARK_CLOSED;
      this.#shortSession(f);
      this.#probe(f);
    }
  }

  #close(): void {
    const start = this.#window * this.#windowS;
    const end = start + this.#windowS;
    const devices = this.#active.sort((a, b) => a.id - b.id);
    const closed: ClosedWindow[] = [];
    for (const d of devices) {
      const a = this.#activity[d.id] as DeviceActivity;
      closed.push(closeDeviceWindow(d, a, this.#window, start, end, this.#evidence));
      a.window = -1;
    }
    this.#active = [];
    this.#listener(closed, start, end);
  }
}

/**
 * The path of a packet (DESIGN.md): decode → devices → flows → device windows → sinks.
 * `onFrame` is the FrameHandler every PacketSource feeds; replay and live capture run this same
 * code, so the same traffic gives the same devices and windows.
 *
 * Packet time drives everything. The clock never runs backwards: a packet stamped earlier than
 * one already seen (glued captures, clock steps) is processed at the latest time seen.
 * @module
 */
import type { FrameHandler } from '../capture/types.js';
import { decodeFrame } from '../decode/index.js';
import { DecodedPacket, DecodeStatus, L3 } from '../decode/packet.js';
import type { Device } from '../devices/device.js';
import { LanMatcher } from '../devices/lan.js';
import { DeviceRegistry } from '../devices/registry.js';
import { type ClosedWindow, DeviceWindows } from '../features/windows.js';
import type { ExpireReason, Flow } from '../flows/flow.js';
import { DEFAULT_FLOW_OPTIONS, FlowTable } from '../flows/table.js';
import type { DeviceRecord, OutputRecord, RecordSink } from '../sinks/records.js';
import { SenderTally } from './lan-hint.js';

export interface PipelineOptions {
  /** Window length in seconds of packet time. */
  windowS: number;
  /** Extra local networks (CIDR) beside RFC 1918, link-local and ULA. */
  lanCidrs: string[];
  maxDevices: number;
  maxFlows: number;
  flowIdleTimeoutS: number;
  flowActiveTimeoutS: number;
}

export const DEFAULT_PIPELINE_OPTIONS: PipelineOptions = {
  windowS: 60,
  lanCidrs: [],
  maxDevices: 4096,
  maxFlows: DEFAULT_FLOW_OPTIONS.maxFlows,
  flowIdleTimeoutS: DEFAULT_FLOW_OPTIONS.idleTimeoutS,
  flowActiveTimeoutS: DEFAULT_FLOW_OPTIONS.activeTimeoutS,
};

export interface PipelineCounters {
  packets: number;
  bytes: number;
  malformed: number;
  /** Frames of link or network protocols we do not decode (LLDP, EAPOL, …). */
  unsupported: number;
  windows: number;
  alerts: number;
  firstTs: number | null;
  lastTs: number | null;
}

export class Pipeline {
  readonly registry: DeviceRegistry;
  readonly flows: FlowTable;
  readonly windows: DeviceWindows;
  readonly counters: PipelineCounters = {
    packets: 0,
    bytes: 0,
    malformed: 0,
    unsupported: 0,
    windows: 0,
    alerts: 0,
    firstTs: null,
    lastTs: null,
  };
  /**
   * Judges of every closed window (baselines, detectors, model: the runtime hooks in here).
   * They run before the window's records are written, so they may set `score` and
   * `behaviours`; the records they return (alerts) are written after the window's.
   */
  readonly windowListeners: ((
    closed: ClosedWindow[],
    start: number,
    end: number,
  ) => OutputRecord[] | void)[] = [];
  readonly onFrame: FrameHandler;
  /** IPv4 senders while no device exists (for the replay's --lan hint). */
  readonly senders = new SenderTally();

  readonly #sink: RecordSink;
  readonly #pkt = new DecodedPacket();
  /** Device versions last written as `device` records, by device id. */
  readonly #emitted: number[] = [];
  #clock = -Infinity;

  constructor(options: Partial<PipelineOptions>, sink: RecordSink, registry?: DeviceRegistry) {
    const opts = { ...DEFAULT_PIPELINE_OPTIONS, ...options };
    this.#sink = sink;
    this.registry =
      registry ??
      new DeviceRegistry({ lan: new LanMatcher(opts.lanCidrs), maxDevices: opts.maxDevices });
    this.windows = new DeviceWindows(
      { windowS: opts.windowS, wantsEvidence: () => this.windowListeners.length > 0 },
      (closed, start, end) => this.#windowClosed(closed, start, end),
    );
    this.flows = new FlowTable({
      maxFlows: opts.maxFlows,
      idleTimeoutS: opts.flowIdleTimeoutS,
      activeTimeoutS: opts.flowActiveTimeoutS,
      onExpire: (f: Flow, _r: ExpireReason) => this.windows.flowExpired(f),
    });
    // Restored devices were written by an earlier run: do not repeat them unchanged.
    for (const d of this.registry.devices()) this.#emitted[d.id] = d.version;
    this.onFrame = (buf, offset, capLen, wireLen, ts, linkType) =>
      this.#frame(buf, offset, capLen, wireLen, ts, linkType);
  }

  /** Packet time of the latest packet (-Infinity before the first). */
  get clock(): number {
    return this.#clock;
  }

  #frame(
    buf: Buffer,
    offset: number,
    capLen: number,
    wireLen: number,
    ts: number,
    linkType: number,
  ): void {
    const c = this.counters;
    c.packets++;
    c.bytes += wireLen;
    // NaN fails the comparison: a frame without a usable time keeps the clock where it is.
    if (ts > this.#clock) this.#clock = ts;
    else if (this.#clock === -Infinity) this.#clock = 0;
    const now = this.#clock;
    if (c.firstTs === null) c.firstTs = now;
    const p = this.#pkt;
    const status = decodeFrame(buf, offset, capLen, wireLen, linkType, ts, p);
    if (status === DecodeStatus.Malformed) c.malformed++;
    else if (status === DecodeStatus.Unsupported) c.unsupported++;
    this.windows.tick(now);
    const reg = this.registry;
    reg.observe(p);
    if (reg.size === 0 && p.l3 === L3.IPv4 && status === DecodeStatus.Ok) this.senders.add(p.src4);
    const flows = this.flows;
    const flow = status === DecodeStatus.Ok ? flows.update(p, now) : null;
    if (flow !== null && flows.created) this.#attach(flow);
    this.windows.packet(buf, p, reg, flow, flows.forward, flows.created, now, flows.gapS);
    flows.advance(now);
  }

  /** A new flow learns which of its ends are LAN devices. */
  #attach(f: Flow): void {
    const reg = this.registry;
    const fwd = this.flows.forward;
    f.initDev = fwd ? reg.src : reg.dst;
    f.respDev = fwd ? reg.dst : reg.src;
    f.initLocal = fwd ? reg.srcLocal : reg.dstLocal;
    f.respLocal = fwd ? reg.dstLocal : reg.srcLocal;
  }

  /**
   * End of input or shutdown: expires every flow, closes the open window and writes the last
   * device records. The pipeline can go on afterwards (a later packet opens a new window).
   */
  finish(): void {
    this.flows.flushAll();
    this.windows.finish();
    this.#emitDevices();
    this.counters.lastTs = Number.isFinite(this.#clock) ? this.#clock : null;
  }

  #windowClosed(closed: ClosedWindow[], start: number, end: number): void {
    this.#emitDevices();
    const after: OutputRecord[] = [];
    for (const l of this.windowListeners) {
      const more = l(closed, start, end);
      if (more) after.push(...more);
    }
    for (const c of closed) this.#sink.write(c.record);
    for (const r of after) this.#sink.write(r);
    this.counters.windows += closed.length;
  }

  /** Writes a `device` record for every device that is new or changed since last written. */
  #emitDevices(): void {
    for (const d of this.registry.devices()) {
      if (this.#emitted[d.id] === d.version) continue;
      this.#emitted[d.id] = d.version;
      this.#sink.write(deviceRecord(d));
    }
  }
}

export function deviceRecord(d: Device): DeviceRecord {
  return {
    type: 'device',
    mac: d.macStr,
    ips: d.ipList(),
    vendor: d.vendor,
    name: d.name,
    firstSeen: d.firstSeen,
    kind: d.kind,
    kindConfidence: d.kindConfidence,
    kindEvidence: [...d.kindEvidence],
  };
}

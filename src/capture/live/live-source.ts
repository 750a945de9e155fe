/**
 * LiveSource: a PacketSource on a network interface, through one of the libpcap bindings.
 *
 * Frames go straight from the binding's callback to the pipeline (zero copy) while the pipeline
 * keeps up. While it waits (a sink applying backpressure through `afterBatch`), and between
 * open() and run(), frames are copied into a bounded FrameQueue; what does not fit is dropped
 * and counted. Drops are never hidden: libpcap's counters (pcap_stats), the queue's drops, its
 * depth and the lag behind packet time are all in liveStats().
 * @module
 */

import { HomewatchError } from '../../util/errors.js';
import {
  SUPPORTED_LINKTYPES,
  type FrameHandler,
  type PacketSource,
  type SourceHooks,
  type SourceStats,
} from '../types.js';
import type { LiveBinding, LiveHandle, LiveOpenOptions } from './binding.js';
import { captureOpenError, filterError } from './errors.js';
import { FrameQueue } from './frame-queue.js';
import { checkInterface } from './interfaces.js';
import { loadLiveBinding } from './load.js';

/** Options of a live capture; defaults in LIVE_DEFAULTS. */
export interface LiveSourceOptions {
  iface: string;
  /** Bytes kept per packet: enough for the application peeks (DNS, DHCP, SSDP, HTTP, TLS SNI). */
  snaplen?: number;
  bufferBytes?: number;
  promiscuous?: boolean;
  immediate?: boolean;
  filter?: string;
  /** Stop after this many seconds of wall time; 0 = until stop(). */
  durationS?: number;
  /** Frames the queue holds while the pipeline waits. */
  queueFrames?: number;
  /** The binding to use (default: loadLiveBinding()). */
  binding?: LiveBinding;
  /** Check the interface against /sys before opening (default true). */
  checkInterface?: boolean;
}

export const LIVE_DEFAULTS = {
  snaplen: 1024,
  bufferBytes: 64 * 1024 * 1024,
  promiscuous: true,
  immediate: true,
  filter: '',
  durationS: 0,
  queueFrames: 16384,
} as const;

/** Live-only counters, beside the SourceStats every source has. */
export interface LiveStats extends SourceStats {
  /** Sum of the packets' lengths on the wire (bytes is what was captured of them). */
  wireBytes: number;
  /** pcap_stats: packets that passed the filter; null when the binding cannot count. */
  received: number | null;
  /** pcap_stats: dropped because the kernel ring was full; null when unknown. */
  dropped: number | null;
  /** pcap_stats: dropped by the interface or driver; null when unknown. */
  ifDropped: number | null;
  /** Frames the agent's queue refused. */
  queueDropped: number;
  /** Frames waiting in the queue now, and the most ever. */
  queueDepth: number;
  queueHighWater: number;
  /** Wall clock minus packet time of the last packet handed to the pipeline (s). */
  lagSeconds: number;
  /** Binding in use. */
  binding: string;
}

export class LiveSource implements PacketSource {
  readonly name: string;
  readonly #opts: Required<Omit<LiveSourceOptions, 'binding'>>;
  readonly #binding: LiveBinding;
  readonly #queue: FrameQueue;
  /** Held until run() has returned: cap writes into a Buffer this handle references. */
  #handle: LiveHandle | null = null;
  #handler: FrameHandler | null = null;
  #hooks: SourceHooks | undefined;
  /** True while frames may go straight to the handler (running, not waiting, queue empty). */
  #direct = false;
  #waiting = false;
  #stopped = false;
  #packets = 0;
  #bytes = 0;
  #wireBytes = 0;
  #lastTs = Number.NaN;
  #lagS = 0;
  #timer: NodeJS.Timeout | null = null;
  #resolve: ((s: SourceStats) => void) | null = null;
  #reject: ((e: unknown) => void) | null = null;

  constructor(opts: LiveSourceOptions) {
    this.name = opts.iface;
    const d = LIVE_DEFAULTS;
    this.#opts = {
      iface: opts.iface,
      snaplen: opts.snaplen ?? d.snaplen,
      bufferBytes: opts.bufferBytes ?? d.bufferBytes,
      promiscuous: opts.promiscuous ?? d.promiscuous,
      immediate: opts.immediate ?? d.immediate,
      filter: opts.filter ?? d.filter,
      durationS: opts.durationS ?? d.durationS,
      queueFrames: opts.queueFrames ?? d.queueFrames,
      checkInterface: opts.checkInterface ?? true,
    };
    this.#binding = opts.binding ?? loadLiveBinding();
    this.#queue = new FrameQueue(this.#opts.queueFrames, this.#opts.snaplen);
  }

  /** The binding's name and what it can do. */
  get binding(): LiveBinding {
    return this.#binding;
  }

  /**
   * Opens the capture handle now (run() opens it otherwise), so that privileges can be dropped
   * before the first packet is processed. Frames that arrive before run() wait in the queue.
   * Throws a HomewatchError (no such interface, no permission, bad filter, ...).
   */
  /**
   * Whether the interface opens without the filter (after an open with it failed): then the
   * filter was what libpcap refused. Error path only; the probe handle is closed at once.
   */
  #opensWithout(opts: LiveOpenOptions): boolean {
    try {
      const probe = this.#binding.open(
        this.#opts.iface,
        { ...opts, filter: '', bufferBytes: 1 << 20 },
        ignoreFrame,
        ignoreBatch,
      );
      probe.close();
      return true;
    } catch {
      return false;
    }
  }

  open(): void {
    if (this.#handle !== null || this.#stopped) return;
    const o = this.#opts;
    if (o.checkInterface) checkInterface(o.iface);
    const openOpts: LiveOpenOptions = {
      snaplen: o.snaplen,
      bufferBytes: o.bufferBytes,
      promiscuous: o.promiscuous,
      immediate: o.immediate,
      filter: o.filter,
    };
    let handle: LiveHandle;
    try {
      handle = this.#binding.open(o.iface, openOpts, this.#onPacket, this.#onBatchEnd);
    } catch (err) {
      const e = captureOpenError(o.iface, o.filter, err);
      if (e.code === 'ERR_CAPTURE' && o.filter !== '' && this.#opensWithout(openOpts))
        throw filterError(o.filter, err);
      throw e;
    }
    this.#handle = handle;
    if (!SUPPORTED_LINKTYPES.has(handle.linkType)) {
      handle.close();
      throw new HomewatchError(
        'ERR_INPUT_UNSUPPORTED_LINKTYPE',
        `interface ${o.iface}: link type ${handle.linkType} is not supported (Ethernet, Linux cooked, raw IP are)`,
      );
    }
  }

  run(handler: FrameHandler, hooks?: SourceHooks): Promise<SourceStats> {
    if (this.#handler !== null) return Promise.reject(new Error('LiveSource.run() called twice'));
    this.#handler = handler;
    this.#hooks = hooks;
    if (this.#stopped) return Promise.resolve(this.stats());
    try {
      this.open();
    } catch (err) {
      return Promise.reject(err);
    }
    return new Promise<SourceStats>((resolve, reject) => {
      this.#resolve = resolve;
      this.#reject = reject;
      if (this.#opts.durationS > 0) {
        this.#timer = setTimeout(() => this.stop(), this.#opts.durationS * 1000);
      }
      // Frames queued between open() and run() go first.
      this.#resume();
    });
  }

  /**
   * Stops the capture: no frame reaches the handler after this call (also when called from
   * inside it); frames still waiting in the queue are counted in queueDropped; run() resolves
   * once a pending afterBatch() has settled.
   */
  stop(): void {
    if (this.#stopped) return;
    this.#stopped = true;
    if (this.#timer !== null) clearTimeout(this.#timer);
    this.#direct = false; // from now on no frame reaches the handler
    this.#handle?.close();
    if (!this.#waiting) this.#finish();
    // else: #resume() finishes once the pipeline stops waiting.
  }

  stats(): SourceStats {
    return { packets: this.#packets, bytes: this.#bytes, truncated: 0 };
  }

  /** Live counters (one pcap_stats call); safe at any time, also after stop(). */
  liveStats(): LiveStats {
    const link = this.#handle?.stats() ?? null;
    return {
      packets: this.#packets,
      bytes: this.#bytes,
      truncated: 0,
      wireBytes: this.#wireBytes,
      received: link ? link.received : null,
      dropped: link ? link.dropped : null,
      ifDropped: link ? link.ifDropped : null,
      queueDropped: this.#queue.dropped,
      queueDepth: this.#queue.size,
      queueHighWater: this.#queue.highWater,
      lagSeconds: this.#lagS,
      binding: this.#binding.name,
    };
  }

  /** Per packet, from the binding. */
  readonly #onPacket: FrameHandler = (buf, offset, capLen, wireLen, ts, linkType) => {
    if (this.#direct) this.#deliver(buf, offset, capLen, wireLen, ts, linkType);
    else if (!this.#stopped) this.#queue.push(buf, offset, capLen, wireLen, ts, linkType);
  };

  readonly #deliver: FrameHandler = (buf, offset, capLen, wireLen, ts, linkType) => {
    this.#packets++;
    this.#bytes += capLen;
    this.#wireBytes += wireLen;
    this.#lastTs = ts;
    (this.#handler as FrameHandler)(buf, offset, capLen, wireLen, ts, linkType);
  };

  /** After each burst the binding delivered: lag, then the pipeline's backpressure hook. */
  readonly #onBatchEnd = (): void => {
    if (!this.#direct) return;
    this.#afterBatch();
  };

  #afterBatch(): void {
    if (this.#packets > 0) this.#lagS = Date.now() / 1000 - this.#lastTs;
    const pending = this.#hooks?.afterBatch?.();
    if (pending) {
      this.#direct = false;
      this.#waiting = true;
      Promise.resolve(pending).then(this.#resume, this.#fail);
    }
  }

  /** Drains the queue into the pipeline, then delivers directly again (or finishes). */
  readonly #resume = (): void => {
    this.#waiting = false;
    let drained = 0;
    // One at a time: the handler may call stop(), after which nothing more is delivered.
    while (!this.#stopped && this.#queue.drain(this.#deliver, 1) === 1) drained++;
    if (drained > 0) this.#lagS = Date.now() / 1000 - this.#lastTs;
    if (this.#stopped) {
      this.#finish();
      return;
    }
    this.#direct = true;
    if (drained > 0) this.#afterBatch();
  };

  readonly #fail = (err: unknown): void => {
    this.#waiting = false;
    this.#stopped = true;
    this.#direct = false;
    if (this.#timer !== null) clearTimeout(this.#timer);
    this.#handle?.close();
    const reject = this.#reject;
    this.#resolve = this.#reject = null;
    reject?.(err);
  };

  #finish(): void {
    this.#direct = false;
    // Frames still queued when the capture stops are not processed: counted as queue drops.
    this.#queue.discard();
    const resolve = this.#resolve;
    this.#resolve = this.#reject = null;
    resolve?.(this.stats());
  }
}

function ignoreFrame(): void {
  // the filter probe's packets are not wanted
}

function ignoreBatch(): void {
  // nor its batches
}

/**
 * LiveBinding over `cap` 0.2.1. Its limits (DEPENDENCIES.md, measured in bench/live): snaplen
 * fixed at 65535 (so the kernel ring holds few packets), promiscuous and immediate mode always
 * on, no pcap_stats (drops are invisible: stats() returns null), no packet timestamps (we stamp
 * the wall clock at delivery), and it prints a warning on stderr for interfaces without IPv4.
 *
 * cap keeps a raw pointer to the Buffer given to open(): if that Buffer were garbage-collected
 * the process would segfault. CapHandle holds it in a field for the life of the capture, and
 * LiveSource holds the handle until run() has returned.
 * @module
 */

import type { FrameHandler } from '../types.js';
import {
  linkTypeFromName,
  type BindingFactory,
  type LinkStats,
  type LiveBinding,
  type LiveHandle,
  type LiveOpenOptions,
} from './binding.js';

interface CapNative {
  open(device: string, filter: string, bufSize: number, buffer: Buffer): string;
  close(): boolean;
  on(event: 'packet', listener: (nbytes: number, truncated: boolean) => void): void;
  removeAllListeners(event?: string): void;
}

interface CapModule {
  Cap: (new () => CapNative) & { deviceList(): { name: string }[] };
}

/** The frame buffer: cap copies whole packets (its snaplen is 65535). */
const CAP_BUFFER_BYTES = 65535;

class CapHandle implements LiveHandle {
  readonly linkType: number;
  readonly #cap: CapNative;
  /** Referenced for the life of the capture: cap's C++ side writes into it. */
  readonly #buf: Buffer;
  readonly #snaplen: number;
  readonly #onPacket: FrameHandler;
  readonly #onBatchEnd: () => void;
  #open = true;
  #batchScheduled = false;

  constructor(
    mod: CapModule,
    iface: string,
    opts: LiveOpenOptions,
    onPacket: FrameHandler,
    onBatchEnd: () => void,
  ) {
    this.#cap = new mod.Cap();
    this.#buf = Buffer.alloc(CAP_BUFFER_BYTES);
    this.#snaplen = Math.min(opts.snaplen, CAP_BUFFER_BYTES);
    this.#onPacket = onPacket;
    this.#onBatchEnd = onBatchEnd;
    this.#cap.on('packet', this.#packet);
    this.linkType = linkTypeFromName(
      this.#cap.open(iface, opts.filter, opts.bufferBytes, this.#buf),
    );
  }

  /** Per packet: cap emits (bytes copied, truncated); no timestamp, so the wall clock. */
  readonly #packet = (nbytes: number, _truncated: boolean): void => {
    if (!this.#open) return;
    const capLen = nbytes < this.#snaplen ? nbytes : this.#snaplen;
    this.#onPacket(this.#buf, 0, capLen, nbytes, Date.now() / 1000, this.linkType);
    if (!this.#batchScheduled) {
      // cap reads the whole ring in one poll callback; the check phase follows it.
      this.#batchScheduled = true;
      setImmediate(this.#batchEnd);
    }
  };

  readonly #batchEnd = (): void => {
    this.#batchScheduled = false;
    if (this.#open) this.#onBatchEnd();
  };

  stats(): LinkStats | null {
    return null;
  }

  close(): void {
    if (!this.#open) return;
    this.#open = false;
    this.#cap.close();
    this.#cap.removeAllListeners('packet');
  }

  /** The buffer cap writes into (kept referenced; exposed for the GC-safety test). */
  get buffer(): Buffer {
    return this.#buf;
  }
}

/** Creates the cap binding from the loaded module. */
export const capBinding: BindingFactory = (mod: unknown): LiveBinding => {
  const m = mod as CapModule;
  if (typeof m.Cap !== 'function') throw new Error('not the cap module');
  return {
    name: 'cap',
    capabilities: { countsDrops: false, snaplen: false, packetTimestamps: false },
    open: (iface, opts: LiveOpenOptions, onPacket, onBatchEnd) =>
      new CapHandle(m, iface, opts, onPacket, onBatchEnd),
    devices: () => m.Cap.deviceList().map((d) => d.name),
  };
};

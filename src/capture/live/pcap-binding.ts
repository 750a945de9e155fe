/**
 * LiveBinding over node_pcap 3.1's addon (`pcap/build/Release/pcap_binding`), used directly:
 * its pcap.js wrapper allocates an object and emits an event per packet.
 *
 * The addon copies each packet into a Buffer we own and its pcap_pkthdr into a 16-byte header
 * Buffer (tv_sec u32, tv_usec u32, caplen u32, len u32, host byte order), then calls a JS
 * function with no arguments. `dispatch()` reads everything waiting in the ring.
 *
 * Closing: the addon's close() only calls pcap_breakloop(); the handle is released the next time
 * a packet wakes the poll watcher (pcap_dispatch then returns -2). On a quiet interface the
 * watcher keeps the event loop alive, so the CLI exits explicitly when it is done.
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

interface PcapStatsRaw {
  ps_recv: number;
  ps_drop: number;
  ps_ifdrop: number;
}

interface PcapSessionNative {
  open_live(
    device: string,
    filter: string,
    bufferSize: number,
    snapLength: number,
    outfile: string,
    packetReady: () => void,
    monitor: boolean,
    bufferTimeoutMs: number,
    warning: (msg: string) => void,
    promiscuous: boolean,
  ): string;
  dispatch(buf: Buffer, header: Buffer): number;
  start_polling(): void;
  close(): void;
  stats(): PcapStatsRaw;
  read_callback?: () => void;
}

interface PcapAddon {
  PcapSession: new () => PcapSessionNative;
  findalldevs(): { name: string }[];
}

/** One open node_pcap session; holds its buffers for its whole life. */
class PcapHandle implements LiveHandle {
  readonly linkType: number;
  readonly #session: PcapSessionNative;
  readonly #buf: Buffer;
  readonly #header: Buffer;
  readonly #h32: Uint32Array;
  readonly #onPacket: FrameHandler;
  readonly #onBatchEnd: () => void;
  #open = true;
  #last: LinkStats = { received: 0, dropped: 0, ifDropped: 0 };

  constructor(
    addon: PcapAddon,
    iface: string,
    opts: LiveOpenOptions,
    onPacket: FrameHandler,
    onBatchEnd: () => void,
  ) {
    this.#session = new addon.PcapSession();
    this.#buf = Buffer.alloc(opts.snaplen);
    // Its own ArrayBuffer (alloc does not pool), so a Uint32Array view is aligned and reads
    // the header in host byte order, as the addon wrote it.
    this.#header = Buffer.alloc(16);
    this.#h32 = new Uint32Array(this.#header.buffer, this.#header.byteOffset, 4);
    this.#onPacket = onPacket;
    this.#onBatchEnd = onBatchEnd;
    const name = this.#session.open_live(
      iface,
      opts.filter,
      opts.bufferBytes,
      opts.snaplen,
      '',
      this.#packetReady,
      false,
      opts.immediate ? 0 : 100, // timeout <= 0 selects immediate mode in the addon
      ignoreWarning,
      opts.promiscuous,
    );
    this.linkType = linkTypeFromName(name);
    this.#session.read_callback = this.#readable;
    this.#session.start_polling();
    process.nextTick(this.#readable); // packets that arrived before polling started
  }

  /** Per packet: no allocation, plain field reads. */
  readonly #packetReady = (): void => {
    if (!this.#open) return;
    const h = this.#h32;
    const capLen = h[2] < this.#buf.length ? h[2] : this.#buf.length;
    this.#onPacket(this.#buf, 0, capLen, h[3], h[0] + h[1] * 1e-6, this.linkType);
  };

  readonly #readable = (): void => {
    this.#session.dispatch(this.#buf, this.#header);
    if (this.#open) this.#onBatchEnd();
  };

  stats(): LinkStats | null {
    if (this.#open) {
      const s = this.#session.stats();
      this.#last = { received: s.ps_recv, dropped: s.ps_drop, ifDropped: s.ps_ifdrop };
    }
    return { ...this.#last };
  }

  close(): void {
    if (!this.#open) return;
    this.stats(); // last counters, before the handle goes away
    this.#open = false;
    this.#session.close();
  }
}

function ignoreWarning(_msg: string): void {
  // pcap_lookupnet fails on interfaces without IPv4 (a mirror port): harmless, no netmask for BPF.
}

/** Creates the node_pcap binding from the loaded addon. */
export const pcapBinding: BindingFactory = (mod: unknown): LiveBinding => {
  const addon = mod as PcapAddon;
  if (typeof addon.PcapSession !== 'function') throw new Error('not the node_pcap addon');
  return {
    name: 'pcap',
    capabilities: { countsDrops: true, snaplen: true, packetTimestamps: true },
    open: (iface, opts, onPacket, onBatchEnd) =>
      new PcapHandle(addon, iface, opts, onPacket, onBatchEnd),
    devices: () => addon.findalldevs().map((d) => d.name),
  };
};

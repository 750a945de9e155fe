/**
 * One small interface over the two libpcap bindings on npm (`pcap` = node_pcap 3.1, `cap` 0.2).
 * Both are CommonJS native addons and optional dependencies: they are loaded with `createRequire`
 * inside try/catch, so a machine without libpcap still runs `replay`.
 * @module
 */

import { createRequire } from 'node:module';
import type { FrameHandler } from '../types.js';
import { HomewatchError } from '../../util/errors.js';

/** The bindings we know, in order of preference (see bench/live and DEPENDENCIES.md). */
export const BINDING_NAMES = ['pcap', 'cap'] as const;
export type BindingName = (typeof BINDING_NAMES)[number];

/** How a live handle is opened. Units in names. */
export interface LiveOpenOptions {
  /** Bytes kept of each packet (libpcap snaplen). */
  snaplen: number;
  /** Kernel ring size in bytes (pcap_set_buffer_size). */
  bufferBytes: number;
  promiscuous: boolean;
  /** Deliver each packet as it arrives (pcap_set_immediate_mode) instead of in timed blocks. */
  immediate: boolean;
  /** BPF filter expression, '' for none. */
  filter: string;
}

/** libpcap's pcap_stats counters (pcap_stats(3PCAP)). */
export interface LinkStats {
  /** Packets that passed the filter. */
  received: number;
  /** Dropped because the kernel ring was full (the reader was too slow). */
  dropped: number;
  /** Dropped by the interface or its driver. */
  ifDropped: number;
}

/** An open capture handle. */
export interface LiveHandle {
  /** LINKTYPE_* number of the frames. */
  readonly linkType: number;
  /** libpcap's counters, or null when the binding cannot report them. */
  stats(): LinkStats | null;
  /** Stops delivery and releases the handle (node_pcap: at its next wake-up; see pcap-binding). */
  close(): void;
}

/** What a binding can and cannot do, for messages and the bench. */
export interface BindingCapabilities {
  /** pcap_stats is bound: drops are visible. */
  countsDrops: boolean;
  /** snaplen is honoured (cap fixes it at 65535). */
  snaplen: boolean;
  /** Timestamps come from libpcap (else the wall clock at delivery, in ms). */
  packetTimestamps: boolean;
}

/** A loaded binding. */
export interface LiveBinding {
  readonly name: BindingName;
  readonly capabilities: BindingCapabilities;
  /**
   * Opens a live capture. `onPacket` is called synchronously for every packet with the same
   * arguments as a FrameHandler (the buffer is reused); `onBatchEnd` after each burst the binding
   * delivered in one event-loop turn. Throws the binding's own Error on failure (see errors.ts).
   */
  open(
    iface: string,
    opts: LiveOpenOptions,
    onPacket: FrameHandler,
    onBatchEnd: () => void,
  ): LiveHandle;
  /** Interface names libpcap can open (pcap_findalldevs), or null. */
  devices(): string[] | null;
}

/** A factory given the module that `require` returned. */
export type BindingFactory = (mod: unknown) => LiveBinding;

/** What `require` is given for each binding (tests pass others to check the missing-module error). */
export const MODULE_PATHS: Readonly<Record<BindingName, string>> = {
  // The addon itself: node_pcap's pcap.js wrapper allocates an object per packet.
  pcap: 'pcap/build/Release/pcap_binding',
  cap: 'cap',
};

const require = createRequire(import.meta.url);

/** The one-line fix printed when no binding loads. */
export const MODULE_FIX =
  'install libpcap0.8 (Debian: apt-get install libpcap0.8; to build: libpcap-dev) and run npm rebuild pcap';

/**
 * Loads a binding by name, or the first that loads in BINDING_NAMES order, from `paths`.
 * Throws ERR_CAPTURE_MODULE naming the fix when none (or not the requested one) loads.
 */
export function loadBinding(
  factories: Record<BindingName, BindingFactory>,
  name?: BindingName,
  paths: Readonly<Record<BindingName, string>> = MODULE_PATHS,
): LiveBinding {
  const names = name ? [name] : BINDING_NAMES;
  const problems: string[] = [];
  for (const n of names) {
    try {
      return factories[n](require(paths[n]));
    } catch (err) {
      problems.push(`${n}: ${firstLine(err)}`);
    }
  }
  throw new HomewatchError(
    'ERR_CAPTURE_MODULE',
    `live capture module not available (${problems.join('; ')}): ${MODULE_FIX.replace(
      'npm rebuild pcap',
      `npm rebuild ${name ?? 'pcap'}`,
    )}`,
  );
}

/** Maps the link-type string both addons return for pcap_datalink() to a LINKTYPE_* number. */
export function linkTypeFromName(name: string): number {
  switch (name) {
    case 'LINKTYPE_ETHERNET':
    case 'ETHERNET':
      return 1;
    case 'LINKTYPE_NULL':
    case 'NULL':
      return 0;
    case 'LINKTYPE_RAW':
    case 'RAW':
      return 101;
    case 'LINKTYPE_LINUX_SLL':
      return 113;
    case 'LINKTYPE_IEEE802_11_RADIO':
    case 'IEEE802_11_RADIO':
      return 127;
    default: {
      // "Unknown linktype N": N is a DLT_* value; above 104 DLT and LINKTYPE numbers agree.
      const m = /(\d+)\s*$/.exec(name);
      return m ? Number(m[1]) : -1;
    }
  }
}

function firstLine(err: unknown): string {
  const msg = err instanceof Error ? err.message : String(err);
  return msg.split('\n', 1)[0];
}

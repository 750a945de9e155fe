/**
 * Which MACs become devices, and how a new device starts (the registry, registry.ts, asks on a
 * MAC it has not seen). A device is a unicast, non-zero MAC; at most `maxDevices` are kept, and
 * MACs beyond are refused: each counted once (up to MAX_REFUSED_TRACKED distinct), every packet
 * from them counted too. A new device gets its vendor from the OUI registry (or the caller's
 * `vendorOf`) and the registry's per-device bounds.
 * @module
 */
import { isGroupMac } from '../decode/addr.js';
import { Device } from './device.js';
import type { HistoryLimits } from './history.js';
import type { ResolvedRegistryOptions } from './registry-options.js';

/** Distinct refused MACs remembered (to count each once). */
const MAX_REFUSED_TRACKED = 65536;

export function isUnicastMac(mac: number): boolean {
  return mac !== 0 && !isGroupMac(mac);
}

export class DeviceAdmission {
  /** Distinct new MACs refused because maxDevices was reached. */
  refused = 0;
  /** Packets whose new source MAC was refused. */
  refusedPackets = 0;
  readonly maxDevices: number;
  /** IPv4 and IPv6 addresses kept per device, each. */
  readonly maxIps: number;
  readonly history: HistoryLimits;
  readonly #vendorOf: (mac: number) => string;
  readonly #refusedMacs = new Set<number>();

  constructor(o: ResolvedRegistryOptions) {
    this.maxDevices = o.maxDevices;
    this.maxIps = o.maxIps;
    this.history = o.history;
    this.#vendorOf = o.vendorOf;
  }

  /**
   * A new device for `mac`, first seen at `ts`, with id `id` (the number of devices kept so far);
   * null when `mac` is not a device's or is refused (counted).
   */
  admit(mac: number, ts: number, id: number): Device | null {
    if (!isUnicastMac(mac)) return null;
    if (id >= this.maxDevices) {
      this.refusedPackets++;
      if (!this.#refusedMacs.has(mac) && this.#refusedMacs.size < MAX_REFUSED_TRACKED) {
        this.#refusedMacs.add(mac);
        this.refused++;
      }
      return null;
    }
    return new Device({
      id,
      mac,
      vendor: this.#vendorOf(mac),
      firstSeen: ts,
      maxIps: this.maxIps,
      history: this.history,
    });
  }
}

/**
 * DeviceRegistry's options (registry.ts): what a caller may set, the defaults, and the check,
 * done once when the registry is built (a wrong bound is ERR_USAGE, never a registry that
 * misbehaves later).
 * @module
 */
import { HomewatchError } from '../util/errors.js';
import { DEFAULT_HISTORY_LIMITS, type HistoryLimits } from './history.js';
import type { LanMatcher } from './lan.js';
import { lookupVendor } from './oui.js';

export interface DeviceRegistryOptions {
  lan: LanMatcher;
  /** Most devices kept; packets from further new MACs are refused and counted (default 4096). */
  maxDevices?: number;
  /** IPv4 and IPv6 addresses kept per device, each (default 16; oldest dropped). */
  maxIpsPerFamily?: number;
  history?: Partial<HistoryLimits>;
  /** Vendor for a MAC (default: the offline IEEE registry). */
  vendorOf?: (mac: number) => string;
}

/** The options with every default filled in and every bound checked. */
export interface ResolvedRegistryOptions {
  lan: LanMatcher;
  maxDevices: number;
  maxIps: number;
  history: HistoryLimits;
  vendorOf: (mac: number) => string;
}

function defaultVendor(mac: number): string {
  return lookupVendor(mac).vendor;
}

/** Fills in the defaults; ERR_USAGE on a bound that is not a positive integer. */
export function resolveRegistryOptions(opts: DeviceRegistryOptions): ResolvedRegistryOptions {
  const maxDevices = opts.maxDevices ?? 4096;
  const maxIps = opts.maxIpsPerFamily ?? 16;
  if (!Number.isInteger(maxDevices) || maxDevices < 1) {
    throw new HomewatchError(
      'ERR_USAGE',
      `maxDevices must be a positive integer, got ${maxDevices}`,
    );
  }
  if (!Number.isInteger(maxIps) || maxIps < 1) {
    throw new HomewatchError(
      'ERR_USAGE',
      `maxIpsPerFamily must be a positive integer, got ${maxIps}`,
    );
  }
  return {
    lan: opts.lan,
    maxDevices,
    maxIps,
    history: { ...DEFAULT_HISTORY_LIMITS, ...opts.history },
    vendorOf: opts.vendorOf ?? defaultVendor,
  };
}

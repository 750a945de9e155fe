/**
 * Devices stage: MAC ↔ device (IPs, names, vendor, gateway, kind) and the offline OUI lookup.
 * @module
 */
export { Device, NameRank, type NameSource } from './device.js';
export {
  DEVICE_KINDS,
  type DeviceKind,
  deviceTitle,
  isDeviceKind,
  KIND_LABELS,
  shortVendor,
  type TitledDevice,
} from './kinds.js';
export { BoundedKeySet, DeviceHistory, type HistoryEntry, type HistoryLimits } from './history.js';
export {
  LanMatcher,
  isBroadcast4,
  isMulticast4,
  isMulticast6,
  isSpecial4,
  isSpecial6,
  parseCidr,
  parseIpv6,
} from './lan.js';
export { MAX_NAME_LENGTH, sanitizeName } from './names.js';
export { lookupVendor, ouiTable, type VendorInfo } from './oui.js';
export { DeviceRegistry } from './registry.js';
export type { DeviceRegistryOptions } from './registry-options.js';
export { type DeviceRegistrySnapshot, type DeviceSnapshot, SNAPSHOT_VERSION } from './snapshot.js';

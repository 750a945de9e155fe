/**
 * What a device profile is made of: device kinds, vendors (OUI, DHCP identity, cloud
 * endpoints, mDNS/SSDP identity) and the activities a kind runs, with the helpers the
 * profile tables are written with.
 * @module
 */

export type DeviceKind =
  | 'camera'
  | 'plug'
  | 'speaker'
  | 'phone'
  | 'laptop'
  | 'vacuum'
  | 'hub'
  | 'tv'
  | 'toy'
  | 'lock'
  | 'printer'
  | 'thermostat';

export interface Vendor {
  name: string;
  ouis: readonly number[];
  /** DHCP option 12; `#` is replaced by hex digits of the MAC. */
  hostname: string;
  /** DHCP option 60, or null when the vendor's client sends none. */
  vendorClass: string | null;
  /** Cloud host names the device talks to (first one is its main endpoint). */
  cloud: readonly string[];
  cloudPort: number;
  mdnsService: string | null;
  ssdpServer: string | null;
  userAgent: string;
  /** Product name for mDNS instance names and UPnP descriptions (scenario homes). */
  model: string;
}

/** Activities a device type runs, by name (see activities.ts), with first delay and period (s). */
export interface ActivitySpec {
  activity: string;
  firstS: readonly [number, number];
  everyS: readonly [number, number];
  /**
   * Hours of the day (UTC of packet time, from ≤ h < to) the activity runs in; outside them a
   * due run is skipped (`--daily`). Absent: at any hour.
   */
  hoursUtc?: readonly [number, number];
}

export interface Profile {
  kind: DeviceKind;
  vendors: readonly Vendor[];
  /** Share of this type's TCP flows that use IPv6 (0 = IPv4-only device). */
  ipv6Share: number;
  activities: readonly ActivitySpec[];
}

export const UDHCP = 'udhcp 1.24.1';
const EMBEDDED_UA = 'Linux/3.10 UPnP/1.0';

export function v(
  name: string,
  ouis: number[],
  hostname: string,
  vendorClass: string | null,
  cloud: string[],
  extra: Partial<
    Pick<Vendor, 'cloudPort' | 'mdnsService' | 'ssdpServer' | 'userAgent' | 'model'>
  > = {},
): Vendor {
  return {
    name,
    ouis,
    hostname,
    vendorClass,
    cloud,
    cloudPort: extra.cloudPort ?? 443,
    mdnsService: extra.mdnsService ?? null,
    ssdpServer: extra.ssdpServer ?? null,
    userAgent: extra.userAgent ?? EMBEDDED_UA,
    model: extra.model ?? name,
  };
}

export const a = (
  activity: string,
  firstS: [number, number],
  everyS: [number, number],
): ActivitySpec => ({
  activity,
  firstS,
  everyS,
});

export const COMMON = [
  a('dhcpRenew', [1800, 1800], [1800, 1800]),
  a('arpRefresh', [60, 300], [240, 600]),
];

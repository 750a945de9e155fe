/**
 * What a device is: the closed vocabulary of device kinds (README, "Device kinds"), their labels
 * for people, and the way an alert sentence names a device.
 *
 * @example
 * deviceTitle({ kind: 'vacuum', vendor: 'Beijing Roborock Technology Co., Ltd.', ips: ['192.168.1.23'], mac: '50:ec:50:01:02:03' })
 * // → 'Robot vacuum (Roborock, 192.168.1.23)'
 * @module
 */

/** Every kind a device can be; `unknown` when the evidence is too weak or contradictory. */
export const DEVICE_KINDS = [
  'phone',
  'computer',
  'tablet',
  'tv',
  'streamer',
  'speaker',
  'camera',
  'doorbell',
  'vacuum',
  'toy',
  'lock',
  'plug',
  'light',
  'thermostat',
  'sensor',
  'hub',
  'printer',
  'appliance',
  'console',
  'wearable',
  'router',
  'unknown',
] as const;

export type DeviceKind = (typeof DEVICE_KINDS)[number];

const KIND_SET: ReadonlySet<string> = new Set(DEVICE_KINDS);

export function isDeviceKind(v: unknown): v is DeviceKind {
  return typeof v === 'string' && KIND_SET.has(v);
}

/** What a person calls each kind, capitalised for the start of a sentence. */
export const KIND_LABELS: Readonly<Record<DeviceKind, string>> = {
  phone: 'Phone',
  computer: 'Computer',
  tablet: 'Tablet',
  tv: 'TV',
  streamer: 'Streaming player',
  speaker: 'Smart speaker',
  camera: 'Camera',
  doorbell: 'Doorbell',
  vacuum: 'Robot vacuum',
  toy: 'Toy',
  lock: 'Smart lock',
  plug: 'Smart plug',
  light: 'Light',
  thermostat: 'Thermostat',
  sensor: 'Sensor',
  hub: 'Smart home hub',
  printer: 'Printer',
  appliance: 'Appliance',
  console: 'Game console',
  wearable: 'Wearable',
  router: 'Router',
  unknown: 'Device',
};

/** Words of registry organisation names that say nothing a person recognises. */
const VENDOR_NOISE = new Set(
  [
    'co',
    'co.',
    'ltd',
    'ltd.',
    'inc',
    'inc.',
    'corp',
    'corp.',
    'corporation',
    'company',
    'limited',
    'gmbh',
    'llc',
    'bv',
    'b.v.',
    'ag',
    'sa',
    'sas',
    'srl',
    'plc',
    'oy',
    'ab',
    'kg',
    'technology',
    'technologies',
    'tech',
    'electronics',
    'electronic',
    'international',
    'communications',
    'communication',
    'systems',
    'industries',
    'industrial',
    'software',
    'mobile',
    'entwicklung',
    'holdings',
    'group',
    'labs',
    // Cities and provinces that lead many registry names ("Beijing Roborock Technology").
    'beijing',
    'shanghai',
    'shenzhen',
    'hangzhou',
    'guangdong',
    'guangzhou',
    'qingdao',
    'suzhou',
    'dongguan',
    'chengdu',
    'xiamen',
    'zhejiang',
    'jiangsu',
    'ningbo',
    'wuhan',
    'nanjing',
    'huizhou',
  ].map((w) => w.toLowerCase()),
);

/**
 * A registry organisation name as a person says it: `Beijing Roborock Technology Co., Ltd.` →
 * `Roborock`, `Sonos, Inc.` → `Sonos`, `eQ-3 Entwicklung GmbH` → `eQ-3`. '' stays ''.
 */
export function shortVendor(vendor: string): string {
  const words = vendor
    .replace(/\([^)]*\)/g, ' ')
    .split(/[\s,]+/)
    .filter((w) => w !== '' && !VENDOR_NOISE.has(w.toLowerCase()));
  const short = words.slice(0, 3).join(' ');
  return short !== '' ? short : vendor.trim().slice(0, 24);
}

/** What `deviceTitle` needs of a device (a `device` record has all of it). */
export interface TitledDevice {
  kind: DeviceKind;
  vendor: string;
  mac: string;
  ips: readonly string[];
}

/**
 * How a sentence names a device: its kind's label with the vendor and first address, or the
 * vendor when the kind is unknown, or its MAC when nothing else is known.
 *
 * - `Robot vacuum (Roborock, 192.168.1.23)`
 * - `Belkin device (192.168.1.40)` (kind unknown)
 * - `Device 02:11:22:33:44:55 (192.168.1.77)` (kind and vendor unknown)
 */
export function deviceTitle(d: TitledDevice): string {
  const vendor = shortVendor(d.vendor);
  const ip = d.ips[0] ?? '';
  if (d.kind !== 'unknown') {
    const inside = [vendor, ip].filter((s) => s !== '').join(', ');
    return inside === '' ? KIND_LABELS[d.kind] : `${KIND_LABELS[d.kind]} (${inside})`;
  }
  const head = vendor !== '' ? `${vendor} device` : `Device ${d.mac}`;
  return ip === '' ? head : `${head} (${ip})`;
}

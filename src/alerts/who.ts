/**
 * A device in words for an alert sentence: what it is, then vendor and address —
 * "Robot vacuum (Roborock, 192.168.1.23)", or "Shanghai Imilab device 'chuangmi' (192.168.1.165)"
 * when its kind is unknown.
 * @module
 */
import type { Device } from '../devices/device.js';

const KIND_LABELS: Readonly<Record<string, string>> = {
  phone: 'Phone',
  computer: 'Computer',
  tablet: 'Tablet',
  tv: 'TV',
  streamer: 'Streaming stick',
  speaker: 'Smart speaker',
  camera: 'Camera',
  doorbell: 'Doorbell',
  vacuum: 'Robot vacuum',
  toy: 'Smart toy',
  lock: 'Smart lock',
  plug: 'Smart plug',
  light: 'Smart light',
  thermostat: 'Thermostat',
  sensor: 'Sensor',
  hub: 'Smart-home hub',
  printer: 'Printer',
  appliance: 'Appliance',
  console: 'Game console',
  wearable: 'Wearable',
  router: 'Router',
};

/** Company suffixes and words that add nothing in a sentence. */
const NOISE =
  /[,.]?\s+(co\.?,?\s*ltd\.?|ltd\.?|inc\.?|corp\.?|corporation|company|limited|llc|gmbh|s\.?a\.?|ag|b\.?v\.?|plc|technology|technologies|electronics|international|holdings?|group)\b\.?/gi;
const PLACES =
  /^(beijing|shanghai|shenzhen|hangzhou|guangzhou|guangdong|chongqing|xiamen|qingdao|suzhou|nanjing|wuhan|zhejiang|jiangsu|tianjin)\s+/i;

/** "Beijing Roborock Technology Co., Ltd." → "Roborock". */
export function shortVendor(vendor: string): string {
  let v = vendor.trim();
  for (let i = 0; i < 3; i++) v = v.replace(NOISE, '').trim();
  v = v.replace(PLACES, '').replace(/[,.\s]+$/, '');
  return v || vendor.trim();
}

export function kindLabel(kind: string): string | undefined {
  return KIND_LABELS[kind];
}

export function who(d: Device, kind = 'unknown'): string {
  const vendor = d.vendor ? shortVendor(d.vendor) : '';
  const ip = d.ipList()[0] ?? d.macStr;
  const label = KIND_LABELS[kind];
  const name = d.name ? ` '${d.name}'` : '';
  if (label !== undefined) return `${label}${name} (${vendor ? `${vendor}, ` : ''}${ip})`;
  if (d.isGateway) return `The router${name} (${vendor ? `${vendor}, ` : ''}${ip})`;
  if (vendor) return `${vendor} device${name} (${ip})`;
  return `Device ${d.macStr}${name} (${ip})`;
}

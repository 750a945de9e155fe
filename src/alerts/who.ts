/**
 * A device in words for an alert sentence: what it is (its kind, src/devices/kinds.ts), its
 * name if it has one, then vendor and address — "Robot vacuum (Roborock, 192.168.1.23)",
 * "Camera 'chuangmi' (Imilab, 192.168.1.165)", or "Belkin device (192.168.1.40)" when its kind
 * is unknown.
 * @module
 */
import type { Device } from '../devices/device.js';
import { KIND_LABELS, shortVendor } from '../devices/kinds.js';

export function who(d: Device): string {
  const vendor = d.vendor ? shortVendor(d.vendor) : '';
  const ip = d.ipList()[0] ?? '';
  const name = d.name ? ` '${d.name}'` : '';
  if (d.kind !== 'unknown') {
    const inside = [vendor, ip].filter((s) => s !== '').join(', ');
    return `${KIND_LABELS[d.kind]}${name}${inside ? ` (${inside})` : ''}`;
  }
  const head = vendor !== '' ? `${vendor} device` : `Device ${d.macStr}`;
  return `${head}${name}${ip ? ` (${ip})` : ''}`;
}

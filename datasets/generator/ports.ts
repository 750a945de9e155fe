/**
 * Ports to avoid when a port is drawn at random: those Wireshark 4.0 hands to a dissector
 * by number (`tshark -G decodes`, tcp.port and udp.port, 1024 and up). A random port that
 * landed on one would make tshark read filler as, say, X11 and call it malformed.
 * @module
 */
import type { Rng } from './prng.js';

const RANGES: readonly (readonly [number, number])[] = [
  [1024, 5999], // dense with registered ports below 6000; drawn ports stay above
  [6000, 6160],
  [6343, 6346],
  [6379, 6379],
  [6417, 6417],
  [6543, 6543],
  [6635, 6635],
  [6653, 6696],
  [6784, 6784],
  [6881, 6889],
  [6970, 7010],
  [7021, 7021],
  [7074, 7075],
  [7171, 7172],
  [7236, 7276],
  [7784, 7784],
  [7871, 7930],
  [8000, 8200],
  [8211, 8211],
  [8554, 8614],
  [8755, 8767],
  [8805, 8805],
  [8848, 8848],
  [8883, 8883],
  [9000, 9009],
  [9042, 9092],
  [9168, 9418],
  [9600, 9600],
  [9875, 10500],
  [11207, 11371],
  [11898, 11898],
  [12000, 12223],
  [13400, 13910],
  [14001, 14001],
  [15740, 15740],
  [17220, 17220],
  [17500, 17500],
  [17754, 17756],
  [18246, 18246],
  [19006, 20561],
  [21064, 21064],
  [22222, 22222],
  [23272, 23272],
  [24576, 24800],
  [25826, 27963],
  [29418, 30200],
  [32000, 32512],
  [34962, 34980],
  [37008, 37008],
  [41170, 41170],
  [44321, 44322],
  [44818, 44818],
  [45564, 45564],
  [47000, 47000],
  [47808, 48898],
  [49999, 49999],
  [54328, 54328],
  [56000, 60001],
];

export function dissectedPort(p: number): boolean {
  for (const [lo, hi] of RANGES) if (p >= lo && p <= hi) return true;
  return false;
}

/** A port in [lo, hi] that tshark decodes as nothing in particular. */
export function quietPort(r: Rng, lo: number, hi: number): number {
  for (;;) {
    const p = r.int(lo, hi);
    if (!dissectedPort(p)) return p;
  }
}

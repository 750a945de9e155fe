/**
 * Internet-side material the injectors share: random public addresses (as a Mirai scanner
 * draws them, skipping private, reserved and the ranges its source leaves out), host names
 * nobody in the home ever looked up, and bare addresses.
 * @module
 */
import type { Rng } from '../prng.js';
import type { Host, Sim } from '../sim.js';

/** First octets Mirai's get_random_ip() skips, plus reserved and multicast space. */
const SKIP_FIRST = new Set([
  0, 3, 6, 7, 10, 11, 15, 16, 21, 22, 26, 28, 29, 30, 33, 55, 56, 127, 214, 215,
]);

/** A random routable unicast IPv4 address. */
export function randomPublicIp(r: Rng): number {
  for (;;) {
    const a = r.int(1, 223);
    const b = r.int(0, 255);
    if (SKIP_FIRST.has(a)) continue;
    if (a === 100 && b >= 64 && b < 128) continue; // CGN
    if (a === 169 && b === 254) continue;
    if (a === 172 && b >= 16 && b < 32) continue;
    if (a === 192 && b === 168) continue;
    if (a === 198 && (b === 18 || b === 19)) continue;
    return ((a << 24) | (b << 16) | (r.int(0, 255) << 8) | r.int(1, 254)) >>> 0;
  }
}

/**
 * A random global IPv6 address, drawn as the run's internet hosts are (under
 * 2001:db8:f000::/36, outside the home's prefix 2001:db8:4a1:100::/64).
 */
export function randomPublicIp6(r: Rng): Uint8Array {
  const ip = new Uint8Array(16);
  ip.set([0x20, 0x01, 0x0d, 0xb8, 0xf0 | r.int(0, 15), r.int(0, 255)]);
  for (let i = 6; i < 16; i++) ip[i] = r.int(0, 255);
  return ip;
}

/**
 * An internet host at an address no name of the home resolved to: a bare IP, drawn like
 * every other server address (so that only its use, not its numbers, sets it apart).
 */
export function bareHost(sim: Sim): Host {
  for (;;) {
    const h = sim.freshHost('');
    if (!sim.knownAddress(h.ip4)) return h;
  }
}

const SYLLABLES = [
  'cdn',
  'api',
  'sync',
  'upd',
  'cloud',
  'node',
  'edge',
  'data',
  'link',
  'net',
  'srv',
  'io',
];
const STEMS = [
  'vortex',
  'nimbus',
  'kraken',
  'falcon',
  'zephyr',
  'onyx',
  'quartz',
  'ember',
  'pivot',
  'relay',
  'orbit',
  'cobalt',
];
const TLDS = ['com', 'net', 'org', 'xyz', 'top', 'info', 'cc', 'io', 'ru', 'online'];

/** A plausible host name under a domain nobody in the home uses: a new endpoint. */
export function newHostName(r: Rng): string {
  const label = `${r.pick(STEMS)}${r.chance(0.6) ? r.int(2, 999) : ''}`;
  return `${r.pick(SYLLABLES)}${r.chance(0.3) ? '-' + r.int(1, 9) : ''}.${label}.${r.pick(TLDS)}`;
}

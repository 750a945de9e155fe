/**
 * Which addresses belong to the home network. A device is a MAC that sends from a local address
 * (DESIGN.md, "Devices"); everything that is neither local nor multicast/broadcast nor
 * unspecified/loopback is remote (the internet, reached through the gateway).
 *
 * Built-in local ranges: RFC 1918 (10/8, 172.16/12, 192.168/16), IPv4 link-local 169.254/16
 * (RFC 3927), IPv6 link-local fe80::/10 (RFC 4291 §2.5.6) and unique local fc00::/7 (RFC 4193),
 * plus every `--lan CIDR` the user configures.
 *
 * @example
 * const lan = new LanMatcher(['100.64.0.0/10', '2001:db8:1::/48']);
 * lan.isLocal4(parseIpv4('100.64.1.2')); // true
 * @module
 */
import { ipv6ToString, parseIpv4 } from '../decode/addr.js';
import { HomewatchError } from '../util/errors.js';

/** 224.0.0.0/4 (RFC 5771). */
export function isMulticast4(ip: number): boolean {
  return ip >>> 28 === 0xe;
}

/** 255.255.255.255, the limited broadcast (RFC 919); `ip` unsigned or int32. */
export function isBroadcast4(ip: number): boolean {
  return (ip | 0) === -1;
}

/** ff00::/8 (RFC 4291 §2.7). */
export function isMulticast6(words: Uint32Array): boolean {
  return words[0] >>> 24 === 0xff;
}

/**
 * Never remote whatever the LAN: multicast, limited broadcast, 0.0.0.0/8 ("this network", e.g.
 * a DHCP client before it has an address, RFC 1122 §3.2.1.3) and loopback 127.0.0.0/8.
 */
export function isSpecial4(ip: number): boolean {
  const a = ip >>> 24;
  return a >= 224 || a === 0 || a === 127; // 224/4 multicast and 240/4 reserved incl. broadcast
}

/** Never remote: ff00::/8 multicast, :: (unspecified) and ::1 (loopback). */
export function isSpecial6(w: Uint32Array): boolean {
  return w[0] >>> 24 === 0xff || (w[0] === 0 && w[1] === 0 && w[2] === 0 && w[3] <= 1);
}

/** A parsed CIDR: IPv4 `base`/`mask` as int32, IPv6 as four words each. */
export type Cidr =
  | { family: 4; text: string; prefix: number; base: number; mask: number }
  | { family: 6; text: string; prefix: number; base: Uint32Array; mask: Uint32Array };

/** Parses IPv6 text (RFC 4291 §2.2, including `::` and a dotted IPv4 tail) into four words. */
export function parseIpv6(text: string): Uint32Array | null {
  if (text.length === 0 || text.length > 45 || text.includes('%')) return null;
  const halves = text.split('::');
  if (halves.length > 2) return null;
  const toGroups = (part: string): number[] | null => {
    if (part === '') return [];
    const out: number[] = [];
    const items = part.split(':');
    for (let i = 0; i < items.length; i++) {
      const item = items[i];
      if (i === items.length - 1 && item.includes('.')) {
        const v4 = parseIpv4(item);
        if (Number.isNaN(v4)) return null;
        out.push(v4 >>> 16, v4 & 0xffff);
      } else {
        if (!/^[0-9a-f]{1,4}$/i.test(item)) return null;
        out.push(parseInt(item, 16));
      }
    }
    return out;
  };
  const head = toGroups(halves[0]);
  const tail = halves.length === 2 ? toGroups(halves[1]) : [];
  if (head === null || tail === null) return null;
  let groups: number[];
  if (halves.length === 2) {
    const fill = 8 - head.length - tail.length;
    if (fill < 1) return null;
    groups = [...head, ...new Array<number>(fill).fill(0), ...tail];
  } else {
    groups = head;
  }
  if (groups.length !== 8) return null;
  const words = new Uint32Array(4);
  for (let i = 0; i < 4; i++) words[i] = ((groups[2 * i] << 16) | groups[2 * i + 1]) >>> 0;
  return words;
}

function usage(cidr: string, problem: string): HomewatchError {
  return new HomewatchError('ERR_USAGE', `--lan ${cidr}: ${problem}`);
}

/**
 * Parses `a.b.c.d/len` or `x:y::/len`. Throws ERR_USAGE with a message naming the CIDR and the
 * problem (missing or out-of-range prefix, bad address, host bits set).
 */
export function parseCidr(text: string): Cidr {
  const t = text.trim();
  const slash = t.indexOf('/');
  if (slash < 0) return usageFail(text, 'expected ADDRESS/PREFIX, e.g. 192.168.1.0/24 or fd00::/8');
  const addr = t.slice(0, slash);
  const lenText = t.slice(slash + 1);
  const isV6 = addr.includes(':');
  const maxLen = isV6 ? 128 : 32;
  if (!/^\d{1,3}$/.test(lenText) || Number(lenText) > maxLen) {
    return usageFail(text, `prefix length must be a number from 0 to ${maxLen}`);
  }
  const prefix = Number(lenText);
  if (!isV6) {
    const ip = parseIpv4(addr);
    if (Number.isNaN(ip)) return usageFail(text, `'${addr}' is not an IPv4 address`);
    const mask = prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) | 0;
    const base = ip & mask;
    if (base !== (ip | 0)) {
      return usageFail(text, `host bits set; did you mean ${ipText4(base >>> 0)}/${prefix}?`);
    }
    return { family: 4, text: `${addr}/${prefix}`, prefix, base, mask };
  }
  const words = parseIpv6(addr);
  if (words === null) return usageFail(text, `'${addr}' is not an IPv6 address`);
  const mask = new Uint32Array(4);
  for (let i = 0; i < 4; i++) {
    const bits = Math.max(0, Math.min(32, prefix - 32 * i));
    mask[i] = bits === 0 ? 0 : (0xffffffff << (32 - bits)) >>> 0;
  }
  const base = new Uint32Array(4);
  for (let i = 0; i < 4; i++) base[i] = (words[i] & mask[i]) >>> 0;
  if (base.some((w, i) => w !== words[i])) {
    return usageFail(text, `host bits set below /${prefix}`);
  }
  return { family: 6, text: `${addr}/${prefix}`, prefix, base, mask };
}

function usageFail(cidr: string, problem: string): never {
  throw usage(cidr, problem);
}

function ipText4(ip: number): string {
  return `${ip >>> 24}.${(ip >>> 16) & 0xff}.${(ip >>> 8) & 0xff}.${ip & 0xff}`;
}

/** Learned IPv6 /64 prefixes kept at most (a home has one, a few with guest networks). */
export const MAX_LEARNED6 = 16;

/**
 * Decides local / remote for IPv4 and IPv6 addresses. The built-in and `--lan` ranges are fixed
 * once built; the home's global IPv6 /64 prefixes are added as they are learned (`learn6`).
 */
export class LanMatcher {
  /** The user's CIDRs as given (normalised), for messages and state. */
  readonly extra: readonly string[];
  readonly #base4: Int32Array;
  readonly #mask4: Int32Array;
  /** Per IPv6 CIDR: 4 base words then 4 mask words. */
  readonly #net6: Uint32Array;
  readonly #n6: number;
  /** Learned /64 prefixes: their first two words each. */
  readonly #learned6 = new Uint32Array(2 * MAX_LEARNED6);
  #nLearned6 = 0;

  /** @param cidrs extra local ranges (`--lan`); each is validated, a bad one throws ERR_USAGE. */
  constructor(cidrs: readonly string[] = []) {
    const parsed = cidrs.map(parseCidr);
    const v4 = parsed.filter((c) => c.family === 4);
    const v6 = parsed.filter((c) => c.family === 6);
    this.extra = parsed.map((c) => c.text);
    this.#base4 = Int32Array.from(v4, (c) => c.base);
    this.#mask4 = Int32Array.from(v4, (c) => c.mask);
    this.#n6 = v6.length;
    this.#net6 = new Uint32Array(8 * v6.length);
    v6.forEach((c, i) => {
      this.#net6.set(c.base, 8 * i);
      this.#net6.set(c.mask, 8 * i + 4);
    });
  }

  /**
   * `ip` is an IPv4 address as an unsigned or signed (int32) 32-bit number. A few integer
   * comparisons, no allocation.
   */
  isLocal4(ip: number): boolean {
    const a = ip >>> 24;
    if (a === 10) return true; // 10/8
    const ab = ip >>> 16;
    if (ab === 0xc0a8 || ab === 0xa9fe) return true; // 192.168/16, 169.254/16
    if (ip >>> 20 === 0xac1) return true; // 172.16/12
    const base = this.#base4;
    for (let i = 0; i < base.length; i++) {
      if ((ip & this.#mask4[i]) === base[i]) return true;
    }
    return false;
  }

  /** `w` holds the address as four big-endian words. */
  isLocal6(w: Uint32Array): boolean {
    const w0 = w[0];
    if (w0 >>> 22 === 0x3fa) return true; // fe80::/10
    if (w0 >>> 25 === 0x7e) return true; // fc00::/7
    const net = this.#net6;
    for (let i = 0, o = 0; i < this.#n6; i++, o += 8) {
      if (
        (w0 & net[o + 4]) >>> 0 === net[o] &&
        (w[1] & net[o + 5]) >>> 0 === net[o + 1] &&
        (w[2] & net[o + 6]) >>> 0 === net[o + 2] &&
        (w[3] & net[o + 7]) >>> 0 === net[o + 3]
      ) {
        return true;
      }
    }
    const learned = this.#learned6;
    for (let i = 0, o = 0; i < this.#nLearned6; i++, o += 2) {
      if (w0 === learned[o] && w[1] === learned[o + 1]) return true;
    }
    return false;
  }

  /**
   * Adds the /64 of `w`, a global unicast address (2000::/3) the router delivered to a LAN
   * device (the registry decides that), to the local ranges. The home's global IPv6 prefix is
   * its ISP's and changes with it, so it cannot be configured once: a dual-stack device's
   * traffic from its global address would otherwise be nobody's. Only a prefix the router
   * delivers into the LAN is learned — a device forging source addresses gets no replies — and
   * at most MAX_LEARNED6. True when the prefix is new and was added.
   */
  learn6(w: Uint32Array): boolean {
    if (w[0] >>> 29 !== 1 || this.#nLearned6 >= MAX_LEARNED6 || this.isLocal6(w)) return false;
    const o = 2 * this.#nLearned6++;
    this.#learned6[o] = w[0];
    this.#learned6[o + 1] = w[1];
    return true;
  }

  /** The learned prefixes, as `2001:db8:4a1:100::/64`, in the order they were learned. */
  learnedPrefixes6(): string[] {
    const out: string[] = [];
    for (let i = 0; i < this.#nLearned6; i++) {
      const prefix = Uint32Array.of(this.#learned6[2 * i], this.#learned6[2 * i + 1], 0, 0);
      out.push(`${ipv6ToString(prefix)}/64`);
    }
    return out;
  }

  /**
   * Remote = beyond the gateway: not local, not multicast, not broadcast or reserved 240/4,
   * not 0/8 or 127/8.
   * LAN multicast (SSDP, mDNS) and broadcast are therefore neither local nor remote.
   */
  isRemote4(ip: number): boolean {
    return !this.isLocal4(ip) && !isSpecial4(ip);
  }

  /** Remote = not local, not ff00::/8, not :: or ::1. */
  isRemote6(w: Uint32Array): boolean {
    return !this.isLocal6(w) && !isSpecial6(w);
  }
}

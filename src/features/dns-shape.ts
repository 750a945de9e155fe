/**
 * The shape of a queried DNS name, for the DNS features and evidence: its registrable domain,
 * its longest label and the Shannon entropy of its subdomain part.
 *
 * - Names arrive in presentation form (decode/app/dns-name.ts: lower case, `\.`, `\\` and
 *   `\ddd` escapes); lengths and entropy are taken over the octets on the wire, so a binary
 *   label (iodine's raw encoding) counts one character per octet, letters in lower case (names
 *   compare case-insensitively, and resolvers may randomise case: DNS 0x20).
 * - The registrable domain is the public suffix plus one label, by the Public Suffix List
 *   including its private section (npm `tldts`, offline): `a.b.example.co.uk` → `example.co.uk`,
 *   `x.duckdns.org` → `x.duckdns.org`. A name the list cannot place (an address, one label)
 *   falls back to its last two labels. An unknown top-level label counts as a suffix
 *   (`t.pirate.sea` → `pirate.sea`).
 * - The subdomain part is what is left of the registrable domain, without its dots: where a
 *   tunnel puts its data (`<data>.t.example.com`). Under a top-level label that is no public
 *   suffix at all (`<data>.pirate.sea`, dnscat's direct `dnscat.<hex>`), the whole name is taken,
 *   since nobody registered anything there. Its entropy, bits per octet, is reported only when
 *   it has at least `MIN_ENTROPY_OCTETS` octets (`www`, `api-eu` say nothing) and the name is not
 *   a reverse-lookup name under `.arpa` (whose nibble labels are not chosen by anyone).
 * @module
 */
import { createRequire } from 'node:module';

/**
 * tldts, required lazily at the first name: loaded through Node's CommonJS path it costs ~10 ms
 * of start-up, through the ESM-to-CommonJS interop of a static import ~40 ms, which every
 * replay without DNS would pay for nothing.
 */
let tldts: typeof import('tldts') | null = null;
function publicSuffixList(): typeof import('tldts') {
  tldts ??= createRequire(import.meta.url)('tldts') as typeof import('tldts');
  return tldts;
}

/**
 * Loads the public suffix list now: the live agent calls it before it drops root, since the
 * install may not be readable by the user it runs as afterwards.
 */
export function preloadPublicSuffixList(): void {
  publicSuffixList();
}

/** Shortest subdomain part (octets, dots excluded) whose entropy is reported. */
export const MIN_ENTROPY_OCTETS = 10;

const TLDTS_OPTIONS = {
  allowPrivateDomains: true,
  extractHostname: false,
  validateHostname: false,
  detectIp: true,
} as const;

export interface NameShape {
  /** Registrable domain ('' for the root). */
  domain: string;
  /** Longest label, octets. */
  longestLabel: number;
  /** Shannon entropy of the subdomain part, bits per octet; 0 when too short or absent. */
  entropy: number;
}

const counts = new Int32Array(256);
const seen = new Uint8Array(256);
const used: number[] = [];

/** The octets of presentation-form `text[from, to)` into `counts`; returns how many. */
function tally(text: string, from: number, to: number, longest: { v: number }): number {
  let n = 0;
  let label = 0;
  for (let i = from; i < to; i++) {
    let c = text.charCodeAt(i);
    if (c === 0x2e) {
      if (label > longest.v) longest.v = label;
      label = 0;
      continue;
    }
    if (c === 0x5c && i + 1 < to) {
      const d = text.charCodeAt(i + 1);
      if (d >= 0x30 && d <= 0x39 && i + 3 < to) {
        c = Number(text.slice(i + 1, i + 4)) & 0xff;
        i += 3;
      } else {
        c = d;
        i++;
      }
    }
    c &= 0xff;
    if (seen[c] === 0) {
      seen[c] = 1;
      used.push(c);
    }
    counts[c]++;
    label++;
    n++;
  }
  if (label > longest.v) longest.v = label;
  return n;
}

function entropyOf(n: number): number {
  let h = 0;
  for (const c of used) {
    const p = counts[c] / n;
    h -= p * Math.log2(p);
  }
  return h;
}

function clear(): void {
  for (const c of used) {
    counts[c] = 0;
    seen[c] = 0;
  }
  used.length = 0;
}

/** Whether the last registrable-domain lookup found a real public suffix (ICANN or private). */
let knownSuffix = false;

/** Registrable domain of a presentation-form name (see the module comment). */
export function registrableDomain(name: string): string {
  const r = publicSuffixList().parse(name, TLDTS_OPTIONS);
  const d = r.domain;
  knownSuffix = r.isIcann === true || r.isPrivate === true;
  if (d !== null && d !== '' && name.endsWith(d)) return d;
  const last = name.lastIndexOf('.');
  if (last < 0) return name;
  const second = name.lastIndexOf('.', last - 1);
  return second < 0 ? name : name.slice(second + 1);
}

export function nameShape(name: string): NameShape {
  const domain = registrableDomain(name);
  const longest = { v: 0 };
  // Longest label over the whole name.
  tally(name, 0, name.length, longest);
  clear();
  let entropy = 0;
  const subEnd = knownSuffix ? name.length - domain.length - 1 : name.length;
  if (subEnd > 0 && !name.endsWith('.arpa')) {
    const ignore = { v: 0 };
    const n = tally(name, 0, subEnd, ignore);
    if (n >= MIN_ENTROPY_OCTETS) entropy = entropyOf(n);
    clear();
  }
  return { domain, longestLabel: longest.v, entropy };
}

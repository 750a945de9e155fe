/**
 * The registrable domain of a name, offline and approximately: the last two labels, or three
 * where the second-level label is a common public suffix under a country code (`co.uk`,
 * `com.cn`, `ne.jp`, …). Used to recognise the same service behind rotating addresses and
 * host names (a CDN, an NTP pool), never as a security boundary.
 * @module
 */

const SECOND_LEVEL = new Set(['co', 'com', 'net', 'org', 'gov', 'edu', 'ac', 'ne', 'or', 'go']);

/** The labels are found from the end, nothing split: `a.b.example.co.uk` → `example.co.uk`. */
export function registrableDomain(name: string): string {
  const n = (name.endsWith('.') ? name.slice(0, -1) : name).toLowerCase();
  const last = n.lastIndexOf('.');
  const second = last > 0 ? n.lastIndexOf('.', last - 1) : -1;
  if (second < 0) return n; // two labels or fewer
  const keep3 = last === n.length - 3 && SECOND_LEVEL.has(n.slice(second + 1, last));
  if (!keep3) return n.slice(second + 1);
  const third = second > 0 ? n.lastIndexOf('.', second - 1) : -1;
  return third < 0 ? n : n.slice(third + 1);
}

/** True for an IPv4 or IPv6 address literal (an HTTP Host or SNI that names no host). */
export function isAddressLiteral(host: string): boolean {
  const h = host.replace(/:\d+$/, '');
  return /^\d{1,3}(\.\d{1,3}){3}$/.test(h) || h.includes(':') || h.startsWith('[');
}

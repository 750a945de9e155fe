/**
 * The registrable domain of a name, offline and approximately: the last two labels, or three
 * where the second-level label is a common public suffix under a country code (`co.uk`,
 * `com.cn`, `ne.jp`, …). Used to recognise the same service behind rotating addresses and
 * host names (a CDN, an NTP pool), never as a security boundary.
 * @module
 */

const SECOND_LEVEL = new Set(['co', 'com', 'net', 'org', 'gov', 'edu', 'ac', 'ne', 'or', 'go']);

export function registrableDomain(name: string): string {
  const n = name.endsWith('.') ? name.slice(0, -1) : name;
  const labels = n.toLowerCase().split('.');
  if (labels.length <= 2) return labels.join('.');
  const tld = labels[labels.length - 1];
  const sld = labels[labels.length - 2];
  const keep = tld.length === 2 && SECOND_LEVEL.has(sld) ? 3 : 2;
  return labels.slice(-keep).join('.');
}

/** True for an IPv4 or IPv6 address literal (an HTTP Host or SNI that names no host). */
export function isAddressLiteral(host: string): boolean {
  const h = host.replace(/:\d+$/, '');
  return /^\d{1,3}(\.\d{1,3}){3}$/.test(h) || h.includes(':') || h.startsWith('[');
}

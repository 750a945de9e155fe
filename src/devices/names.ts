/**
 * Device names from what the decoder's app peeks kept: DHCP option 12 (RFC 2132 §3.14) and mDNS
 * records (RFC 6762, DNS-SD RFC 6763). Not the SSDP SERVER header: that is a software banner
 * (`OS/version UPnP/1.1 product/version`, UPnP Device Architecture 2.0 §1.1.2), the same on
 * every device running that software, and only kind evidence (`kind-facts.ts`). Runs only for
 * packets that carry such an app record, so it may allocate.
 * @module
 */
import type { DnsInfo } from '../decode/app/types.js';
import { NameRank } from './device.js';

/** Longest name kept, in UTF-16 code units. */
export const MAX_NAME_LENGTH = 64;

/**
 * Makes a name fit for records and dashboards: control characters (C0, DEL, C1) and
 * format/invisible characters dropped, whitespace runs collapsed, trimmed, capped at
 * MAX_NAME_LENGTH without splitting a surrogate pair. '' when nothing printable remains.
 */
export function sanitizeName(raw: string, max = MAX_NAME_LENGTH): string {
  let s = raw.replace(
    /[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u2028-\u202e\u2060-\u206f\ufeff]/g,
    ' ',
  );
  s = s.replace(/\s+/g, ' ').trim();
  if (s.length > max) {
    let end = max;
    const c = s.charCodeAt(end - 1);
    if (c >= 0xd800 && c <= 0xdbff) end--; // do not cut a surrogate pair in half
    s = s.slice(0, end).trimEnd();
  }
  // A lone surrogate left by the source is not printable.
  return s.replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '');
}

/** A candidate name and its strength. */
export interface NameOffer {
  name: string;
  rank: NameRank;
}

const LOCAL_SUFFIX = '.local';

function stripLocal(name: string): string {
  const n = name.endsWith('.') ? name.slice(0, -1) : name;
  return n.toLowerCase().endsWith(LOCAL_SUFFIX) ? n.slice(0, -LOCAL_SUFFIX.length) : '';
}

/** `Living Room._hap._tcp.local` → `Living Room` (DNS-SD instance, RFC 6763 §4.1). */
function instanceOf(serviceName: string): string {
  const at = serviceName.indexOf('._');
  return at > 0 ? serviceName.slice(0, at) : '';
}

/**
 * The best name an mDNS response gives for its sender. `ownAddress(text)` says whether an
 * address (A/AAAA rdata text) is the sender's: the packet's source or one it used before.
 *
 * - A/AAAA owner `living-room.local` for the sender's own address → MdnsHost;
 * - A/AAAA owner for another address (e.g. a sleep proxy answering for a host), DNS-SD
 *   instance names from PTR rdata / SRV owners, and reverse-PTR targets → MdnsInstance.
 */
export function mdnsName(
  info: DnsInfo,
  ownAddress: (address: string) => boolean,
): NameOffer | null {
  if (!info.isResponse) return null;
  let weak = '';
  for (const a of info.answers) {
    if (a.type === 1 || a.type === 28) {
      const host = sanitizeName(stripLocal(a.name));
      if (host === '') continue;
      if (a.data !== undefined && ownAddress(a.data))
        return { name: host, rank: NameRank.MdnsHost };
      if (weak === '') weak = host;
    } else if (weak === '' && a.type === 12 && a.data !== undefined) {
      const owner = a.name.toLowerCase();
      if (owner.endsWith('.in-addr.arpa') || owner.endsWith('.ip6.arpa')) {
        weak = sanitizeName(stripLocal(a.data));
      } else if (owner.startsWith('_') && !owner.startsWith('_services._dns-sd.')) {
        weak = sanitizeName(instanceOf(a.data));
      }
    } else if (weak === '' && a.type === 33) {
      weak = sanitizeName(instanceOf(a.name));
    }
  }
  return weak === '' ? null : { name: weak, rank: NameRank.MdnsInstance };
}

/**
 * Kind evidence from what a device shows of itself: its OUI vendor, DHCP options 12/55/60,
 * mDNS announcements, SSDP NOTIFYs and search responses, and the domains it looks up (DNS), names
 * in a TLS ClientHello (SNI) or an HTTP Host header (HTTP request paths: `kind-http.ts`). Each
 * function turns one input into the facts the tables in `kind-tables.ts` give it. Called only for
 * packets that carry an app record, and
 * only for inputs the device has not shown before (`KindEvidence.firstSight`), so it may
 * allocate.
 * @module
 */
import type { DnsInfo, SsdpInfo } from '../decode/app/types.js';
import { type KindFact, Sight } from './kind.js';
import {
  DHCP_CLASS_ROWS,
  DHCP_FINGERPRINTS,
  DOMAIN_ROWS,
  type KindWeights,
  MDNS_SERVICES,
  NAME_ROWS,
  OUI_ROWS,
  type PatternRow,
  SSDP_SERVER_ROWS,
  SSDP_TYPES,
} from './kind-tables.js';
import type { DeviceKind } from './kinds.js';

/** The last two labels of `d` (all of it when it has fewer). */
function lastTwoLabels(d: string): string {
  const last = d.lastIndexOf('.');
  return last > 0 ? d.slice(d.lastIndexOf('.', last - 1) + 1) : d;
}

/**
 * The last two labels of every DOMAIN_ROWS row, when every row has two labels or more (then a
 * row that matches a name ends in the name's last two labels); null otherwise.
 */
const DOMAIN_ENDINGS = Object.keys(DOMAIN_ROWS).every((d) => d.includes('.'))
  ? new Set(Object.keys(DOMAIN_ROWS).map(lastTwoLabels))
  : null;

/** Longest text shown in a fact's label. */
const MAX_SHOWN_TEXT = 40;

function clip(text: string): string {
  return text.length > MAX_SHOWN_TEXT ? `${text.slice(0, MAX_SHOWN_TEXT - 1)}…` : text;
}

/** One fact per kind a table row supports, all under the row's `key`. */
export function factsOf(key: string, label: string, kinds: KindWeights): KindFact[] {
  const out: KindFact[] = [];
  for (const [kind, weight] of Object.entries(kinds)) {
    out.push({ key, label, kind: kind as DeviceKind, weight });
  }
  return out;
}

/**
 * A pattern row's key in saved state: its pattern, so that a row inserted into a table later
 * does not give a saved fact another row's identity.
 */
export function rowKey(table: string, row: PatternRow): string {
  return `${table}:${row.re.source}`;
}

/** The first row of `rows` matching `text` (lower-cased here), or -1. */
function firstMatch(rows: readonly PatternRow[], text: string): number {
  const lower = text.toLowerCase();
  for (let i = 0; i < rows.length; i++) if (rows[i].re.test(lower)) return i;
  return -1;
}

function patternFacts(
  rows: readonly PatternRow[],
  table: string,
  text: string,
  label: string,
): KindFact[] {
  const i = firstMatch(rows, text);
  return i < 0 ? [] : factsOf(rowKey(table, rows[i]), label, rows[i].kinds);
}

/** The OUI vendor (`OUI Sonos, Inc.`). */
export function vendorFacts(vendor: string): KindFact[] {
  return vendor === '' ? [] : patternFacts(OUI_ROWS, 'oui', vendor, `OUI ${clip(vendor)}`);
}

/**
 * A name the device gave itself: DHCP option 12, an mDNS host or service-instance name.
 * `source` says which, for the label (`DHCP name DCS-935L`). One fact per table row, whatever
 * the source: the same name twice is not twice the evidence.
 */
export function nameFacts(name: string, source: 'DHCP' | 'mDNS'): KindFact[] {
  return name === '' ? [] : patternFacts(NAME_ROWS, 'name', name, `${source} name ${clip(name)}`);
}

/** DHCP option 60 of the device's own request (`DHCP vendor class MSFT 5.0`). */
export function dhcpClassFacts(vendorClass: string): KindFact[] {
  if (vendorClass === '') return [];
  const label = `DHCP vendor class ${clip(vendorClass)}`;
  return patternFacts(DHCP_CLASS_ROWS, 'dhcp60', vendorClass, label);
}

/** DHCP option 55 of the device's own request, when it is a known system's (`DHCP fingerprint Windows`). */
export function dhcpFingerprintFacts(paramList: string): KindFact[] {
  const fp = DHCP_FINGERPRINTS[paramList];
  return fp === undefined
    ? []
    : factsOf(`dhcp55:${paramList}`, `DHCP fingerprint ${fp.os}`, fp.kinds);
}

/** `Living Room._googlecast._tcp.local` → [`_googlecast`, `Living Room`]; null when not DNS-SD. */
function splitService(name: string): [service: string, instance: string] | null {
  const trimmed = name.endsWith('.') ? name.slice(0, -1) : name;
  const lower = trimmed.toLowerCase();
  if (!lower.endsWith('._tcp.local') && !lower.endsWith('._udp.local')) return null;
  const rest = trimmed.slice(0, -'._tcp.local'.length);
  const dot = rest.lastIndexOf('.');
  const service = rest.slice(dot + 1).toLowerCase();
  if (!service.startsWith('_')) return null;
  const instance = dot < 0 ? '' : rest.slice(0, dot);
  // `_printer._sub._http._tcp`: the subtype names what is offered.
  if (instance.toLowerCase().endsWith('._sub')) {
    const sub = instance.slice(0, -'._sub'.length).toLowerCase();
    return [sub.slice(sub.lastIndexOf('.') + 1), ''];
  }
  return [service, instance.startsWith('_') ? '' : instance];
}

function serviceFacts(service: string): KindFact[] {
  const kinds = MDNS_SERVICES[service];
  return kinds === undefined ? [] : factsOf(`mdns:${service}`, `mDNS ${service}`, kinds);
}

function hostOf(name: string): string {
  const lower = name.toLowerCase().replace(/\.$/, '');
  return lower.endsWith('.local') ? name.slice(0, lower.length - '.local'.length) : '';
}

/**
 * An mDNS response the device sent (announcements and answers): the service types it offers
 * (PTR owners, SRV owners, DNS-SD service enumeration), its service-instance names and host
 * names. `ownAddress(text)` says whether an A/AAAA record's address is the sender's: a sleep
 * proxy answering for another host must not lend it that host's names.
 */
export function mdnsFacts(
  info: DnsInfo,
  firstSight: (sight: Sight, raw: string) => boolean,
  ownAddress: (address: string) => boolean,
): KindFact[] {
  if (!info.isResponse) return [];
  const out: KindFact[] = [];
  for (const a of info.answers) {
    let names: string[];
    if (a.type === 12 && a.data !== undefined) {
      // PTR: `_googlecast._tcp.local` → `Kitchen._googlecast._tcp.local` (a subtype such as
      // `_printer._sub._http._tcp.local` is in the owner), or the DNS-SD enumeration
      // `_services._dns-sd._udp.local` → `_googlecast._tcp.local`.
      names = [a.name, a.data];
    } else if (a.type === 33) {
      names = a.data === undefined ? [a.name] : [a.name, a.data];
    } else if ((a.type === 1 || a.type === 28) && a.data !== undefined && ownAddress(a.data)) {
      names = [a.name];
    } else {
      continue;
    }
    for (const n of names) {
      if (!firstSight(Sight.Mdns, n)) continue;
      const svc = splitService(n);
      if (svc !== null) {
        out.push(...serviceFacts(svc[0]));
        if (svc[1] !== '') out.push(...nameFacts(svc[1], 'mDNS'));
      } else {
        const host = hostOf(n);
        if (host !== '' && !host.includes('.')) out.push(...nameFacts(host, 'mDNS'));
      }
    }
  }
  return out;
}

/** `urn:Belkin:device:controllee:1` → `belkin:device:controllee`; other targets as they are. */
function upnpType(target: string): string {
  let t = target.toLowerCase().trim();
  const at = t.indexOf('::');
  if (at >= 0) t = t.slice(at + 2);
  if (!t.startsWith('urn:')) return t;
  const parts = t.slice(4).split(':');
  return parts.length >= 3 ? parts.slice(0, 3).join(':') : t.slice(4);
}

/** An SSDP NOTIFY or search response the device sent (never its own M-SEARCH: that is a client). */
export function ssdpFacts(
  info: SsdpInfo,
  firstSight: (sight: Sight, raw: string) => boolean,
): KindFact[] {
  if (info.method === 'M-SEARCH') return [];
  const out: KindFact[] = [];
  for (const target of [info.nt, info.st, info.usn]) {
    if (target === undefined || !firstSight(Sight.SsdpTarget, target)) continue;
    const type = upnpType(target);
    const kinds = SSDP_TYPES[type];
    if (kinds !== undefined) out.push(...factsOf(`ssdp:${type}`, `SSDP ${clip(type)}`, kinds));
  }
  const server = info.server;
  if (server !== undefined && firstSight(Sight.SsdpServer, server)) {
    out.push(...patternFacts(SSDP_SERVER_ROWS, 'server', server, `SSDP server ${clip(server)}`));
  }
  return out;
}

/** A name or `Host` header (`name:port`) without port or trailing dot, lower case. */
export function hostName(host: string): string {
  let h = host.toLowerCase();
  const colon = h.indexOf(':');
  if (colon >= 0) h = h.slice(0, colon);
  return h.endsWith('.') ? h.slice(0, -1) : h;
}

/**
 * A domain the device looked up, named in a ClientHello or an HTTP Host header: the longest
 * suffix with a row (`api-eu.roborock.com` → `roborock.com`).
 */
export function domainFacts(name: string): KindFact[] {
  let d = hostName(name);
  // Most names (a laptop's many sites) end in two labels no row ends in: answered without a
  // lookup per suffix.
  if (DOMAIN_ENDINGS !== null && !DOMAIN_ENDINGS.has(lastTwoLabels(d))) return [];
  for (;;) {
    const kinds = DOMAIN_ROWS[d];
    if (kinds !== undefined) return factsOf(`domain:${d}`, `domain ${d}`, kinds);
    const dot = d.indexOf('.');
    if (dot < 0) return [];
    d = d.slice(dot + 1);
  }
}

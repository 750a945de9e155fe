/**
 * The registry's saved state (for restarts): a plain JSON-able object, version 2 (version 1,
 * without name counts and kinds, is still read). `parseSnapshot` checks every field of something
 * read back from disk and throws ERR_STATE naming the first problem, so a damaged file is
 * reported, never crashes the program.
 * @module
 */
import { ipv4ToString, ipv6ToString, macToString, parseIpv4, parseMac } from '../decode/addr.js';
import { HomewatchError } from '../util/errors.js';
import { Device, NameRank, type NameSource } from './device.js';
import type { GatewayDetector } from './gateway.js';
import { badHistoryEntry, type HistoryEntry, type HistoryLimits } from './history.js';
import { type KindFact, parseFact, type SavedFact, saveFact } from './kind.js';
import { dhcpClassFacts, nameFacts, rowKey } from './kind-facts.js';
import { HTTP_PATH_ROWS } from './kind-http.js';
import {
  DHCP_CLASS_ROWS,
  NAME_ROWS,
  OUI_ROWS,
  type PatternRow,
  SSDP_SERVER_ROWS,
} from './kind-tables.js';
import { type DeviceKind, isDeviceKind } from './kinds.js';
import { type LanMatcher, parseIpv6 } from './lan.js';
import type { NameUse } from './name-counts.js';
import { sanitizeName } from './names.js';

export const SNAPSHOT_VERSION = 2;
/** Versions `parseSnapshot` reads. */
const READABLE_VERSIONS: readonly unknown[] = [1, 2];

/** A name's use count as saved: [name, rank (NameRank 1 … 4), count, last use (packet time)]. */
export type SavedName = [name: string, rank: number, count: number, lastTs: number];

export interface HistorySnapshot {
  /** Oldest first. */
  entries: HistoryEntry[];
  evicted: number;
}

export interface DeviceSnapshot {
  mac: string;
  vendor: string;
  name: string;
  nameSource: NameSource;
  dhcpVendorClass: string;
  /** IPv4 and IPv6 text, oldest first. */
  ips: string[];
  firstSeen: number;
  lastSeen: number;
  isGateway: boolean;
  history: { names: HistorySnapshot; endpoints: HistorySnapshot };
  /** Every name it used, in order of first use (version 2; [] when read from version 1). */
  names: SavedName[];
  /** Its kind and the evidence held (version 2; 'unknown' and [] from version 1). */
  kind: DeviceKind;
  kindFacts: SavedFact[];
}

export interface DeviceRegistrySnapshot {
  version: typeof SNAPSHOT_VERSION;
  /** In id order. */
  devices: DeviceSnapshot[];
  /** Gateway MAC ('' when undecided); may name a MAC that is not a device. */
  gatewayMac: string;
  /** Router IPv4 from DHCP option 3 ('' when none). */
  routerIp: string;
  /**
   * The home's global IPv6 /64 prefixes learned so far (LanMatcher.learn6), as `2001:db8::/64`,
   * in the order learned; absent in state saved before they were kept (none then).
   */
  prefixes6?: string[];
}

const NAME_SOURCES: ReadonlySet<string> = new Set(['dhcp', 'mdns', 'ssdp', '']);

function fail(where: string, problem: string): never {
  throw new HomewatchError('ERR_STATE', `device state: ${where}: ${problem}`);
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function str(o: Record<string, unknown>, key: string, where: string, max = 1024): string {
  const v = o[key];
  if (typeof v !== 'string') fail(where, `${key} must be a string`);
  if (v.length > max) fail(where, `${key} is longer than ${max} characters`);
  return v;
}

function num(o: Record<string, unknown>, key: string, where: string): number {
  const v = o[key];
  if (typeof v !== 'number' || !Number.isFinite(v)) fail(where, `${key} must be a finite number`);
  return v;
}

function history(v: unknown, where: string): HistorySnapshot {
  if (!isRecord(v)) fail(where, 'must be an object');
  const entries = v.entries;
  if (!Array.isArray(entries)) fail(where, 'entries must be an array');
  const bad = badHistoryEntry(entries);
  if (bad >= 0) fail(`${where}.entries[${bad}]`, 'must be [key: string, ts: number]');
  const out = (entries as HistoryEntry[]).map(([key, ts]): HistoryEntry => [key, ts]);
  const evicted = num(v, 'evicted', where);
  if (!Number.isInteger(evicted) || evicted < 0) fail(where, 'evicted must be a count');
  return { entries: out, evicted };
}

/** Validates an IP text from state: dotted IPv4 or IPv6 text. */
function ipText(v: unknown, where: string): string {
  if (typeof v !== 'string') fail(where, 'must be a string');
  if (!Number.isNaN(parseIpv4(v))) return v;
  if (parseIpv6(v) !== null) return v;
  fail(where, `'${v.slice(0, 60)}' is not an IP address`);
}

function savedNames(v: unknown, where: string): SavedName[] {
  if (!Array.isArray(v)) fail(where, 'must be an array');
  return v.map((e: unknown, i): SavedName => {
    if (
      !Array.isArray(e) ||
      e.length !== 4 ||
      typeof e[0] !== 'string' ||
      e[0].length > 256 ||
      !Number.isInteger(e[1]) ||
      (e[1] as number) < NameRank.Ssdp ||
      (e[1] as number) > NameRank.Dhcp ||
      !Number.isInteger(e[2]) ||
      (e[2] as number) < 1 ||
      typeof e[3] !== 'number' ||
      !Number.isFinite(e[3])
    ) {
      fail(`${where}[${i}]`, 'must be [name: string, rank: 1-4, count: positive, ts: number]');
    }
    return [e[0], e[1] as number, e[2] as number, e[3]];
  });
}

function kindFacts(v: unknown, where: string): SavedFact[] {
  if (!Array.isArray(v)) fail(where, 'must be an array');
  return v.map((e: unknown, i): SavedFact => {
    const f = parseFact(e);
    if (f === null) fail(`${where}[${i}]`, 'must be [key, label, kind, weight in (0, 1]]');
    return saveFact(f);
  });
}

function device(v: unknown, where: string, version: number): DeviceSnapshot {
  if (!isRecord(v)) fail(where, 'must be an object');
  const mac = str(v, 'mac', where, 17);
  if (Number.isNaN(parseMac(mac))) fail(where, `mac '${mac}' is not a MAC address`);
  const nameSource = str(v, 'nameSource', where);
  if (!NAME_SOURCES.has(nameSource)) fail(where, `nameSource '${nameSource}' is not known`);
  if (!Array.isArray(v.ips)) fail(where, 'ips must be an array');
  const ips = v.ips.map((ip: unknown, i) => ipText(ip, `${where}.ips[${i}]`));
  if (typeof v.isGateway !== 'boolean') fail(where, 'isGateway must be a boolean');
  if (!isRecord(v.history)) fail(where, 'history must be an object');
  let kind: DeviceKind = 'unknown';
  if (version >= 2) {
    if (!isDeviceKind(v.kind)) fail(where, `kind ${JSON.stringify(v.kind)} is not a device kind`);
    kind = v.kind;
  }
  return {
    mac: mac.toLowerCase(),
    vendor: str(v, 'vendor', where),
    name: str(v, 'name', where),
    nameSource: nameSource as NameSource,
    dhcpVendorClass: str(v, 'dhcpVendorClass', where),
    ips,
    firstSeen: num(v, 'firstSeen', where),
    lastSeen: num(v, 'lastSeen', where),
    isGateway: v.isGateway,
    history: {
      names: history(v.history.names, `${where}.history.names`),
      endpoints: history(v.history.endpoints, `${where}.history.endpoints`),
    },
    names: version >= 2 ? savedNames(v.names, `${where}.names`) : [],
    kind,
    kindFacts: version >= 2 ? kindFacts(v.kindFacts, `${where}.kindFacts`) : [],
  };
}

/** Checks the shape of saved state; throws ERR_STATE naming the first problem. */
export function parseSnapshot(v: unknown): DeviceRegistrySnapshot {
  if (!isRecord(v)) fail('top level', 'must be an object');
  if (!READABLE_VERSIONS.includes(v.version)) {
    fail(
      'version',
      `expected ${READABLE_VERSIONS.join(' or ')}, found ${JSON.stringify(v.version) ?? 'none'}`,
    );
  }
  const version = v.version as number;
  if (!Array.isArray(v.devices)) fail('devices', 'must be an array');
  const devices = v.devices.map((d: unknown, i) => device(d, `devices[${i}]`, version));
  const seen = new Set<string>();
  for (const d of devices) {
    if (seen.has(d.mac)) fail('devices', `MAC ${d.mac} appears twice`);
    seen.add(d.mac);
  }
  const gatewayMac = str(v, 'gatewayMac', 'top level', 17);
  if (gatewayMac !== '' && Number.isNaN(parseMac(gatewayMac))) {
    fail('gatewayMac', `'${gatewayMac}' is not a MAC address`);
  }
  const routerIp = str(v, 'routerIp', 'top level', 15);
  if (routerIp !== '' && Number.isNaN(parseIpv4(routerIp))) {
    fail('routerIp', `'${routerIp}' is not an IPv4 address`);
  }
  const snap: DeviceRegistrySnapshot = {
    version: SNAPSHOT_VERSION,
    devices,
    gatewayMac: gatewayMac.toLowerCase(),
    routerIp,
  };
  if (v.prefixes6 !== undefined) snap.prefixes6 = prefixes6(v.prefixes6);
  return snap;
}

/** Saved learned prefixes: global unicast /64s (the first MAX_LEARNED6 are learned back). */
function prefixes6(v: unknown): string[] {
  if (!Array.isArray(v)) fail('prefixes6', 'must be an array');
  for (const p of v) {
    const words = typeof p === 'string' && p.endsWith('/64') ? parseIpv6(p.slice(0, -3)) : null;
    if (words === null || words[0] >>> 29 !== 1 || words[2] !== 0 || words[3] !== 0)
      fail('prefixes6', `${JSON.stringify(p)} is not a global IPv6 /64 prefix`);
  }
  return v as string[];
}

/** One device's saved state. */
export function deviceSnapshot(d: Device): DeviceSnapshot {
  const { names, endpoints } = d.history;
  return {
    mac: d.macStr,
    vendor: d.vendor,
    name: d.name,
    nameSource: d.nameSource,
    dhcpVendorClass: d.dhcpVendorClass,
    ips: [...d.ip4s().map(ipv4ToString), ...d.ip6s()],
    firstSeen: d.firstSeen,
    lastSeen: d.lastSeen,
    isGateway: d.isGateway,
    history: {
      names: { entries: names.entries(), evicted: names.evicted },
      endpoints: { entries: endpoints.entries(), evicted: endpoints.evicted },
    },
    names: d.names.all().map((u): SavedName => [u.name, u.rank, u.count, u.lastTs]),
    kind: d.kind,
    kindFacts: d.kindState.facts().map(saveFact),
  };
}

/** A device rebuilt from checked saved state (version 0: nothing changed since it was saved). */
export function deviceFromSnapshot(
  s: DeviceSnapshot,
  id: number,
  maxIps: number,
  history: HistoryLimits,
): Device {
  const dev = new Device({
    id,
    mac: parseMac(s.mac),
    vendor: s.vendor,
    firstSeen: s.firstSeen,
    maxIps,
    history,
  });
  dev.lastSeen = s.lastSeen;
  const uses: NameUse[] = [];
  for (const [name, rank, count, lastTs] of s.names) {
    const clean = sanitizeName(name);
    // Earlier versions named devices after their SSDP SERVER banner: not a name, dropped.
    if (clean !== '' && rank !== NameRank.Ssdp) {
      uses.push({ name: clean, rank: rank as NameRank, count, lastTs });
    }
  }
  const name = s.nameSource === 'ssdp' ? '' : sanitizeName(s.name);
  dev.loadNames(uses, name, name === '' ? '' : s.nameSource);
  dev.dhcpVendorClass = s.dhcpVendorClass;
  dev.isGateway = s.isGateway;
  if (s.kindFacts.length > 0 || s.kind !== 'unknown') {
    dev.loadKind(s.kindFacts.map(factOf), s.kind);
  } else {
    // Saved before kinds (version 1): what it showed of itself then is evidence now.
    const source = dev.nameSource === 'dhcp' ? 'DHCP' : dev.nameSource === 'mdns' ? 'mDNS' : '';
    const names = source === '' ? [] : nameFacts(dev.name, source);
    const facts = [...names, ...dhcpClassFacts(dev.dhcpVendorClass)];
    dev.loadKind([...dev.kindState.facts(), ...facts], 'unknown');
  }
  for (const ip of s.ips) {
    const v4 = parseIpv4(ip);
    const v6 = Number.isNaN(v4) ? parseIpv6(ip) : null;
    if (v6 !== null) dev.addIp6(v6, ipv6ToString(v6));
    else if (!Number.isNaN(v4)) dev.addIp4(v4);
  }
  dev.history.names.load(s.history.names.entries, s.history.names.evicted);
  dev.history.endpoints.load(s.history.endpoints.entries, s.history.endpoints.evicted);
  dev.version = 0;
  return dev;
}

/**
 * The registry's saved state: its devices (in id order), its gateway decision and the home's
 * learned IPv6 prefixes.
 */
export function registrySnapshot(
  devices: readonly Device[],
  gw: GatewayDetector,
  lan: LanMatcher,
): DeviceRegistrySnapshot {
  return {
    version: SNAPSHOT_VERSION,
    devices: devices.map(deviceSnapshot),
    gatewayMac: gw.mac < 0 ? '' : macToString(gw.mac),
    routerIp: gw.hintIp < 0 ? '' : ipv4ToString(gw.hintIp),
    prefixes6: lan.learnedPrefixes6(),
  };
}

/**
 * Checked saved state (`parseSnapshot`) read back: its devices rebuilt in id order, at most
 * `maxDevices` (the rest only counted, in `refused`), the gateway decision restored into `gw`,
 * each device's gateway flag set from it, and the learned IPv6 prefixes into `lan` (so a
 * dual-stack device's traffic from its global address is its own from the first packet, not
 * from the gateway's next delivery to it).
 */
export function restoreRegistry(
  snap: DeviceRegistrySnapshot,
  gw: GatewayDetector,
  lan: LanMatcher,
  limits: { maxDevices: number; maxIps: number; history: HistoryLimits },
): { devices: Device[]; refused: number } {
  const devices: Device[] = [];
  let refused = 0;
  for (const s of snap.devices) {
    if (devices.length >= limits.maxDevices) refused++;
    else devices.push(deviceFromSnapshot(s, devices.length, limits.maxIps, limits.history));
  }
  for (const p of snap.prefixes6 ?? []) lan.learn6(parseIpv6(p.slice(0, -3)) as Uint32Array);
  if (snap.gatewayMac !== '') gw.restore(parseMac(snap.gatewayMac));
  if (snap.routerIp !== '') gw.setHintIp(parseIpv4(snap.routerIp));
  for (const d of devices) {
    d.isGateway = d.mac === gw.mac;
    d.kindState.setGateway(d.isGateway);
  }
  return { devices, refused };
}

/**
 * Tables whose facts were keyed by row position before 2026-12-05 (`oui:3`); rows were only
 * appended until then, so a position names the same row today.
 */
const POSITIONAL: Record<string, readonly PatternRow[]> = {
  oui: OUI_ROWS,
  name: NAME_ROWS,
  dhcp60: DHCP_CLASS_ROWS,
  server: SSDP_SERVER_ROWS,
};

/** A saved fact's key as today's tables write it. */
function currentKey(key: string): string {
  const m = /^([a-z0-9]+):(\d+)$/.exec(key);
  if (m === null) return key;
  const i = Number(m[2]);
  const row = POSITIONAL[m[1]]?.[i];
  if (row !== undefined) return rowKey(m[1], row);
  const http = m[1] === 'http' ? HTTP_PATH_ROWS[i] : undefined;
  return http === undefined ? key : `http:${http.shown}`;
}

function factOf([key, label, kind, weight]: SavedFact): KindFact {
  return { key: currentKey(key), label, kind, weight };
}

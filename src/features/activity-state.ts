/**
 * What the feature stage keeps of a device across a restart (`--state`): the beacon tracker's
 * endpoints that may be beacons in the making (beacon.ts, at most SAVED_ENDPOINTS with their
 * latest SAVED_CONTACTS contacts) and the latest DNS answers, so that a slow beacon counted
 * over hours is not counted from zero again by an agent restarted, or by the next of a series of
 * hourly capture files replayed with the same state, and an address looked up before the restart
 * is not reported as one "it looked no name up for". Window counters are not kept: a restart
 * starts a new window.
 * @module
 */
import type { Device } from '../devices/device.js';
import { expectMap, expectNumbers, stateError } from '../state/codec.js';
import { DeviceActivity } from './accumulator.js';
import type { BeaconSnapshot, SavedEndpoint } from './beacon.js';

/** DNS answers kept in the state file per device (the latest). */
export const SAVED_DNS_ANSWERS = 256;

export interface ActivitySnapshot {
  beacons: BeaconSnapshot;
  /** [address (IPv4 as an int32 number, IPv6 as text), name], oldest first. */
  dnsAnswers: [number | string, string][];
}

export function snapshotActivity(a: DeviceActivity): ActivitySnapshot {
  const answers = [...a.dnsAnswers];
  return {
    beacons: a.beacons.snapshot(),
    dnsAnswers: answers.slice(Math.max(0, answers.length - SAVED_DNS_ANSWERS)),
  };
}

/** Restores a fresh device's activity from a snapshot checked by `checkActivity`. */
export function restoreActivity(a: DeviceActivity, s: ActivitySnapshot): void {
  a.beacons.restore(s.beacons);
  for (const [addr, name] of s.dnsAnswers) a.rememberAnswer(addr, name);
}

/** What a restart should keep of each device with activity (indexed by device id), by MAC. */
export function snapshotActivities(
  activity: readonly (DeviceActivity | undefined)[],
  devices: readonly Device[],
): Map<string, ActivitySnapshot> {
  const out = new Map<string, ActivitySnapshot>();
  for (const d of devices) {
    const a = activity[d.id];
    if (a !== undefined) out.set(d.macStr, snapshotActivity(a));
  }
  return out;
}

/**
 * Takes back what `snapshotActivities` kept into `activity` (indexed by device id), for the
 * devices `device` finds that have no activity yet.
 */
export function restoreActivities(
  activity: (DeviceActivity | undefined)[],
  saved: Map<string, ActivitySnapshot>,
  device: (mac: string) => Device | undefined,
): void {
  for (const [mac, s] of saved) {
    const d = device(mac);
    if (d === undefined || activity[d.id] !== undefined) continue;
    const a = new DeviceActivity();
    restoreActivity(a, s);
    activity[d.id] = a;
  }
}

const isKey = (k: unknown): k is number | string =>
  typeof k === 'string' || (typeof k === 'number' && Number.isInteger(k));

function checkEndpoint(e: unknown, what: string): SavedEndpoint {
  const ok =
    Array.isArray(e) &&
    e.length === 5 &&
    isKey(e[0]) &&
    Number.isInteger(e[1]) &&
    Number.isInteger(e[2]);
  if (!ok) throw stateError(`${what} is not a saved beacon endpoint`);
  const times = expectNumbers(e[3], `${what} times`);
  const bytes = expectNumbers(e[4], `${what} bytes`);
  if (times.length !== bytes.length || times.some((t, i) => i > 0 && t < times[i - 1]))
    throw stateError(`${what} is not a saved beacon endpoint`);
  return e as SavedEndpoint;
}

/** Checks one device's saved activity (after codec.ts's fromPlain). */
export function checkActivity(v: unknown, what: string): ActivitySnapshot {
  if (v === null || typeof v !== 'object') throw stateError(`${what} is not an object`);
  const o = v as Partial<Record<keyof ActivitySnapshot, unknown>>;
  const b = o.beacons as Partial<Record<keyof BeaconSnapshot, unknown>> | undefined;
  if (b === undefined || !Number.isInteger(b.evicted) || !Array.isArray(b.endpoints))
    throw stateError(`${what}.beacons is not a beacon snapshot`);
  b.endpoints.forEach((e, i) => checkEndpoint(e, `${what}.beacons.endpoints[${i}]`));
  const answers = o.dnsAnswers;
  const okAnswers =
    Array.isArray(answers) &&
    answers.every((x) => Array.isArray(x) && isKey(x[0]) && typeof x[1] === 'string');
  if (!okAnswers) throw stateError(`${what}.dnsAnswers is not a list of [address, name]`);
  return v as ActivitySnapshot;
}

/** Checks the stage's saved part: a map of MAC to activity. */
export function checkActivities(v: unknown): Map<string, ActivitySnapshot> {
  return expectMap(v, 'windows', checkActivity);
}

/**
 * Kind evidence from clear-text HTTP request lines (DESIGN.md: the request line and Host are
 * derived fields an app peek keeps): the API paths of a product family, both what a device asks
 * of its vendor's cloud (a Fitbit Aria posting to `www.fitbit.com/scale/upload`) and what a
 * device serves to its app on the LAN (an Edimax plug answering `POST /smartplug.cgi`).
 *
 * A fact's label names the table row (`serves HTTP /smartplug.cgi`), never the request's own
 * path, which may carry serial numbers or tokens in its query. Called only for packets that carry
 * an HTTP request record, so it may allocate; a request to a host with no client row costs a
 * few string compares.
 * @module
 */
import type { KindFact } from './kind.js';
import { factsOf, hostName } from './kind-facts.js';
import type { KindWeights } from './kind-tables.js';

/** Which end of an HTTP request a row describes. */
export const enum HttpSide {
  /** The device sent the request (to `host`, usually its vendor's cloud). */
  Client = 0,
  /** The device received it from another device on the LAN: it serves that path. */
  Server = 1,
}

export interface HttpPathRow {
  side: HttpSide;
  /** Client rows: the Host the request goes to, or a parent domain of it. */
  host?: string;
  /** Tested against the request path, lower case, query dropped. */
  re: RegExp;
  /** What the label shows. */
  shown: string;
  kinds: KindWeights;
}

/**
 * Request paths of one product family's API, never of a browser or of many products. A request
 * to a LAN device means its client found the device serving that API (the phone app of the
 * product, typically): server rows count only for requests from another LAN device.
 */
export const HTTP_PATH_ROWS: readonly HttpPathRow[] = [
  // Fitbit Aria Wi-Fi scales register and upload weighings over plain HTTP.
  {
    side: HttpSide.Client,
    host: 'fitbit.com',
    re: /^\/scale\//,
    shown: 'fitbit.com/scale/',
    kinds: { sensor: 0.85 },
  },
  // Edimax EdiPlug (SP-1101W, SP-2101W and their OEM twins): the app's local API on port 10000.
  {
    side: HttpSide.Server,
    re: /^\/smartplug\.cgi$/,
    shown: '/smartplug.cgi',
    kinds: { plug: 0.75 },
  },
  // The Hue bridge REST API (v1), also offered by other Zigbee bridges (deCONZ, diyHue). The
  // whitelisted user name is 10 characters or more (40 hex digits from the bridge): not `v1` or
  // `3` of other REST APIs that have sensors (`/api/3/sensors`).
  {
    side: HttpSide.Server,
    re: /^\/api\/[^/]{10,}\/(lights|groups|scenes|sensors|rules|schedules)(\/|$)/,
    shown: '/api/<user>/… (Hue)',
    kinds: { hub: 0.7 },
  },
  // ONVIF device, media and PTZ services: IP cameras, and the video recorders they feed.
  {
    side: HttpSide.Server,
    re: /^\/onvif\/(device|media|ptz)_service$/,
    shown: '/onvif/…_service',
    kinds: { camera: 0.6 },
  },
  // Axis VAPIX: Axis cameras (Axis also makes door stations and network speakers).
  { side: HttpSide.Server, re: /^\/axis-cgi\//, shown: '/axis-cgi/', kinds: { camera: 0.7 } },
];

/**
 * The path of a request target, lower case, without query or fragment: `/scale/register?x=1` →
 * `/scale/register`, `http://host:80/a/b?c` → `/a/b`; '' for `*` and authority forms.
 */
export function httpPath(uri: string): string {
  let path = uri;
  if (!path.startsWith('/')) {
    const scheme = path.indexOf('://');
    if (scheme < 0) return '';
    const slash = path.indexOf('/', scheme + 3);
    if (slash < 0) return '/';
    path = path.slice(slash);
  }
  const end = path.search(/[?#]/);
  return (end < 0 ? path : path.slice(0, end)).toLowerCase();
}

function hostMatches(host: string, row: string): boolean {
  return (
    host === row || (host.endsWith(row) && host.charCodeAt(host.length - row.length - 1) === 46)
  );
}

/**
 * Bit i set when client row i's host is `name` or a parent domain of it: a device that looked up
 * `name` (DNS, TLS SNI, HTTP Host) named that row's host. Rows past the 31st get no bit.
 */
export function clientHostBits(name: string): number {
  const h = hostName(name);
  let bits = 0;
  for (let i = 0; i < HTTP_PATH_ROWS.length && i < 31; i++) {
    const row = HTTP_PATH_ROWS[i];
    if (row.host !== undefined && hostMatches(h, row.host)) bits |= 1 << i;
  }
  return bits;
}

/**
 * The facts of the first row of `side` matching `path` (from `httpPath`). A client row also
 * needs its host named: by `host`, the request's Host header, or by a name the device looked up
 * (`hostBits`, from `clientHostBits`), since some devices send the request line and the headers
 * in separate TCP segments and the peek sees only the first.
 */
export function httpPathFacts(side: HttpSide, path: string, host = '', hostBits = 0): KindFact[] {
  if (path === '') return [];
  const h = side === HttpSide.Client ? hostName(host) : '';
  for (let i = 0; i < HTTP_PATH_ROWS.length; i++) {
    const row = HTTP_PATH_ROWS[i];
    if (row.side !== side) continue;
    if (row.host !== undefined && !hostMatches(h, row.host) && (hostBits & (1 << i)) === 0) {
      continue;
    }
    if (!row.re.test(path)) continue;
    const label = side === HttpSide.Client ? `HTTP ${row.shown}` : `serves HTTP ${row.shown}`;
    return factsOf(`http:${row.shown}`, label, row.kinds);
  }
  return [];
}

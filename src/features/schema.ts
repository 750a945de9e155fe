/**
 * The feature schema: every window feature, its meaning and how it is computed, in one table.
 * Names, order and the schema version come out of this table; a saved model records them and
 * refuses a mismatch. Add a feature: one row here, bump FEATURE_SCHEMA_VERSION. Version 2 appended
 * the rows from `stratumMessages` on; every version-1 row keeps its name, place and meaning.
 * @module
 */
import type { WindowCounters } from './accumulator.js';
import type { Periodicity } from './beacon.js';

export const FEATURE_SCHEMA_VERSION = 2;

export interface FeatureInput {
  c: WindowCounters;
  beacon: Periodicity | null;
}

export interface FeatureDef {
  name: string;
  description: string;
  value(f: FeatureInput): number;
}

function mean(sum: number, n: number): number {
  return n > 0 ? sum / n : 0;
}

function std(sum: number, sumSq: number, n: number): number {
  if (n < 2) return 0;
  const m = sum / n;
  return Math.sqrt(Math.max(0, sumSq / n - m * m));
}

export const FEATURES: readonly FeatureDef[] = [
  { name: 'packetsUp', description: 'packets sent by the device', value: ({ c }) => c.packetsUp },
  {
    name: 'packetsDown',
    description: 'packets delivered to the device',
    value: ({ c }) => c.packetsDown,
  },
  {
    name: 'bytesUp',
    description: 'bytes (on the wire) sent by the device',
    value: ({ c }) => c.bytesUp,
  },
  {
    name: 'bytesDown',
    description: 'bytes delivered to the device',
    value: ({ c }) => c.bytesDown,
  },
  {
    name: 'pktSizeMeanUp',
    description: 'mean size of sent packets',
    value: ({ c }) => mean(c.bytesUp, c.packetsUp),
  },
  {
    name: 'pktSizeStdUp',
    description: 'standard deviation of sent packet sizes',
    value: ({ c }) => std(c.bytesUp, c.sumSqUp, c.packetsUp),
  },
  {
    name: 'pktSizeMeanDown',
    description: 'mean size of received packets',
    value: ({ c }) => mean(c.bytesDown, c.packetsDown),
  },
  {
    name: 'pktSizeStdDown',
    description: 'standard deviation of received packet sizes',
    value: ({ c }) => std(c.bytesDown, c.sumSqDown, c.packetsDown),
  },
  {
    name: 'flowsStarted',
    description: 'flows the device initiated',
    value: ({ c }) => c.flowsStarted,
  },
  {
    name: 'failedConnections',
    description: 'TCP attempts by the device that were refused (RST) or never answered',
    value: ({ c }) => c.failedConnections,
  },
  {
    name: 'remoteIps',
    description: 'distinct non-local addresses the device exchanged traffic with',
    value: ({ c }) => c.remoteIps.size,
  },
  {
    name: 'remotePorts',
    description: 'distinct remote ports the device connected to',
    value: ({ c }) => c.remotePorts.size,
  },
  {
    name: 'lanPeers',
    description: 'distinct local addresses the device exchanged unicast traffic with',
    value: ({ c }) => c.lanPeers.size,
  },
  {
    name: 'lanPorts',
    description: 'distinct ports the device connected to on LAN peers',
    value: ({ c }) => c.lanPorts.size,
  },
  {
    name: 'lanByteShare',
    description: 'share of the device\u2019s bytes that stayed on the LAN (incl. multicast)',
    value: ({ c }) => mean(c.lanBytes, c.bytesUp + c.bytesDown),
  },
  { name: 'dnsQueries', description: 'DNS queries sent', value: ({ c }) => c.dnsQueries },
  { name: 'dnsNames', description: 'distinct names queried', value: ({ c }) => c.dnsNames.size },
  {
    name: 'dnsNxdomain',
    description: 'NXDOMAIN answers received',
    value: ({ c }) => c.dnsNxdomain,
  },
  {
    name: 'dnsNewNames',
    description: 'names this device had never queried before',
    value: ({ c }) => c.dnsNewNames,
  },
  {
    name: 'noDnsEndpoints',
    description: 'remote addresses reached without a DNS answer naming them',
    value: ({ c }) => c.noDnsEndpoints.size,
  },
  {
    name: 'newEndpoints',
    description: 'remote addresses this device had never reached before',
    value: ({ c }) => c.newEndpoints,
  },
  {
    name: 'inboundConnections',
    description: 'TCP connections attempted from non-local addresses to the device',
    value: ({ c }) => c.inboundConnections,
  },
  {
    name: 'inboundAccepted',
    description: 'of those, connections the device answered',
    value: ({ c }) => c.inboundAccepted,
  },
  {
    name: 'ssdpMessages',
    description: 'SSDP/UPnP discovery messages sent',
    value: ({ c }) => c.ssdpMessages,
  },
  {
    name: 'upnpPortMappings',
    description: 'UPnP AddPortMapping (or IGD2 AddAnyPortMapping) requests sent',
    value: ({ c }) => c.upnpPortMappings,
  },
  {
    name: 'tlsHandshakes',
    description: 'TLS handshakes started (ClientHellos sent, once a connection)',
    value: ({ c }) => c.tlsHandshakes,
  },
  {
    name: 'httpRequests',
    description: 'clear-text HTTP requests sent',
    value: ({ c }) => c.httpRequests,
  },
  {
    name: 'executableDownloads',
    description:
      'HTTP bodies received that start as an executable or script, and other flows whose first bytes (or first TFTP block) are a program: an ELF, a PE with its PE header, a script with its interpreter line',
    value: ({ c }) => c.executableDownloads,
  },
  {
    name: 'uploadLongestS',
    description: 'longest continuous upload to remote endpoints (pauses \u2264 1 s), seconds',
    value: ({ c }) => c.uploadLongestS,
  },
  {
    name: 'uploadLongestBytes',
    description: 'payload bytes of that upload',
    value: ({ c }) => c.uploadLongestBytes,
  },
  {
    name: 'beaconScore',
    description:
      'regularity (0\u20131) of the most periodic remote endpoint contacted in the window',
    value: ({ beacon }) => beacon?.score ?? 0,
  },
  {
    name: 'beaconPeriodS',
    description: 'median interval between its contacts, seconds',
    value: ({ beacon }) => beacon?.periodS ?? 0,
  },
  {
    name: 'beaconContacts',
    description: 'contacts the score is based on',
    value: ({ beacon }) => beacon?.contacts ?? 0,
  },
  {
    name: 'activeSeconds',
    description: 'whole seconds of the window with traffic of the device',
    value: ({ c }) => c.activeSeconds,
  },
  // Schema version 2.
  {
    name: 'stratumMessages',
    description:
      'mining-pool JSON-RPC requests sent on any TCP port (stratum `mining.*`, xmrig `login`/`submit`/`getjob`/`keepalived`, `eth_submitLogin`/`eth_getWork`/`eth_submitWork`/`eth_submitHashrate`)',
    value: ({ c }) => c.stratumMessages,
  },
  {
    name: 'dnsLongestLabel',
    description: 'longest label of any name queried, octets',
    value: ({ c }) => c.dnsLongestLabel,
  },
  {
    name: 'dnsMaxEntropy',
    description:
      'highest Shannon entropy (bits per octet) of a queried name\u2019s part left of its registrable domain (Public Suffix List; the whole name under an unknown top-level label), dots removed, when that part has at least 10 octets',
    value: ({ c }) => c.dnsMaxEntropy,
  },
  {
    name: 'dnsTxtNullQueries',
    description: 'DNS questions sent for TXT (16) or NULL (10) records',
    value: ({ c }) => c.dnsTxtNullQueries,
  },
  {
    name: 'httpAuthFailures',
    description: 'HTTP 401 and 403 responses received',
    value: ({ c }) => c.httpAuthFailures,
  },
  {
    name: 'opaqueDownloads',
    description:
      'HTTP response bodies received that are programs or opaque binaries: executable or script magic, an executable or octet-stream content type, or a request path ending in a program\u2019s extension',
    value: ({ c }) => c.opaqueDownloads,
  },
  {
    name: 'shortSessionsMax',
    description:
      'most short sessions to one service (address and port): answered TCP connections with payload both ways, < 4 kB each way, closed (FIN or RST) within 30 s of their start',
    value: ({ c }) => c.shortSessionsMax,
  },
  {
    name: 'portMapRequests',
    description: 'NAT-PMP and PCP mapping requests sent (lifetime > 0)',
    value: ({ c }) => c.portMapRequests,
  },
  {
    name: 'arpClaims',
    description:
      'ARP messages in which the device announces an address another device used in the last 5 min, or the gateway\u2019s',
    value: ({ c }) => c.arpClaims,
  },
];

/** Feature names in schema order. */
export const FEATURE_NAMES: readonly string[] = FEATURES.map((f) => f.name);

/** Rounds to 6 significant digits so that records are compact and stable. */
function round(v: number): number {
  if (!Number.isFinite(v)) return 0;
  if (Number.isInteger(v)) return v;
  return Number(v.toPrecision(6));
}

/**
 * Every feature name at 0, in schema order, made by JSON.parse: an object V8 keeps in fast mode.
 * An object given 43 properties one by one by computed name goes to dictionary mode, and then
 * every read of a feature and the serialisation of every window record take V8's slow paths
 * (~2x slower); copies of this one keep its layout (the values are only overwritten).
 */
const ZEROS: Readonly<Record<string, number>> = JSON.parse(
  JSON.stringify(Object.fromEntries(FEATURE_NAMES.map((n) => [n, 0]))),
) as Record<string, number>;

/** The named feature values of one device window, in schema order. */
export function computeFeatures(input: FeatureInput): Record<string, number> {
  const out: Record<string, number> = { ...ZEROS };
  for (const f of FEATURES) out[f.name] = round(f.value(input));
  return out;
}

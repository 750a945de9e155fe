/**
 * The robustness sweep's points (bench/robustness.ts): one behaviour each, with parameters
 * outside what the generator's injectors draw. The drawn ranges, for comparison:
 *
 * - scan: SYNs at 3–30 a second for 2–10 min to random internet addresses on 23 (2323 one
 *   in ten); `telnet+lan` adds an ARP sweep of the /24 (20–100 ms an address) then SYNs to
 *   23 of the live hosts.
 * - brute_force: 30–400 attempts at 0.3–8 a second, on the router's HTTP basic auth, a LAN
 *   host's telnet or SSH.
 * - beaconing: period 10 s–10 min (log-uniform), jitter ±0–20 %, 20–240 contacts, to 443,
 *   8443 or a quiet port in 1024–65535; 80–400 bytes up, 40–300 down.
 * - abnormal_upload: 16–64 kbit/s for 3–20 min over TLS (443), to the device's cloud or a
 *   new host; never a flood (the `flood-*` points).
 * - dns_anomaly: `tunnel` 1–15 queries a second for 2–15 min, labels 100–200 characters;
 *   `dga` bursts of 20–150 names (8–20 letters) at 5–50 a second, 1–10 min apart, 2–8 bursts.
 * - crypto_mining: stratum or xmrig on 3333, 4444, 5555, 7777, 14444, 443, 3032, 10128,
 *   20535 or 45700, a share every 5–60 s, 15–90 min.
 * - malware_download: ELF, script or opaque binary (30–800 kB) over plain HTTP; never the
 *   command that told the device to fetch it (the `mw-*` points add it through tune keys).
 * - upnp_exposure / inbound_exposure: SOAP AddPortMapping, NAT-PMP, PCP; 3–40 peers.
 * @module
 */
import type { Behaviour } from '../datasets/generator/labels.js';
import type { DeviceKind } from '../datasets/generator/profiles.js';

export interface SweepPoint {
  name: string;
  behaviour: Behaviour;
  variant: string;
  kind?: DeviceKind;
  /** Replaces what the injector draws (see each injector's tune keys). */
  tune: Readonly<Record<string, number>>;
  hours: number;
  /** For the table. */
  what: string;
}

const MIN = 60;

export const SWEEP: readonly SweepPoint[] = [
  // Scans: slower than any window the detector was built on, other ports, the LAN alone.
  p('scan-1s', 'scan', 'telnet', { rate: 1, seconds: 10 * MIN }, 4, 'telnet, 1 SYN/s, 10 min'),
  p(
    'scan-5s',
    'scan',
    'telnet',
    { rate: 0.2, seconds: 20 * MIN },
    4,
    'telnet, 1 SYN / 5 s, 20 min',
  ),
  p('scan-hour', 'scan', 'telnet', { rate: 0.1, seconds: 60 * MIN }, 4.5, '360 hosts over an hour'),
  p(
    'scan-adb',
    'scan',
    'telnet',
    { rate: 5, port: 5555, seconds: 5 * MIN },
    4,
    'port 5555 (ADB), 5/s',
  ),
  p('scan-http', 'scan', 'telnet', { rate: 2, port: 80, seconds: 10 * MIN }, 4, 'port 80, 2/s'),
  p('scan-lan', 'scan', 'telnet+lan', { internet: 0, seconds: 5 * MIN }, 4, 'LAN /24 only, 23'),
  p(
    'scan-lan-slow',
    'scan',
    'telnet+lan',
    { internet: 0, lanGapS: 5, lanPort: 554, seconds: 25 * MIN },
    4,
    'LAN /24 only, 554, 5 s an address',
  ),
  // Brute force: slow, on every service the injector knows.
  p(
    'bf-ssh-20s',
    'brute_force',
    'ssh',
    { rate: 1 / 20, attempts: 60, seconds: 20 * MIN },
    4,
    'SSH, 1 / 20 s',
  ),
  p(
    'bf-http-15s',
    'brute_force',
    'router-http',
    { rate: 1 / 15, attempts: 80, seconds: 20 * MIN },
    4,
    'HTTP basic, 1 / 15 s',
  ),
  p(
    'bf-telnet-30s',
    'brute_force',
    'telnet',
    { rate: 1 / 30, attempts: 40, seconds: 20 * MIN },
    4,
    'telnet, 1 / 30 s',
  ),
  p(
    'bf-ssh-10s',
    'brute_force',
    'ssh',
    { rate: 0.1, attempts: 60, seconds: 10 * MIN },
    4,
    'SSH, 1 / 10 s',
  ),
  p(
    'bf-rtsp',
    'brute_force',
    'rtsp',
    { rate: 1, attempts: 120, seconds: 3 * MIN },
    4,
    'RTSP (554), 1/s',
  ),
  p(
    'bf-rtsp-15s',
    'brute_force',
    'rtsp',
    { rate: 1 / 15, attempts: 80, seconds: 20 * MIN },
    4,
    'RTSP (554), 1 / 15 s',
  ),
  // Beacons: slower, more jitter, other ports.
  p(
    'beacon-5m-25%',
    'beaconing',
    'host',
    { periodS: 5 * MIN, jitter: 0.25, contacts: 30, seconds: 150 * MIN },
    5,
    '5 min ±25 %, 443',
  ),
  p(
    'beacon-15m-30%',
    'beaconing',
    'ip',
    { periodS: 15 * MIN, jitter: 0.3, contacts: 14, seconds: 210 * MIN },
    6,
    '15 min ±30 %',
  ),
  p(
    'beacon-60m',
    'beaconing',
    'host',
    { periodS: 60 * MIN, jitter: 0.1, contacts: 8, seconds: 460 * MIN },
    10,
    '60 min ±10 %, 8 contacts',
  ),
  p(
    'beacon-30m',
    'beaconing',
    'ip',
    { periodS: 30 * MIN, jitter: 0.15, contacts: 10, seconds: 290 * MIN },
    7,
    '30 min ±15 %',
  ),
  p(
    'beacon-80',
    'beaconing',
    'ip',
    { periodS: 2 * MIN, jitter: 0.1, port: 80, contacts: 40, seconds: 80 * MIN },
    4,
    '2 min ±10 %, port 80',
  ),
  p(
    'beacon-8080-30%',
    'beaconing',
    'host',
    { periodS: MIN, jitter: 0.3, port: 8080, contacts: 60, seconds: 60 * MIN },
    4,
    '1 min ±30 %, 8080',
  ),
  p(
    'beacon-high-10m',
    'beaconing',
    'ip',
    { periodS: 10 * MIN, jitter: 0.2, port: 47113, contacts: 15, seconds: 150 * MIN },
    5,
    '10 min ±20 %, 47113',
  ),
  // Over IPv6, from the device's global address (the home's prefix is learned, not configured).
  p(
    'beacon-v6-spk',
    'beaconing',
    'host',
    { periodS: 2 * MIN, jitter: 0.1, contacts: 40, seconds: 80 * MIN, ipv6: 1 },
    4,
    'speaker, 2 min ±10 %, IPv6, looked up by AAAA',
    'speaker',
  ),
  p(
    'beacon-v6-tv',
    'beaconing',
    'host',
    { periodS: 5 * MIN, jitter: 0.05, contacts: 30, seconds: 150 * MIN, ipv6: 1 },
    5,
    'TV, 5 min ±5 %, IPv6, looked up by AAAA',
    'tv',
  ),
  // The other behaviours over IPv6 (tune key `ipv6`), from kinds with a global address.
  p(
    'inbound-v6-tv',
    'inbound_exposure',
    'forward',
    { ipv6: 1 },
    4,
    'TV, internet peers to its global IPv6 address (no NAT)',
    'tv',
  ),
  p('mw-v6-ip-tv', 'malware_download', 'elf', { ipv6: 1 }, 4, 'TV, ELF from http://[v6]/', 'tv'),
  p(
    'mw-v6-name-tv',
    'malware_download',
    'elf',
    { ipv6: 1, named: 1 },
    4,
    'TV, ELF from a new name, AAAA',
    'tv',
  ),
  p(
    'upload-v6-spk',
    'abnormal_upload',
    'new-host',
    { ipv6: 1 },
    4,
    'speaker, 16–64 kbit/s to a new host over IPv6',
    'speaker',
  ),
  p(
    'upload-v6-8k-tv',
    'abnormal_upload',
    'new-host',
    { ipv6: 1, kbps: 8, seconds: 10 * MIN },
    4,
    'TV, 8 kbit/s / 10 min, new host over IPv6',
    'tv',
  ),
  p(
    'mining-v6-tv',
    'crypto_mining',
    'stratum',
    { ipv6: 1, named: 1, seconds: 30 * MIN },
    4,
    'TV, stratum to a pool by name, AAAA',
    'tv',
  ),
  p(
    'mining-v6-ip-laptop',
    'crypto_mining',
    'xmrig',
    { ipv6: 1, named: 0, seconds: 30 * MIN },
    4,
    'laptop, xmrig to a bare [v6] pool',
    'laptop',
  ),
  p(
    'scan-lan-v6-tv',
    'scan',
    'telnet+lan',
    { internet: 0, lan6: 1, seconds: 5 * MIN },
    4,
    'TV, LAN over IPv6 only (global + link-local of each IPv6 device), 23',
    'tv',
  ),
  // Small leaks.
  p(
    'upload-4k-vac',
    'abnormal_upload',
    'new-host',
    { kbps: 4, seconds: 10 * MIN },
    4,
    'vacuum, 4 kbit/s (300 kB) / 10 min, new host',
    'vacuum',
  ),
  p(
    'upload-4k-cloud',
    'abnormal_upload',
    'cloud',
    { kbps: 4, seconds: 10 * MIN },
    4,
    'vacuum, 4 kbit/s / 10 min, own cloud',
    'vacuum',
  ),
  p(
    'upload-8k-tv',
    'abnormal_upload',
    'new-host',
    { kbps: 8, seconds: 10 * MIN },
    4,
    'TV, 8 kbit/s (600 kB) / 10 min, new host',
    'tv',
  ),
  p(
    'upload-6k-spk',
    'abnormal_upload',
    'cloud',
    { kbps: 6, seconds: 10 * MIN },
    4,
    'speaker, 6 kbit/s / 10 min, own cloud',
    'speaker',
  ),
  // DNS at a low rate.
  p(
    'dga-slow',
    'dns_anomaly',
    'dga',
    { rate: 0.5, perBurst: 20, gapS: 10 * MIN, bursts: 4, seconds: 40 * MIN },
    4,
    'DGA, 20 names at 0.5/s, every 10 min',
  ),
  p(
    'dga-trickle',
    'dns_anomaly',
    'dga',
    { rate: 0.05, perBurst: 60, bursts: 1, seconds: 20 * MIN },
    4,
    'DGA, 1 name / 20 s for 20 min',
  ),
  p(
    'tunnel-slow',
    'dns_anomaly',
    'tunnel',
    { rate: 0.2, seconds: 15 * MIN },
    4,
    'tunnel, 1 query / 5 s',
  ),
  // Miners on ports no pool list has.
  p('mining-80', 'crypto_mining', 'stratum', { port: 80, seconds: 30 * MIN }, 4, 'stratum on 80'),
  p('mining-8080', 'crypto_mining', 'xmrig', { port: 8080, seconds: 30 * MIN }, 4, 'xmrig on 8080'),
  p(
    'mining-high',
    'crypto_mining',
    'xmrig',
    { port: 51234, seconds: 30 * MIN },
    4,
    'xmrig on 51234',
  ),
  // Past the edges: where it breaks, by design or not.
  p(
    'edge-scan-30s',
    'scan',
    'telnet',
    { rate: 1 / 30, seconds: 60 * MIN },
    4.5,
    'telnet, 1 SYN / 30 s for an hour',
  ),
  p(
    'edge-scan-lan-30s',
    'scan',
    'telnet+lan',
    { internet: 0, lanGapS: 30, seconds: 130 * MIN },
    5,
    'LAN /24 only, 30 s an address (2 h)',
  ),
  p(
    'edge-bf-60s',
    'brute_force',
    'ssh',
    { rate: 1 / 60, attempts: 40, seconds: 40 * MIN },
    4,
    'SSH, 1 / min',
  ),
  p(
    'edge-upload-2k',
    'abnormal_upload',
    'new-host',
    { kbps: 2, seconds: 15 * MIN },
    4,
    'vacuum, 2 kbit/s / 15 min',
    'vacuum',
  ),
  p(
    'edge-upload-2s',
    'abnormal_upload',
    'new-host',
    { kbps: 8, chunkMs: 2000, seconds: 10 * MIN },
    4,
    'vacuum, 8 kbit/s in a chunk every 2 s',
    'vacuum',
  ),
  p(
    'edge-dga-2m',
    'dns_anomaly',
    'dga',
    { rate: 1 / 120, perBurst: 20, bursts: 1, seconds: 40 * MIN },
    4,
    'DGA, 1 name / 2 min',
  ),
  // Dropper commands sent to the device before (or instead of) the download.
  p('mw-telnet-wget', 'malware_download', 'elf', { command: 1 }, 4, 'telnet login, then wget'),
  p('mw-echo', 'malware_download', 'elf', { command: 2 }, 4, 'echo loader over telnet'),
  p('mw-http-query', 'malware_download', 'elf', { command: 3 }, 4, 'JAWS: wget in the URL query'),
  p('mw-http-body', 'malware_download', 'elf', { command: 4 }, 4, 'GPON: wget in a POST body'),
  p(
    'mw-curl-sh-lan',
    'malware_download',
    'script',
    { command: 5, lan: 1 },
    4,
    'curl piped to sh on 2323, from a LAN device',
  ),
  p('mw-tftp', 'malware_download', 'elf', { command: 6 }, 4, 'tftp -g over telnet, no HTTP'),
  p(
    'mw-cmd-only',
    'malware_download',
    'elf',
    { command: 1, download: 0 },
    4,
    'telnet wget, the download not seen (HTTPS)',
  ),
  p(
    'edge-beacon-2h',
    'beaconing',
    'host',
    // 4 intervals of up to 2.2 h fit in 9 h; the planner gives an event at most 0.8 of the
    // time from the earliest injection (1.5–2 h in) to 10 min before the end: 14 h.
    { periodS: 120 * MIN, jitter: 0.1, contacts: 5, seconds: 540 * MIN },
    14,
    '2 h ±10 %, 5 contacts',
  ),
  // Floods (never drawn: abnormal_upload's `floodPps` tune key, inject/flood.ts), 3 min each,
  // from a camera: forged sources, GRE, ICMP, SYNs to random ports, one port of a LAN device.
  flood('flood-forged', { floodPps: 300, forged: 1 }, 'UDP 300/s from forged sources'),
  flood('flood-gre', { floodPps: 300, floodProto: 47 }, 'GRE 300/s'),
  flood('flood-icmp', { floodPps: 300, floodProto: 1 }, 'ICMP echo 300/s, unanswered'),
  flood(
    'flood-syn-ports',
    { floodPps: 400, floodProto: 6, floodPort: 0 },
    'SYN 400/s, random ports',
  ),
  flood(
    'flood-lan-udp',
    { floodPps: 1000, lanTarget: 1, floodPort: 9000 },
    'UDP 1000/s, one LAN port',
  ),
];

/** A camera's flood of 3 min (inject/flood.ts's tune keys). */
function flood(name: string, tune: Record<string, number>, what: string): SweepPoint {
  return p(name, 'abnormal_upload', 'new-host', { ...tune, seconds: 3 * MIN }, 4, what, 'camera');
}

function p(
  name: string,
  behaviour: Behaviour,
  variant: string,
  tune: Record<string, number>,
  hours: number,
  what: string,
  kind?: DeviceKind,
): SweepPoint {
  return kind === undefined
    ? { name, behaviour, variant, tune, hours, what }
    : { name, behaviour, variant, tune, hours, what, kind };
}

/**
 * LAN activities: mDNS announcements and queries, SSDP NOTIFY, and phones talking to
 * other devices in the home (hub API over HTTP, speaker setup, camera video over UDP).
 * @module
 */
import type { Activity } from './activities.js';
import { Exchange, X_ARP_RESOLVE, ipText } from './exchanges.js';
import { APP_HTTP, APP_RAW, Flow, flowSpec } from './flow.js';
import { emptyConn, ipv4MulticastMac, ipv6MulticastMac, type Conn } from './frames.js';
import { QTYPE_PTR, writeMdnsAnnounce, writeMdnsQuery } from './protocols/dns.js';
import { SSDP_GROUP, SSDP_PORT, writeSsdpNotify } from './protocols/ssdp.js';
import type { Device, Sim } from './sim.js';

const MS = 1e3;
const MDNS_GROUP = 0xe00000fb; // 224.0.0.251
const MDNS6_GROUP = Uint8Array.from([0xff, 0x02, ...new Array<number>(13).fill(0), 0xfb]);

/** Multicast UDP from a device (mDNS, SSDP): fills a scratch Conn. */
function multicast(
  sim: Sim,
  d: Device,
  c: Conn,
  group: number,
  port: number,
  srcPort: number,
  ttl: number,
): Conn {
  c.v6 = false;
  c.macA = d.mac;
  c.macB = ipv4MulticastMac(group);
  c.ip4A = d.ip4;
  c.ip4B = group;
  c.portA = srcPort;
  c.portB = port;
  c.ttlA = ttl;
  return c;
}

const scratch: Conn = { ...emptyConn(), ttlA: 0, ttlB: 0 };

function announce(sim: Sim, d: Device): void {
  const svc = d.vendor.mdnsService;
  const instance = `${d.vendor.name} ${d.kind} ${d.mac.toString(16).slice(-4)}`;
  const port = svc === '_hue._tcp' ? 443 : 8009;
  for (let v6 = 0; v6 < (d.ll6 === null ? 1 : 2); v6++) {
    const c = multicast(sim, d, scratch, MDNS_GROUP, 5353, 5353, 255); // RFC 6762 §11
    if (v6 === 1) {
      c.v6 = true;
      c.ip6A = d.ll6;
      c.ip6B = MDNS6_GROUP;
      c.macB = ipv6MulticastMac(MDNS6_GROUP);
    }
    const off = sim.f.beginUdp(c.v6);
    const len = writeMdnsAnnounce(sim.buf, off, d.hostname, d.ip4, svc, instance, port);
    sim.f.endUdp(sim.epochUs(sim.now), c, true, len, len);
  }
}

export const mdnsAnnounce: Activity = announce;

export const mdnsQuery: Activity = (sim, d) => {
  const svc = sim.rng.pick([
    '_googlecast._tcp',
    '_airplay._tcp',
    '_hue._tcp',
    '_sonos._tcp',
    '_amzn-wplay._tcp',
  ]);
  const c = multicast(sim, d, scratch, MDNS_GROUP, 5353, 5353, 255);
  const off = sim.f.beginUdp(false);
  const len = writeMdnsQuery(sim.buf, off, svc + '.local', QTYPE_PTR);
  sim.f.endUdp(sim.epochUs(sim.now), c, true, len, len);
  for (const p of sim.devices) if (p.ready && p.vendor.mdnsService === svc) announce(sim, p);
};

export const ssdpNotify: Activity = (sim, d) => {
  const server = d.vendor.ssdpServer;
  if (server === null) return;
  const loc = `http://${ipText(d.ip4)}:49152/description.xml`;
  for (const nt of ['upnp:rootdevice', `uuid:${d.uuid}`, 'urn:schemas-upnp-org:device:Basic:1']) {
    const c = multicast(sim, d, scratch, SSDP_GROUP, SSDP_PORT, SSDP_PORT, 4);
    const off = sim.f.beginUdp(false);
    const len = writeSsdpNotify(sim.buf, off, loc, server, d.uuid, nt);
    sim.f.endUdp(sim.epochUs(sim.now), c, true, len, len);
  }
};

/**
 * Phone or laptop talking to a LAN peer: hub API over HTTP, speaker setup, camera video
 * (`videoRounds`: how many frames of it, drawn in the range).
 */
export function makeLanControl(videoRounds: readonly [number, number]): Activity {
  return (sim, d) => lanControlOnce(sim, d, videoRounds);
}

function lanControlOnce(sim: Sim, d: Device, videoRounds: readonly [number, number]): void {
  const p = sim.findDevice(['hub', 'speaker', 'camera', 'tv'], d);
  if (p === null) return;
  const r = sim.rng;
  let flow: Flow;
  if (p.kind === 'camera') {
    // The camera streams RTP-like UDP video to the phone for a while.
    const c = sim.connLan(p, d, 2 * r.int(8192, 8242)); // even RTP ports 16384+
    flow = new Flow(
      sim,
      2 * MS,
      flowSpec(sim, c, {
        tcp: false,
        app: APP_RAW,
        rounds: r.int(videoRounds[0], videoRounds[1]),
        upMin: 800,
        upMax: 4000,
        downMin: 0,
        downMax: 0,
        burstChance: 1 / 30,
        burstFactor: 6,
        pauseMinUs: 55 * MS,
        pauseMaxUs: 75 * MS,
        segGapUs: 200,
        rttUs: 2 * MS,
        ackEvery: 0,
      }),
    );
  } else {
    const hue = p.vendor.mdnsService === '_hue._tcp';
    const c = sim.connLan(d, p, hue || p.kind !== 'speaker' ? 80 : 8008);
    flow = new Flow(
      sim,
      2 * MS,
      flowSpec(sim, c, {
        app: APP_HTTP,
        name: ipText(p.ip4),
        path: hue ? '/api/7b2e4a1c9f/lights' : '/setup/eureka_info',
        userAgent: d.vendor.userAgent,
        downMin: 300,
        downMax: 4000,
        rttUs: r.range(1, 6) * MS,
        ackEvery: 1,
      }),
    );
  }
  const x = new Exchange(X_ARP_RESOLVE, d, sim.now);
  x.peers.push(p);
  x.then = flow;
  sim.schedule(x);
}

/** The bench home's: 10–40 s of camera video a look. */
export const lanControl: Activity = makeLanControl([150, 600]);

/**
 * What devices do over time, on the internet side. Each activity is a row in ACTIVITIES:
 * a function that, when its periodic timer fires, emits a packet or starts exchanges and
 * flows. Device types pick their activities in profiles.ts; LAN activities are in lan.ts.
 * @module
 */
import {
  Exchange,
  X_ARP_REFRESH,
  X_DHCP_RENEW,
  X_NTP,
  X_SSDP_SEARCH,
  dnsThen,
} from './exchanges.js';
import { APP_HTTP, APP_QUIC, APP_RAW, APP_TLS, Flow, flowSpec, type FlowSpec } from './flow.js';
import { HTTP_CHECKS, NTP_HOSTS, WEB_HOSTS } from './hosts.js';
import { lanControl, mdnsAnnounce, mdnsQuery, ssdpNotify } from './lan.js';
import { PROFILES } from './profiles.js';
import type { Device, Sim } from './sim.js';

export type Activity = (sim: Sim, d: Device) => void;

const S = 1e6;
const MS = 1e3;

/** Look the host up, then open a flow to it. */
export function viaDns(
  sim: Sim,
  d: Device,
  name: string,
  port: number,
  v6: boolean,
  delayUs: number,
  o: Partial<FlowSpec>,
): Flow {
  const h = sim.host(name);
  const c = sim.connToHost(d, h, port, v6);
  const flow = new Flow(sim, sim.rng.range(200, 3000), flowSpec(sim, c, { name, ...o }));
  dnsThen(sim, d, h, sim.now + delayUs, v6 && d.ip6 !== null, flow);
  return flow;
}

/** A value this device keeps for good once drawn (its own period, port, servers…). */
export function ownValue(d: Device, key: string, draw: () => number): number {
  if (d.own === null) d.own = new Map();
  let v = d.own.get(key);
  if (v === undefined) {
    v = draw();
    d.own.set(key, v);
  }
  return v;
}

/** A period (µs) this device keeps for good once drawn in [loS, hiS]: its own rhythm. */
export function ownPeriod(sim: Sim, d: Device, key: string, loS: number, hiS: number): number {
  return ownValue(d, key, () => sim.rng.range(loS, hiS) * S);
}

export function v6For(sim: Sim, d: Device): boolean {
  return d.ip6 !== null && sim.rng.chance(PROFILES[d.kind].ipv6Share);
}

const heartbeat: Activity = (sim, d) => {
  const phone = d.kind === 'phone' || d.kind === 'laptop';
  viaDns(sim, d, d.vendor.cloud[0], d.vendor.cloudPort, v6For(sim, d), 0, {
    rounds: phone ? sim.rng.int(3, 6) : sim.rng.int(30, 60),
    upMin: 60,
    upMax: 300,
    downMin: 40,
    downMax: 250,
    pauseMinUs: (phone ? 240 : 30) * S,
    pauseMaxUs: (phone ? 600 : 60) * S,
    ackEvery: 1,
  });
};

const cameraStream: Activity = (sim, d) => {
  const seconds = sim.rng.range(800, 1700);
  viaDns(sim, d, d.vendor.cloud[1] ?? d.vendor.cloud[0], 443, false, 0, {
    rounds: Math.round(seconds * 15),
    upMin: 200,
    upMax: 1400,
    downMin: 0,
    downMax: 0,
    burstChance: 1 / 30, // a key frame every couple of seconds
    burstFactor: 12,
    ackEvery: 1,
    pauseMinUs: 50 * MS,
    pauseMaxUs: 80 * MS,
    segGapUs: 250,
  });
};

function stream(
  sim: Sim,
  d: Device,
  seconds: number,
  chunkMin: number,
  chunkMax: number,
  everyS: number,
): void {
  const cloud = d.vendor.cloud;
  viaDns(sim, d, cloud[cloud.length - 1], 443, v6For(sim, d), 0, {
    rounds: Math.max(1, Math.round(seconds / everyS)),
    upMin: 300,
    upMax: 700,
    downMin: chunkMin,
    downMax: chunkMax,
    pauseMinUs: everyS * 0.7 * S,
    pauseMaxUs: everyS * 1.3 * S,
    segGapUs: 110,
  });
}

const audioStream: Activity = (sim, d) => {
  if (sim.rng.chance(0.6)) stream(sim, d, sim.rng.range(180, 900), 30_000, 120_000, 8);
};

const videoStream: Activity = (sim, d) => {
  if (sim.rng.chance(0.3)) stream(sim, d, sim.rng.range(600, 1800), 80_000, 250_000, 4);
};

export const QUIC_HOSTS = new Set([
  'www.google.com',
  'www.youtube.com',
  'i.ytimg.com',
  'fonts.gstatic.com',
  'www.gstatic.com',
  'play.googleapis.com',
]);

const browse: Activity = (sim, d) => {
  const r = sim.rng;
  const n = r.int(3, 10);
  let delay = 0;
  for (let i = 0; i < n; i++) {
    const name = r.pick(WEB_HOSTS);
    const quic = QUIC_HOSTS.has(name) && r.chance(0.5);
    viaDns(sim, d, name, 443, v6For(sim, d), delay, {
      tcp: !quic,
      app: quic ? APP_QUIC : APP_TLS,
      rounds: r.int(2, 8),
      upMin: 200,
      upMax: 900,
      downMin: 300,
      downMax: 15_000,
      burstChance: 0.1,
      burstFactor: 5,
      pauseMinUs: 50 * MS,
      pauseMaxUs: 3 * S,
      segGapUs: r.range(80, 200),
    });
    delay += r.range(20 * MS, 800 * MS);
  }
  if (r.chance(0.1)) httpCheck(sim, d);
};

/** A voice call: RTP-like UDP audio both ways every 20 ms (Zoom's media port 8801). */
const call: Activity = (sim, d) => {
  if (!sim.rng.chance(0.5)) return;
  const seconds = sim.rng.range(300, 1200);
  viaDns(sim, d, `zoomfr${sim.rng.int(10, 99)}mmr.zoom.us`, 8801, false, 0, {
    tcp: false,
    app: APP_RAW,
    rounds: Math.round(seconds * 50),
    upMin: 90,
    upMax: 180,
    downMin: 90,
    downMax: 180,
    pauseMinUs: 19 * MS,
    pauseMaxUs: 21 * MS,
    ackEvery: 0,
  });
};

const download: Activity = (sim, d) => {
  viaDns(
    sim,
    d,
    sim.rng.pick(['dl.google.com', 'update.googleapis.com', 'github.com']),
    443,
    v6For(sim, d),
    0,
    {
      downMin: 1_000_000,
      downMax: 8_000_000,
      segGapUs: 110,
    },
  );
};

const mapUpload: Activity = (sim, d) => {
  viaDns(sim, d, d.vendor.cloud[1] ?? d.vendor.cloud[0], 443, false, 0, {
    upMin: 200_000,
    upMax: 1_000_000,
    downMin: 100,
    downMax: 400,
    segGapUs: 400,
  });
};

const httpCheck: Activity = (sim, d) => {
  const v = d.vendor.name;
  const i =
    v === 'Apple'
      ? 1
      : d.vendor.vendorClass?.startsWith('android')
        ? 0
        : v === 'Intel'
          ? 2
          : sim.rng.int(0, HTTP_CHECKS.length - 1);
  const [host, path] = HTTP_CHECKS[i];
  const big = path.endsWith('.cab');
  viaDns(sim, d, host, 80, false, 0, {
    app: APP_HTTP,
    path,
    userAgent: d.vendor.userAgent,
    downMin: big ? 20_000 : 0,
    downMax: big ? 60_000 : 300,
    ackEvery: 1,
  });
};

const ntp: Activity = (sim, d) => {
  const h = sim.host(sim.rng.pick(NTP_HOSTS));
  const x = new Exchange(X_NTP, d, 0);
  x.host = h;
  dnsThen(sim, d, h, sim.now, false, x);
};

function exchange(kind: number): Activity {
  return (sim, d) => sim.schedule(new Exchange(kind, d, sim.now));
}

export const ACTIVITIES: Record<string, Activity> = {
  dhcpRenew: exchange(X_DHCP_RENEW),
  arpRefresh: exchange(X_ARP_REFRESH),
  ssdpSearch: exchange(X_SSDP_SEARCH),
  ntp,
  heartbeat,
  cameraStream,
  audioStream,
  videoStream,
  browse,
  call,
  download,
  mapUpload,
  httpCheck,
  mdnsAnnounce,
  mdnsQuery,
  ssdpNotify,
  lanControl,
};

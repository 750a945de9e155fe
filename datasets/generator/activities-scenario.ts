/**
 * What devices do in a scenario home: the bench home's heavy streams scaled down with
 * their shape kept (a camera's steady constant-rate upload, a TV's chunked download), and
 * the traps a naive detector falls for, present in every benign home: a photo backup
 * burst to the phone's usual cloud, a laptop on sites it never visited, NTP pool names
 * that resolve somewhere new each time, steady heartbeats, a camera's P2P hellos to bare
 * addresses, a camera's IGD search with no mapping, a TV's or hub's UPnP status query, a
 * phone's SOAP call to a renderer.
 * The new kinds' activities (toy, lock, printer, thermostat) are in activities-kinds.ts.
 * @module
 */
import { QUIC_HOSTS, ownPeriod, ownValue, v6For, viaDns, type Activity } from './activities.js';
import { KIND_ACTIVITIES } from './activities-kinds.js';
import { Exchange, X_NTP, dnsThen, ipText } from './exchanges.js';
import { APP_QUIC, APP_RAW, APP_TLS } from './flow.js';
import { emptyConn, type Conn } from './frames.js';
import { WEB_HOSTS } from './hosts.js';
import { makeLanControl } from './lan.js';
import { quietPort } from './ports.js';
import { IGD_ST } from './protocols/upnp.js';
import type { Device, Sim } from './sim.js';
import { Steps, sendUdp } from './script.js';
import { igdControl, rendererControl, ssdpSearchGateway } from './upnp-lan.js';

const S = 1e6;
const MS = 1e3;

/**
 * Video to the camera's cloud, scaled from 15 fps to one ~1 KB frame every 1.6–2.5 s (the
 * camera's own clock, ±5 %), key frames ×3: steady, large for the device, constant-rate.
 */
const cameraVideo: Activity = (sim, d) => {
  const frameUs = ownPeriod(sim, d, 'frame', 1.6, 2.5);
  const seconds = sim.rng.range(800, 1700);
  viaDns(sim, d, d.vendor.cloud[1] ?? d.vendor.cloud[0], 443, false, 0, {
    rounds: Math.round((seconds * S) / frameUs),
    upMin: 700,
    upMax: 1300,
    downMin: 0,
    downMax: 0,
    burstChance: 1 / 10,
    burstFactor: 3,
    ackEvery: 2,
    pauseMinUs: 0.95 * frameUs,
    pauseMaxUs: 1.05 * frameUs,
    segGapUs: 400,
  });
};

function chunked(
  sim: Sim,
  d: Device,
  seconds: number,
  lo: number,
  hi: number,
  everyS: number,
): void {
  const cloud = d.vendor.cloud;
  viaDns(sim, d, cloud[cloud.length - 1], 443, v6For(sim, d), 0, {
    rounds: Math.max(1, Math.round(seconds / everyS)),
    upMin: 200,
    upMax: 500,
    downMin: lo,
    downMax: hi,
    pauseMinUs: everyS * 0.8 * S,
    pauseMaxUs: everyS * 1.2 * S,
    segGapUs: 300,
    ackEvery: 2,
  });
}

const tvVideo: Activity = (sim, d) => {
  if (sim.rng.chance(0.3)) chunked(sim, d, sim.rng.range(600, 1800), 5000, 12_000, 5);
};

const speakerAudio: Activity = (sim, d) => {
  if (sim.rng.chance(0.5)) chunked(sim, d, sim.rng.range(180, 900), 2000, 6000, 8);
};

function browseTo(sim: Sim, d: Device, names: readonly string[]): void {
  const r = sim.rng;
  let delay = 0;
  for (const name of names) {
    const quic = QUIC_HOSTS.has(name) && r.chance(0.5);
    viaDns(sim, d, name, 443, v6For(sim, d), delay, {
      tcp: !quic,
      app: quic ? APP_QUIC : APP_TLS,
      rounds: r.int(1, 4),
      upMin: 200,
      upMax: 700,
      downMin: 300,
      downMax: 6000,
      burstChance: 0.1,
      burstFactor: 3,
      pauseMinUs: 50 * MS,
      pauseMaxUs: 2 * S,
      segGapUs: r.range(80, 200),
    });
    delay += r.range(20 * MS, 800 * MS);
  }
}

const browseLite: Activity = (sim, d) => {
  const n = sim.rng.int(2, 6);
  const names: string[] = [];
  for (let i = 0; i < n; i++) names.push(sim.rng.pick(WEB_HOSTS));
  browseTo(sim, d, names);
};

const WORDS_A = [
  'green',
  'little',
  'urban',
  'daily',
  'quiet',
  'bright',
  'north',
  'happy',
  'wild',
  'open',
  'modern',
  'simple',
  'golden',
  'smart',
  'local',
  'fresh',
  'silver',
  'grand',
  'rapid',
  'true',
];
const WORDS_B = [
  'kitchen',
  'garden',
  'travel',
  'cycling',
  'recipes',
  'review',
  'news',
  'maker',
  'coffee',
  'bikes',
  'books',
  'photo',
  'craft',
  'hiking',
  'sound',
  'games',
  'studio',
  'market',
  'notes',
  'weather',
];
const TLDS = ['com', 'com', 'net', 'org', 'co.uk', 'de', 'io', 'blog'];

/** Trap: sites the laptop never visited before, each with a static-content host. */
const browseNew: Activity = (sim, d) => {
  const r = sim.rng;
  const site = `${r.pick(WORDS_A)}${r.pick(WORDS_B)}${r.chance(0.3) ? r.int(1, 99) : ''}.${r.pick(TLDS)}`;
  const names = [`www.${site}`];
  if (r.chance(0.7)) names.push(`${r.pick(['static', 'cdn', 'img', 'assets'])}.${site}`);
  browseTo(sim, d, names);
};

/** Voice call, 60 ms Opus frames both ways (scaled from 20 ms), 1–4 minutes. */
const callLite: Activity = (sim, d) => {
  if (!sim.rng.chance(0.3)) return;
  const seconds = sim.rng.range(60, 240);
  viaDns(sim, d, `zoomfr${sim.rng.int(10, 99)}mmr.zoom.us`, 8801, false, 0, {
    tcp: false,
    app: APP_RAW,
    rounds: Math.round(seconds / 0.06),
    upMin: 120,
    upMax: 220,
    downMin: 120,
    downMax: 220,
    pauseMinUs: 58 * MS,
    pauseMaxUs: 62 * MS,
    ackEvery: 0,
  });
};

const downloadLite: Activity = (sim, d) => {
  const name = sim.rng.pick(['dl.google.com', 'update.googleapis.com', 'github.com']);
  viaDns(sim, d, name, 443, v6For(sim, d), 0, {
    downMin: 50_000,
    downMax: 500_000,
    segGapUs: 150,
    ackEvery: 2,
  });
};

/** The phone's small syncs with its photo cloud, so the backup host is a known one. */
const cloudSync: Activity = (sim, d) => {
  viaDns(sim, d, d.vendor.cloud[1] ?? d.vendor.cloud[0], 443, v6For(sim, d), 0, {
    rounds: sim.rng.int(1, 3),
    upMin: 400,
    upMax: 4000,
    downMin: 200,
    downMax: 3000,
  });
};

/** Trap: a photo backup, a large upload (scaled: 2.5–6 MB) to the phone's usual cloud. */
const photoBackup: Activity = (sim, d) => {
  viaDns(sim, d, d.vendor.cloud[1] ?? d.vendor.cloud[0], 443, false, 0, {
    rounds: sim.rng.int(5, 10),
    upMin: 500_000,
    upMax: 600_000,
    downMin: 100,
    downMax: 400,
    pauseMinUs: 100 * MS,
    pauseMaxUs: 900 * MS,
    segGapUs: 180,
    ackEvery: 2,
  });
};

/** Trap: a steady heartbeat on one long TLS connection, the device's own period ±2 %. */
const steadyHeartbeat: Activity = (sim, d) => {
  const period = ownPeriod(sim, d, 'heartbeat', 20, 90);
  viaDns(sim, d, d.vendor.cloud[0], d.vendor.cloudPort, false, 0, {
    rounds: Math.round((sim.rng.range(1200, 2400) * S) / period),
    upMin: 60,
    upMax: 120,
    downMin: 40,
    downMax: 90,
    pauseMinUs: period * 0.98,
    pauseMaxUs: period * 1.02,
    ackEvery: 1,
  });
};

const NTP_ZONES: Record<string, string> = {
  Amazon: 'amazon.',
  Samsung: 'android.',
  OnePlus: 'android.',
  Google: 'android.',
  'GIGA-BYTE': 'debian.',
};

/** Trap: NTP against a pool name that resolves to a different server each time. */
const ntpPool: Activity = (sim, d) => {
  const zone = NTP_ZONES[d.vendor.name] ?? (sim.rng.chance(0.5) ? 'openwrt.' : '');
  const name = `${sim.rng.int(0, 3)}.${zone}pool.ntp.org`;
  const h = sim.freshHost(name);
  const x = new Exchange(X_NTP, d, 0);
  x.host = h;
  dnsThen(sim, d, h, sim.now, false, x);
};

/** Trap: a camera looks for the router's IGD (and sometimes reads it) but maps nothing. */
const igdProbe: Activity = (sim, d) => {
  const then = sim.rng.chance(0.4)
    ? igdControl(sim, d, sim.rng.range(5, 50) * MS, [], 'miniupnpc/2.0', null)
    : null;
  sim.schedule(ssdpSearchGateway(sim, d, sim.now, IGD_ST, null, then));
};

/** Trap: a TV or hub reads the router's description and asks its external address. */
const igdStatus: Activity = (sim, d) => {
  const calls = [
    { action: 'GetExternalIPAddress', args: [], result: [['NewExternalIPAddress', extIp(sim)]] },
    {
      action: 'GetStatusInfo',
      args: [],
      result: [
        ['NewConnectionStatus', 'Connected'],
        ['NewLastConnectionError', 'ERROR_NONE'],
        ['NewUptime', String(sim.rng.int(3600, 3_000_000))],
      ],
    },
  ] as const;
  const ctl = igdControl(sim, d, sim.rng.range(5, 50) * MS, calls, d.vendor.userAgent, null);
  sim.schedule(ssdpSearchGateway(sim, d, sim.now, IGD_ST, null, ctl));
};

/** The home's public address as the router reports it (fixed per run, from the MAC). */
export function extIp4(sim: Sim): number {
  const m = sim.gatewayMac;
  const a = [81, 85, 91, 178][m % 4];
  return (
    ((a << 24) | (((m >>> 8) & 255) << 16) | (((m >>> 16) & 255) << 8) | ((m % 250) + 2)) >>> 0
  );
}

export function extIp(sim: Sim): string {
  return ipText(extIp4(sim));
}

/** Trap: a phone's control point reads a TV's or speaker's description and volume. */
const rendererSoap: Activity = (sim, d) => {
  const p = sim.findDevice(['tv', 'speaker'], d);
  if (p === null) return;
  const s = rendererControl(sim, d, p);
  s.at += sim.now;
  sim.schedule(s);
};

/** CS2 PPPP (the P2P SDK of many cheap cameras), UDP port of its servers. */
const PPPP_PORT = 32100;
const PPPP_HELLO = Buffer.from([0xf1, 0x00, 0x00, 0x00]);

/**
 * Trap: a camera's P2P SDK says hello to its 2–3 servers at addresses built into the
 * firmware (no DNS), every 40–80 s, each answering with the camera's public address:
 * beacon-like, to bare IPs, and normal from the first minute.
 */
const p2pHello: Activity = (sim, d) => {
  const r = sim.rng;
  const n = ownValue(d, 'p2pServers', () => r.int(2, 3));
  const port = ownValue(d, 'p2pPort', () => quietPort(r, 10000, 60000));
  const conns: Conn[] = [];
  for (let i = 0; i < n; i++) {
    conns.push({
      ...emptyConn(),
      macA: d.mac,
      macB: sim.gatewayMac,
      ip4A: d.ip4,
      ip4B: ownValue(d, `p2pServer${i}`, () => sim.freshHost('').ip4),
      portA: port,
      portB: PPPP_PORT,
      ttlB: ownValue(d, `p2pTtl${i}`, () => r.pick([64, 128, 255]) - r.int(6, 20)),
    });
  }
  const ack = Buffer.alloc(20);
  ack.set([0xf1, 0x01, 0x00, 0x10, 0x00, 0x02]); // MSG_HELLO_ACK, then the camera's address
  sim.schedule(
    new Steps(sim.now, (sim2, i) => {
      const c = conns[i >> 1];
      if (i % 2 === 0) {
        sendUdp(sim2, c, true, PPPP_HELLO);
      } else {
        ack.writeUInt16BE(c.portA, 6);
        ack.writeUInt32BE(extIp4(sim2), 8); // as the server sees it: the home's public address
        sendUdp(sim2, c, false, ack);
      }
      if (i + 1 >= 2 * conns.length) return -1;
      return i % 2 === 0 ? sim2.rng.range(20, 200) * MS : sim2.rng.range(1, 5) * MS;
    }),
  );
};

/** A phone's look at a LAN device: 3–10 s of camera video (the bench home's: 10–40 s). */
const lanPeek: Activity = makeLanControl([40, 150]);

export const SCENARIO_ACTIVITIES: Record<string, Activity> = {
  lanPeek,
  p2pHello,
  cameraVideo,
  tvVideo,
  speakerAudio,
  browseLite,
  browseNew,
  callLite,
  downloadLite,
  cloudSync,
  photoBackup,
  steadyHeartbeat,
  ntpPool,
  igdProbe,
  igdStatus,
  rendererSoap,
  ...KIND_ACTIVITIES,
};

/**
 * Attacks slower than one window (bench/robustness.ts): a leak of a few kbit/s that never
 * sends abnormal_upload's floor in one minute, a DGA that looks up one name at a time, and a
 * telnet sweep of a SYN every 30 s.
 * Each is named once its evidence adds up across windows; the ordinary trickles that look like
 * them are not.
 */
import { describe, expect, it } from 'vitest';
import { DeviceBaseline } from '../../src/baseline/device-baseline.js';
import { FLOOR_BYTES } from '../../src/detect/abnormal-upload.js';
import { DGA_HORIZON_S, DGA_NX } from '../../src/detect/dns-anomaly.js';
import { REMOTE_HOSTS, SLOW_REMOTE_HOSTS, SLOW_SPAN_S } from '../../src/detect/scan.js';
import type { Detector, Finding } from '../../src/detect/types.js';
import type { Device } from '../../src/devices/device.js';
import type { WindowEvidence } from '../../src/features/evidence.js';
import { FEATURE_NAMES } from '../../src/features/schema.js';
import { fromPlain, toPlain } from '../../src/state/codec.js';
import { thrownCode } from '../helpers/thrown.js';
import { createDetectors } from '../../src/detect/index.js';
import { detector, judge, learned, T0 } from './harness.js';
import { closed, device, peer } from './window.js';

/**
 * `n` consecutive windows from T0 + 2 h, each built by `spec(i)`; the findings of each. With
 * `restartAt`, the detector is replaced before that window by a new one restored from what the
 * old one saved, through JSON as in the state file (a restart with `--state`).
 */
function series(
  det: Detector,
  d: Device,
  n: number,
  spec: (i: number) => { features?: Record<string, number>; evidence?: Partial<WindowEvidence> },
  o: { baseline?: DeviceBaseline; kind?: string; stepS?: number; restartAt?: number } = {},
): Finding[][] {
  const baseline = o.baseline ?? new DeviceBaseline(d.macStr, d.firstSeen, FEATURE_NAMES);
  const out: Finding[][] = [];
  for (let i = 0; i < n; i++) {
    if (i === o.restartAt) det = restarted(det);
    const w = closed(d, { start: T0 + 7200 + i * (o.stepS ?? 60), ...spec(i) });
    out.push(judge(det, w, { baseline, kind: o.kind }));
  }
  return out;
}

/** A new detector of the same behaviour, restored from `det`'s snapshot through JSON. */
function restarted(det: Detector): Detector {
  const json = JSON.stringify(toPlain(det.snapshot?.()));
  const next = detector(det.behaviour);
  next.restore?.(fromPlain(JSON.parse(json)));
  return next;
}

/** Index of the first window with a finding, or -1. */
const firstNamed = (f: Finding[][]): number => f.findIndex((x) => x.length > 0);

/** A leak's upload evidence: `bytes` to the vacuum's own cloud. */
const upload = (bytes: number) => ({
  ip: '52.1.2.3',
  port: 443,
  name: 'mqtt.roborock.com',
  dnsAnswered: true,
  bytes,
  packets: 240,
  durationS: 60,
  pacedS: 0,
  sizeCv: 0.05,
  gapCv: 0.1,
});
const minute = (bytes: number, longestS: number) => () => ({
  features: { bytesUp: bytes, uploadLongestS: longestS },
  evidence: { upload: upload(bytes - 1000) },
});
/**
 * A minute of a leak sent in chunks to a host the device never used: each chunk a second's
 * upload at most, paced for `pacedS`; `down` payload bytes come back (a few ACKed replies).
 */
const chunked =
  (bytes: number, pacedS: number, down = 2_000) =>
  () => ({
    features: { bytesUp: bytes, uploadLongestS: 0.9 },
    evidence: {
      upload: {
        ...upload(bytes - 1000),
        ip: '198.51.100.20',
        name: '',
        dnsAnswered: false,
        pacedS,
      },
      peers: [peer('198.51.100.20', 443, { bytesUp: bytes - 1000, bytesDown: down })],
    },
  });

const TLDS = ['com', 'net', 'info', 'ru', 'biz', 'top'];
/** The i-th random-looking name, under a TLD of its own turn. */
const dgaName = (i: number): string =>
  `${'qzxjwkvbnmplrtyh'.slice(i % 7)}${i.toString(36)}gk.${TLDS[i % TLDS.length]}`;
const oneName = (i: number) => ({
  features: { dnsNxdomain: 1, dnsQueries: 1 },
  evidence: { nxNames: [dgaName(i)] },
});

/** The i-th address the sweep picks (never looked up). */
const addr = (i: number): string => `${100 + (i >> 16)}.${(i >> 8) & 255}.${i & 255}.7`;
const twoSyns =
  (port: (i: number) => number, proto = 6) =>
  (w: number) => ({
    evidence: {
      peers: [0, 1].map((k) =>
        peer(addr(2 * w + k), port(2 * w + k), { proto, failed: 1, probes: 0 }),
      ),
    },
  });

describe('abnormal_upload of a slow leak', () => {
  it('names 4 kbit/s streamed for minutes once it has sent the floor, reporting the streak', () => {
    const d = device();
    const perMin = 31_000; // 4 kbit/s and its TLS overhead
    expect(perMin).toBeLessThan(FLOOR_BYTES);
    const f = series(detector('abnormal_upload'), d, 6, minute(perMin, 60), {
      baseline: learned(d),
    });
    const at = firstNamed(f);
    expect(at).toBe(Math.ceil(FLOOR_BYTES / perMin) - 1);
    expect(f[at][0].ts).toBe(T0 + 7200);
    expect(f[at][0].facts).toMatchObject({ bytes: (at + 1) * perMin, known: true });
  });

  it('is silent for a keep-alive trickle and for short bursts of the same volume', () => {
    const d = device();
    const b = learned(d);
    // A connection kept busy with 5 kB a minute (under the sustained floor) for 20 minutes.
    expect(
      firstNamed(series(detector('abnormal_upload'), d, 20, minute(5_000, 60), { baseline: b })),
    ).toBe(-1);
    // 31 kB a minute, but in bursts of a few seconds (a device's ordinary reports).
    expect(
      firstNamed(series(detector('abnormal_upload'), d, 20, minute(31_000, 5), { baseline: b })),
    ).toBe(-1);
  });

  it('names a leak sent in a chunk every few seconds as a sustained upload', () => {
    const d = device();
    const perMin = 62_000; // 8 kbit/s, a 2 kB chunk every 2 s
    expect(perMin).toBeLessThan(FLOOR_BYTES);
    const f = series(detector('abnormal_upload'), d, 6, chunked(perMin, 59), {
      baseline: learned(d),
    });
    const at = firstNamed(f);
    expect(at).toBe(Math.ceil(FLOOR_BYTES / perMin) - 1);
    expect(f[at][0].ts).toBe(T0 + 7200);
    expect(f[at][0].facts).toMatchObject({ bytes: (at + 1) * perMin });
  });

  it('is silent for chunks whose pauses break every paced run, or a paced trickle', () => {
    const d = device();
    const b = learned(d);
    // The same volume, but no run of chunks a few seconds apart lasts SUSTAIN_S.
    expect(
      firstNamed(series(detector('abnormal_upload'), d, 20, chunked(62_000, 12), { baseline: b })),
    ).toBe(-1);
    // A message every 2 s all minute long, under the sustained floor (a chatty telemetry).
    expect(
      firstNamed(series(detector('abnormal_upload'), d, 20, chunked(8_000, 59), { baseline: b })),
    ).toBe(-1);
  });

  it('does not take a video player’s paced segment requests for a paced leak', () => {
    // A TV streaming from a CDN node it never used asks for a segment every few seconds: paced,
    // new, but each request brings back far more than it sent.
    const d = device();
    const streaming = chunked(62_000, 59, 4_000_000);
    expect(
      firstNamed(series(detector('abnormal_upload'), d, 20, streaming, { baseline: learned(d) })),
    ).toBe(-1);
  });

  it('does not take bursts to the device’s own cloud a few seconds apart for a paced leak', () => {
    // A real plug's phase change sends its cloud bursts 1-7.5 s apart for minutes
    // (nku-lifecycle xiaodu_plug.pcap): paced to a destination in its baseline, not a leak.
    const d = device();
    const own = () => ({
      ...chunked(62_000, 59)(),
      evidence: {
        upload: { ...upload(61_000), ip: '52.1.2.3', name: 'mqtt.roborock.com', pacedS: 59 },
        peers: [peer('52.1.2.3', 443, { bytesUp: 61_000, bytesDown: 2_000 })],
      },
    });
    expect(
      firstNamed(series(detector('abnormal_upload'), d, 20, own, { baseline: learned(d) })),
    ).toBe(-1);
  });

  it('leaves a DNS tunnel to dns_anomaly: queries to a resolver are not an abnormal_upload', () => {
    const d = device();
    const toResolver = (port: number) => () => ({
      features: { bytesUp: 94_000, uploadLongestS: 60 },
      evidence: { upload: { ...upload(93_000), ip: '1.1.1.1', port, name: '' } },
    });
    const b = learned(d);
    for (const port of [53, 853]) {
      expect(
        firstNamed(series(detector('abnormal_upload'), d, 10, toResolver(port), { baseline: b })),
      ).toBe(-1);
    }
    // The same stream to a web port is named.
    expect(
      firstNamed(
        series(detector('abnormal_upload'), d, 10, toResolver(443), { baseline: learned(d) }),
      ),
    ).toBeGreaterThanOrEqual(0);
  });
});

describe('dns_anomaly of a DGA that trickles', () => {
  it('names one failing random name a minute once DGA_NX of them add up', () => {
    const f = series(detector('dns_anomaly'), device(), 15, oneName);
    expect(firstNamed(f)).toBe(DGA_NX - 1);
    expect(f[DGA_NX - 1][0].facts).toMatchObject({ kind: 'dga', nxdomain: DGA_NX });
  });

  it('forgets names past the horizon, and does not judge a phone over it', () => {
    // One name every DGA_HORIZON_S / (DGA_NX - 1) s: never DGA_NX within the horizon.
    const stepS = Math.ceil(DGA_HORIZON_S / (DGA_NX - 2));
    expect(firstNamed(series(detector('dns_anomaly'), device(), 30, oneName, { stepS }))).toBe(-1);
    const phone = series(detector('dns_anomaly'), device(), 30, oneName, { kind: 'phone' });
    expect(firstNamed(phone)).toBe(-1);
  });

  it('does not count a device retrying the same few dead names', () => {
    const retry = (i: number) => oneName(i % 4);
    expect(firstNamed(series(detector('dns_anomaly'), device(), 60, retry))).toBe(-1);
  });
});

describe('scan of a SYN every 30 s', () => {
  it('adds the failed hosts of one port up over the hour: named at SLOW_REMOTE_HOSTS', () => {
    expect(2 * 5).toBeLessThan(REMOTE_HOSTS); // the five-minute span never sees it
    const f = series(
      detector('scan'),
      device(),
      30,
      twoSyns(() => 23),
    );
    expect(firstNamed(f)).toBe(SLOW_REMOTE_HOSTS / 2 - 1);
    expect(f[SLOW_REMOTE_HOSTS / 2 - 1][0].facts).toMatchObject({
      target: 'internet',
      hosts: SLOW_REMOTE_HOSTS,
      ports: [23],
      mirai: true,
    });
  });

  it('is silent for UDP peers, for failures spread over many ports, and past the hour', () => {
    const det = (): Detector => detector('scan');
    expect(
      firstNamed(
        series(
          det(),
          device(),
          40,
          twoSyns(() => 23, 17),
        ),
      ),
    ).toBe(-1);
    expect(
      firstNamed(
        series(
          det(),
          device(),
          40,
          twoSyns((i) => 20_000 + i),
        ),
      ),
    ).toBe(-1);
    // Two hosts every SLOW_SPAN_S / (SLOW_REMOTE_HOSTS / 2 - 2) s: never enough within the hour.
    const stepS = Math.ceil(SLOW_SPAN_S / (SLOW_REMOTE_HOSTS / 2 - 2));
    expect(
      firstNamed(
        series(
          det(),
          device(),
          60,
          twoSyns(() => 23),
          { stepS },
        ),
      ),
    ).toBe(-1);
  });
});

describe('a restart with --state in the middle of a slow attack', () => {
  // The attacks above, the detector restarted halfway: named in the same window, with the same
  // facts, as without the restart (a detector that forgot would start counting again).
  const cases = [
    { behaviour: 'abnormal_upload', spec: minute(31_000, 60), n: 6, learnedBaseline: true },
    { behaviour: 'dns_anomaly', spec: oneName, n: 15, learnedBaseline: false },
    { behaviour: 'scan', spec: twoSyns(() => 23), n: 30, learnedBaseline: false },
  ] as const;

  for (const c of cases) {
    it(`${c.behaviour}: named in the same window, with the same facts`, () => {
      const run = (restartAt?: number) => {
        const d = device();
        const baseline = c.learnedBaseline ? learned(d) : undefined;
        return series(detector(c.behaviour), d, c.n, c.spec, { baseline, restartAt });
      };
      const once = run();
      const at = firstNamed(once);
      expect(at).toBeGreaterThan(1);
      const restarted = run(Math.floor(at / 2) + 1);
      expect(firstNamed(restarted)).toBe(at);
      expect(restarted[at][0].facts).toEqual(once[at][0].facts);
    });
  }

  it('a saved memory of the wrong shape is refused with ERR_STATE, not read', () => {
    for (const d of createDetectors()) {
      if (d.restore === undefined) continue;
      expect(
        thrownCode(() => d.restore?.({ not: 'a memory' })),
        d.behaviour,
      ).toBe('ERR_STATE');
      const wrong = new Map([['02:00:00:00:00:01', 'x']]);
      expect(
        thrownCode(() => d.restore?.(wrong)),
        d.behaviour,
      ).toBe('ERR_STATE');
    }
  });
});

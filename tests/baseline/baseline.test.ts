import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Baselines, learningPolicy } from '../../src/baseline/baselines.js';
import { DeviceBaseline, type DeviceBaselineSnapshot } from '../../src/baseline/device-baseline.js';
import { registrableDomain } from '../../src/baseline/domain.js';
import { BINS, binOf, HistogramSet } from '../../src/baseline/histogram.js';
import {
  BUCKETS,
  bucketOf,
  HourlyBaseline,
  MIN_BUCKET_DAYS,
  MIN_BUCKET_WINDOWS,
} from '../../src/baseline/hourly.js';
import { KnownSet } from '../../src/baseline/known.js';
import { FEATURE_NAMES } from '../../src/features/schema.js';
import { closed, device, peer } from '../detect/window.js';

describe('HistogramSet', () => {
  it('reads quantiles within a quarter octave of the exact ones', () => {
    const h = new HistogramSet(1);
    const values: number[] = [];
    for (let i = 0; i < 1000; i++) values.push(50 + ((i * 7919) % 1000) * 10);
    for (const v of values) h.add([v]);
    const sorted = [...values].sort((a, b) => a - b);
    for (const q of [0.1, 0.5, 0.9, 0.99]) {
      const exact = sorted[Math.floor(q * (sorted.length - 1))];
      const est = h.quantile(0, q);
      expect(Math.abs(Math.log2((1 + est) / (1 + exact)))).toBeLessThanOrEqual(0.25);
    }
  });

  it('keeps zero apart and fades old windows by decay', () => {
    const h = new HistogramSet(1);
    for (let i = 0; i < 90; i++) h.add([0]);
    for (let i = 0; i < 10; i++) h.add([1000]);
    expect(h.quantile(0, 0.5)).toBe(0);
    expect(h.nonZeroShare(0)).toBeCloseTo(0.1, 6);
    h.decay(0.01);
    for (let i = 0; i < 10; i++) h.add([1000]);
    expect(h.quantile(0, 0.5)).toBeGreaterThan(800);
    expect(binOf(-1)).toBe(0);
    expect(binOf(Number.NaN)).toBe(0);
    expect(binOf(1e30)).toBe(136);
  });

  it('keeps only the bins used, and reads exactly what BINS floats per feature would', () => {
    /** The layout it replaced: every bin of every feature, in one Float32Array. */
    class Dense {
      readonly c: Float32Array;
      total = 0;
      constructor(readonly n: number) {
        this.c = new Float32Array(n * BINS);
      }
      add(v: number[]): void {
        for (let f = 0; f < this.n; f++) this.c[f * BINS + binOf(v[f])] += 1;
        this.total += 1;
      }
      decay(k: number): void {
        for (let i = 0; i < this.c.length; i++) this.c[i] *= k;
        this.total *= k;
      }
      logQuantile(f: number, q: number): number {
        if (this.total <= 0) return 0;
        const target = q * this.total;
        let acc = this.c[f * BINS];
        if (acc >= target) return 0;
        for (let b = 1; b < BINS; b++) {
          const w = this.c[f * BINS + b];
          if (w > 0 && acc + w >= target) return (b - 1 + (target - acc) / w) / 4;
          acc += w;
        }
        return (BINS - 1) / 4;
      }
    }
    const value = fc.oneof(
      fc.constant(0),
      fc.double({ min: 0, max: 1e12, noNaN: true }),
      fc.integer({ min: 0, max: 5000 }),
    );
    const step = fc.oneof(
      fc.tuple(value, value, value).map((v) => ({ add: v })),
      fc.double({ min: 0.5, max: 0.999999, noNaN: true }).map((k) => ({ decay: k })),
    );
    fc.assert(
      fc.property(fc.array(step, { maxLength: 60 }), (steps) => {
        const h = new HistogramSet(3);
        const d = new Dense(3);
        for (const s of steps) {
          if ('add' in s) {
            h.add(s.add);
            d.add(s.add);
          } else {
            h.decay(s.decay);
            d.decay(s.decay);
          }
        }
        expect(h.dense()).toEqual(d.c);
        expect(h.total).toBe(d.total);
        for (let f = 0; f < 3; f++)
          for (const q of [0, 0.01, 0.25, 0.5, 0.75, 0.95, 0.99, 1])
            expect(h.logQuantile(f, q)).toBe(d.logQuantile(f, q));
      }),
      { numRuns: 2000 },
    );
  });
});

describe('KnownSet', () => {
  it('learns at once during learning; afterwards a key waits on probation', () => {
    const s = new KnownSet(10);
    s.learn('a', 0);
    expect(s.has('a')).toBe(true);
    s.adapt('b', 100, 3600);
    expect(s.has('b')).toBe(false);
    s.adapt('b', 3000, 3600);
    expect(s.has('b')).toBe(false);
    s.adapt('b', 3700, 3600);
    expect(s.has('b')).toBe(true);
  });

  it('stays within its bound, evicting the least recently seen and counting it', () => {
    const s = new KnownSet(3);
    for (const k of ['a', 'b', 'c']) s.learn(k, 0);
    s.learn('a', 1);
    s.learn('d', 2);
    expect(s.size).toBe(3);
    expect(s.has('b')).toBe(false);
    expect(s.has('a')).toBe(true);
    expect(s.evicted).toBe(1);
    const copy = new KnownSet(3);
    copy.restore(s.snapshot());
    expect(copy.snapshot()).toEqual(s.snapshot());
  });
});

describe('registrableDomain', () => {
  it('keeps the last two labels, three under a country-code second level', () => {
    expect(registrableDomain('0.pool.ntp.org')).toBe('ntp.org');
    expect(registrableDomain('api.example.co.uk')).toBe('example.co.uk');
    expect(registrableDomain('iot.mi.com.cn')).toBe('mi.com.cn');
    expect(registrableDomain('localhost')).toBe('localhost');
  });

  it('answers as splitting the lower-cased name into labels does, for any text', () => {
    const bySplit = (name: string): string => {
      const n = name.endsWith('.') ? name.slice(0, -1) : name;
      const labels = n.toLowerCase().split('.');
      if (labels.length <= 2) return labels.join('.');
      const tld = labels[labels.length - 1];
      const second = ['co', 'com', 'net', 'org', 'gov', 'edu', 'ac', 'ne', 'or', 'go'];
      const keep = tld.length === 2 && second.includes(labels[labels.length - 2]) ? 3 : 2;
      return labels.slice(-keep).join('.');
    };
    const part = fc.constantFrom('.', '..', 'co', 'CO', 'com', 'uk', 'Jp', 'a', 'İ', 'x-1', '');
    const name = fc.array(part, { maxLength: 8 }).map((p) => p.join(''));
    fc.assert(
      fc.property(name, (n) => {
        expect(registrableDomain(n)).toBe(bySplit(n));
      }),
      { numRuns: 5000 },
    );
  });
});

describe('DeviceBaseline', () => {
  const policy = learningPolicy(3600, 60);

  it('learns for the whole phase, then until it holds enough active windows', () => {
    const d = device();
    const b = new DeviceBaseline(d.macStr, d.firstSeen, FEATURE_NAMES);
    // A quiet device: one active window every 10 minutes.
    let t = d.firstSeen;
    let ended: number | null = null;
    for (let i = 0; i < 40 && ended === null; i++, t += 600) {
      if (b.observe(closed(d, { start: t }), true, policy)) ended = t + 60;
    }
    expect(policy.minActiveWindows).toBe(20);
    expect(b.activeWindows).toBe(20);
    expect(ended).toBe(d.firstSeen + 19 * 600 + 60);
    expect(ended! - d.firstSeen).toBeGreaterThan(3600);
    expect(b.status(ended!, policy)).toEqual({ learning: false, since: ended });
  });

  it('says why it is still learning', () => {
    const d = device();
    const b = new DeviceBaseline(d.macStr, d.firstSeen, FEATURE_NAMES);
    b.observe(closed(d, { start: d.firstSeen }), true, policy);
    expect(b.status(d.firstSeen + 60, policy)).toMatchObject({ learning: true, reason: 'time' });
    expect(b.status(d.firstSeen + 7200, policy)).toMatchObject({
      learning: true,
      reason: 'evidence',
      activeWindows: 1,
      needed: 20,
    });
  });

  it('after learning, learns nothing from a window that is not clean', () => {
    const d = device();
    const b = new DeviceBaseline(d.macStr, d.firstSeen, FEATURE_NAMES);
    b.markLearned(d.firstSeen);
    const w = (i: number) =>
      closed(d, {
        start: d.firstSeen + i * 60,
        features: { bytesUp: 5e6 },
        evidence: { peers: [peer('203.0.113.9', 443)] },
      });
    for (let i = 0; i < 5; i++) b.observe(w(i), false, policy);
    expect(b.hist.total).toBe(0);
    expect(b.endpoints.pendingSize).toBe(0);
    expect(b.windowsSeen).toBe(5);
    b.observe(w(5), true, policy);
    expect(b.endpoints.pendingSize).toBe(1);
    expect(b.knowsRemote('203.0.113.9', '')).toBe(false);
  });

  it('after learning, a clean window waits 30 minutes; a finding discards those waiting', () => {
    const d = device();
    const b = new DeviceBaseline(d.macStr, d.firstSeen, FEATURE_NAMES);
    b.markLearned(d.firstSeen);
    const w = (i: number) => closed(d, { start: d.firstSeen + i * 60, features: { bytesUp: 1e5 } });
    for (let i = 0; i < 29; i++) b.observe(w(i), true, policy);
    expect(b.hist.total).toBe(0);
    expect(b.waiting).toBe(29);
    // The behaviour is recognised at window 29: what came before it is not learned either.
    b.observe(w(29), false, policy);
    expect(b.waiting).toBe(0);
    for (let i = 30; i < 61; i++) b.observe(w(i), true, policy);
    expect(b.hist.total).toBeCloseTo(1, 3);
    expect(b.activeWindows).toBe(1);
  });

  it('knows remote endpoints by address or by the domain of their name', () => {
    const d = device();
    const b = new DeviceBaseline(d.macStr, d.firstSeen, FEATURE_NAMES);
    b.observe(
      closed(d, {
        start: d.firstSeen,
        evidence: {
          peers: [peer('198.51.100.7', 123, { name: '2.pool.ntp.org' }), peer('192.168.1.5', 80)],
          dnsNames: ['api.roborock.com'],
        },
      }),
      true,
      policy,
    );
    expect(b.knowsRemote('198.51.100.7', '')).toBe(true);
    expect(b.knowsRemote('198.51.100.99', '0.pool.ntp.org')).toBe(true);
    expect(b.knowsRemote('198.51.100.99', 'eu.api.roborock.com')).toBe(true);
    expect(b.knowsRemote('198.51.100.99', 'evil.example')).toBe(false);
    expect(b.knowsLanService('192.168.1.5', 80)).toBe(true);
    expect(b.knowsLanService('192.168.1.5', 22)).toBe(false);
  });

  it('round-trips through a snapshot, and maps features by name', () => {
    const d = device();
    const baselines = new Baselines(policy);
    for (let i = 0; i < 30; i++) {
      const w = closed(d, {
        start: d.firstSeen + i * 60,
        features: { bytesUp: 1000 + i * 100, packetsUp: i },
        evidence: { peers: [peer('203.0.113.9', 443, { name: 'api.roborock.com' })] },
      });
      baselines.observe(w, true);
    }
    const snap = JSON.parse(JSON.stringify(baselines.snapshot())) as unknown;
    const back = new Baselines(policy);
    back.restore(snap);
    const a = baselines.get(d.macStr)!;
    const b = back.get(d.macStr)!;
    expect(b.learnedAt).toBe(a.learnedAt);
    expect(b.quantile('bytesUp', 0.5)).toBeCloseTo(a.quantile('bytesUp', 0.5), 3);
    expect(b.knowsRemote('203.0.113.9', '')).toBe(true);
    // A baseline saved with fewer features: the new ones read as always 0.
    const s = a.snapshot();
    const keep = ['bytesUp', 'packetsUp'];
    const bins = s.counts.length / s.features.length;
    const old = {
      ...s,
      features: keep,
      counts: keep.flatMap((n) => {
        const i = s.features.indexOf(n);
        return s.counts.slice(i * bins, (i + 1) * bins);
      }),
    };
    const r = DeviceBaseline.restore(old, FEATURE_NAMES);
    expect(r.quantile('bytesUp', 0.5)).toBeCloseTo(a.quantile('bytesUp', 0.5), 3);
    expect(r.quantile('flowsStarted', 0.99)).toBe(0);
  });

  it('keeps the windows waiting out the quarantine across a restart', () => {
    const d = device();
    const w = (i: number) =>
      closed(d, { start: d.firstSeen + i * 60, features: { bytesUp: 1000 * (i + 1) } });
    const whole = new DeviceBaseline(d.macStr, d.firstSeen, FEATURE_NAMES);
    whole.markLearned(d.firstSeen);
    for (let i = 0; i < 20; i++) whole.observe(w(i), true, policy);
    expect(whole.waiting).toBe(20);
    const snap = JSON.parse(JSON.stringify(whole.snapshot())) as DeviceBaselineSnapshot;
    const back = DeviceBaseline.restore(snap, FEATURE_NAMES);
    expect(back.waiting).toBe(20);
    // Older state has no queue: nothing waits after the restart.
    expect(DeviceBaseline.restore({ ...snap, waiting: undefined }, FEATURE_NAMES).waiting).toBe(0);
    for (let i = 20; i < 60; i++) {
      whole.observe(w(i), true, policy);
      back.observe(w(i), true, policy);
    }
    expect(back.activeWindows).toBe(whole.activeWindows);
    expect(back.quantile('bytesUp', 0.5)).toBe(whole.quantile('bytesUp', 0.5));
    expect(back.snapshot().waiting).toEqual(whole.snapshot().waiting);
  });

  it('refuses a saved part it cannot read', () => {
    expect(() => new Baselines(policy).restore({ version: 9, devices: [] })).toThrow(/baselines/);
  });
});

describe('baseline by hour of day', () => {
  /** Midnight UTC. */
  const D0 = 1_699_920_000 + 86400;
  const hourPolicy = learningPolicy(3600, 60);

  /** A device that sends 200 kB a minute from 08:00 to 20:00 and 1 kB at night, for `days`. */
  function rhythm(days: number): DeviceBaseline {
    const d = device('02:00:00:00:00:42', '192.168.1.42', D0);
    const b = new DeviceBaseline(d.macStr, D0, FEATURE_NAMES);
    for (let t = D0; t < D0 + days * 86400; t += 60) {
      const h = ((t - D0) % 86400) / 3600;
      const bytesUp = h >= 8 && h < 20 ? 200_000 + (t % 7) * 1000 : 900 + (t % 5) * 50;
      b.observe(closed(d, { start: t, features: { bytesUp } }), true, hourPolicy);
    }
    return b;
  }

  it('has six four-hour buckets of packet time', () => {
    expect(BUCKETS).toBe(6);
    expect(bucketOf(D0)).toBe(0);
    expect(bucketOf(D0 + 4 * 3600 - 1)).toBe(0);
    expect(bucketOf(D0 + 4 * 3600)).toBe(1);
    expect(bucketOf(D0 + 23 * 3600 + 3599)).toBe(5);
    expect(bucketOf(D0 + 86400 + 5 * 3600)).toBe(1);
  });

  it('never judges on thin data: the all-day normal judges until a bucket has days and windows', () => {
    const night = (day: number): number => D0 + day * 86400 + 2 * 3600;
    // Two days: every bucket has plenty of windows, but two days are no rhythm.
    const two = rhythm(2);
    expect(two.hourly.evidence(night(2)).windows).toBeGreaterThan(MIN_BUCKET_WINDOWS);
    expect(two.hourly.ready(night(2))).toBe(false);
    expect(two.highAt('bytesUp', 0.99, night(2))).toBe(two.quantile('bytesUp', 0.99));
    // Days but not windows: a bucket that saw a few windows on each of many days.
    const h = new HourlyBaseline();
    for (let day = 0; day < 10; day++) h.add(night(day), [1000, 0], 7 * 86400);
    expect(h.evidence(night(10)).days).toBeGreaterThanOrEqual(MIN_BUCKET_DAYS);
    expect(h.ready(night(10))).toBe(false);
    // Enough of both: the night is judged against the night, the day against the day.
    const four = rhythm(4);
    expect(four.hourly.ready(night(4))).toBe(true);
    const nightNormal = four.highAt('bytesUp', 0.99, night(4));
    const dayNormal = four.highAt('bytesUp', 0.99, night(4) + 12 * 3600);
    expect(nightNormal).toBeLessThan(2000);
    expect(dayNormal).toBeGreaterThan(150_000);
    expect(four.quantile('bytesUp', 0.99)).toBeGreaterThan(150_000);
    // A feature not kept by hour is always the all-day one.
    expect(four.highAt('packetsUp', 0.99, night(4))).toBe(four.quantile('packetsUp', 0.99));
  });

  it('round-trips the buckets through a snapshot, and loads baselines saved before them', () => {
    const four = rhythm(4);
    const baselines = new Baselines(hourPolicy);
    baselines.restore({ version: 2, devices: [four.snapshot()], evicted: 0 });
    const json = JSON.parse(JSON.stringify(baselines.snapshot())) as {
      version: number;
      devices: ReturnType<DeviceBaseline['snapshot']>[];
    };
    expect(json.version).toBe(2);
    const back = new Baselines(hourPolicy);
    back.restore(json);
    const b = back.get(four.mac)!;
    for (let hour = 0; hour < 24; hour += 2) {
      const ts = D0 + 4 * 86400 + hour * 3600;
      expect(b.hourly.ready(ts)).toBe(four.hourly.ready(ts));
      expect(b.hourly.evidence(ts).days).toBe(four.hourly.evidence(ts).days);
      expect(b.highAt('bytesUp', 0.99, ts)).toBeCloseTo(four.highAt('bytesUp', 0.99, ts), 0);
    }
    expect(b.snapshot().hourly).toEqual(four.snapshot().hourly);
    // Format 1 (no buckets): loads, and the all-day normal judges at every hour.
    const { hourly: _dropped, ...v1device } = json.devices[0];
    const old = new Baselines(hourPolicy);
    old.restore({ version: 1, devices: [v1device], evicted: 0 });
    const o = old.get(four.mac)!;
    const ts = D0 + 4 * 86400 + 2 * 3600;
    expect(o.hourly.ready(ts)).toBe(false);
    expect(o.highAt('bytesUp', 0.99, ts)).toBeCloseTo(four.quantile('bytesUp', 0.99), 0);
    // Buckets of another width cannot be mapped: they start empty.
    const other = { ...json.devices[0], hourly: { ...json.devices[0].hourly!, bucketHours: 6 } };
    expect(DeviceBaseline.restore(other, FEATURE_NAMES).hourly.ready(ts)).toBe(false);
  });
});

/**
 * What the detector tests share: a detector by behaviour, a baseline that learned an hour of a
 * vacuum's ordinary windows, and the context a detector judges a window in.
 */
import { expect } from 'vitest';
import { learningPolicy } from '../../src/baseline/baselines.js';
import { DeviceBaseline } from '../../src/baseline/device-baseline.js';
import { createDetectors } from '../../src/detect/index.js';
import type { Behaviour, DetectContext, Detector, Finding } from '../../src/detect/types.js';
import type { Device } from '../../src/devices/device.js';
import type { ClosedWindow } from '../../src/features/windows.js';
import { FEATURE_NAMES } from '../../src/features/schema.js';
import { closed, peer } from './window.js';

/** The home's first packet time (the learning phase ends an hour after). */
export const T0 = 1_700_000_000;
export const policy = learningPolicy(3600, 60);

export function detector(b: Behaviour): Detector {
  const d = createDetectors().find((x) => x.behaviour === b);
  if (d === undefined) throw new Error(b);
  return d;
}

/** A baseline that learned an hour of ordinary windows (1 kB up a minute, one cloud host). */
export function learned(d: Device): DeviceBaseline {
  const b = new DeviceBaseline(d.macStr, d.firstSeen, FEATURE_NAMES);
  for (let i = 0; i < 60; i++) {
    b.observe(
      closed(d, {
        start: d.firstSeen + i * 60,
        features: { bytesUp: 900 + (i % 7) * 50, uploadLongestS: 0.2 },
        evidence: {
          peers: [
            peer('52.1.2.3', 8883, { name: 'mqtt.roborock.com', dnsAnswered: true }),
            peer('192.168.1.1', 80),
          ],
          dnsNames: ['mqtt.roborock.com', 'pool.ntp.org'],
        },
      }),
      true,
      policy,
    );
  }
  expect(b.learning).toBe(false);
  return b;
}

/** `det`'s findings on `w`, judged against `baseline` (a fresh one when absent). */
export function judge(
  det: Detector,
  w: ClosedWindow,
  o: { baseline?: DeviceBaseline; kind?: string } = {},
): Finding[] {
  const d = w.device;
  const baseline = o.baseline ?? new DeviceBaseline(d.macStr, d.firstSeen, FEATURE_NAMES);
  const ctx: DetectContext = {
    w,
    baseline,
    judged: !baseline.learning,
    home: { firstTs: T0, learnS: 3600, gatewayIps: ['192.168.1.1'], kindOf: () => 'unknown' },
    kind: o.kind ?? 'unknown',
  };
  return det.detect(ctx);
}

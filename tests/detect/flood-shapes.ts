/**
 * Flood shapes judged by `abnormal_upload` (src/detect/flood.ts) for a camera with an hour of
 * ordinary windows behind it: what tests/detect/flood.test.ts and flood-modes.test.ts share.
 */
import { DeviceBaseline } from '../../src/baseline/device-baseline.js';
import type { AbnormalUploadFacts } from '../../src/detect/abnormal-upload.js';
import type { Finding } from '../../src/detect/types.js';
import type { PeerEvidence, WindowEvidence } from '../../src/features/evidence.js';
import { FEATURE_NAMES } from '../../src/features/schema.js';
import { detector, judge, policy, T0 } from './harness.js';
import { closed, device, peer } from './window.js';

export const CLOUD = '52.1.2.3';
export const TARGET = '203.0.113.50';

/** A camera's hour of ordinary windows: ~150 packets a minute up to its cloud, answered. */
export function camera(): { d: ReturnType<typeof device>; b: DeviceBaseline } {
  const d = device('02:00:00:00:00:07', '192.168.1.7');
  const b = new DeviceBaseline(d.macStr, d.firstSeen, FEATURE_NAMES);
  for (let i = 0; i < 60; i++) {
    const packets = 120 + (i % 7) * 10;
    b.observe(
      closed(d, {
        start: d.firstSeen + i * 60,
        features: { packetsUp: packets, packetsDown: packets, bytesUp: packets * 900 },
        evidence: {
          peers: [peer(CLOUD, 443, { name: 'api.camera.example', dnsAnswered: true })],
        },
      }),
      true,
      policy,
    );
  }
  return { d, b };
}

export interface Shape {
  packetsUp: number;
  packetsDown: number;
  flowsStarted: number;
  bytesUp: number;
  peers: PeerEvidence[];
  /** Other features of the window (lanByteShare, …). */
  features?: Record<string, number>;
}

export function judgeShape(
  s: Shape,
  kind = 'camera',
  more: Partial<WindowEvidence> = {},
): Finding<AbnormalUploadFacts>[] {
  const { d, b } = camera();
  const w = closed(d, {
    start: T0 + 7200,
    features: {
      packetsUp: s.packetsUp,
      packetsDown: s.packetsDown,
      flowsStarted: s.flowsStarted,
      bytesUp: s.bytesUp,
      ...s.features,
    },
    evidence: { peers: s.peers, ...more },
  });
  return judge(detector('abnormal_upload'), w, {
    baseline: b,
    kind,
  }) as Finding<AbnormalUploadFacts>[];
}

/** Peers of a flood to random ports of one host: the listed ones, one flow each. */
export const randomPorts = (n: number, proto: number, bytesUp: number): PeerEvidence[] =>
  Array.from({ length: n }, (_, i) => peer(TARGET, 1024 + i * 97, { proto, bytesUp }));

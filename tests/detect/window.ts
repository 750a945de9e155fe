/**
 * Builds closed windows (device, record, evidence) for detector and baseline tests, the way the
 * feature stage hands them to the runtime.
 */
import { parseIpv4 } from '../../src/decode/addr.js';
import { Device } from '../../src/devices/device.js';
import {
  emptyEvidence,
  type PeerEvidence,
  type WindowEvidence,
} from '../../src/features/evidence.js';
import { FEATURE_NAMES } from '../../src/features/schema.js';
import type { ClosedWindow } from '../../src/features/windows.js';

let nextId = 0;

export function device(
  mac = '02:00:00:00:00:01',
  ip = '192.168.1.23',
  firstSeen = 1_700_000_000,
): Device {
  const d = new Device({
    id: nextId++,
    mac: parseInt(mac.replace(/:/g, ''), 16),
    vendor: 'Beijing Roborock Technology Co., Ltd.',
    firstSeen,
    maxIps: 4,
  });
  d.addIp4(parseIpv4(ip));
  return d;
}

export interface WindowSpec {
  start: number;
  windowS?: number;
  features?: Record<string, number>;
  evidence?: Partial<WindowEvidence>;
}

export function closed(d: Device, spec: WindowSpec): ClosedWindow {
  const windowS = spec.windowS ?? 60;
  const features: Record<string, number> = {};
  for (const n of FEATURE_NAMES) features[n] = spec.features?.[n] ?? 0;
  return {
    device: d,
    record: {
      type: 'window',
      mac: d.macStr,
      start: spec.start,
      end: spec.start + windowS,
      features,
      score: 0,
      behaviours: {},
    },
    evidence: { ...emptyEvidence(), ...spec.evidence },
  };
}

export function peer(ip: string, port: number, p: Partial<PeerEvidence> = {}): PeerEvidence {
  const local = /^(10\.|192\.168\.|172\.(1[6-9]|2\d|3[01])\.)/.test(ip);
  return {
    ip,
    port,
    proto: 6,
    local,
    name: '',
    dnsAnswered: false,
    flows: 1,
    failed: 0,
    probes: 0,
    shortSessions: 0,
    bytesUp: 0,
    bytesDown: 0,
    packetsUp: 0,
    sizeCvUp: 0,
    ...p,
  };
}

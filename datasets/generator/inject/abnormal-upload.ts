/**
 * `abnormal_upload`: a device with a microphone streams audio out for minutes, at a
 * constant bitrate (16–64 kbit/s, fixed-size chunks on a fixed clock, ±3 %), over TLS to
 * its own cloud (`cloud`: only the volume is odd) or to a host it never used (`new-host`).
 * Tune keys (bench/robustness.ts only): `kbps`, `chunkMs` (one chunk every so many ms);
 * `floodPps` and flood.ts's keys: a denial-of-service flood instead of the stream; `ipv6` 1:
 * over IPv6 from the device's global address when it has one (the name looked up by A and
 * AAAA).
 * @module
 */
import { LabelEvent } from '../labels.js';
import type { Sim } from '../sim.js';
import { Flow, flowSpec } from '../flow.js';
import { lookupThen } from './common.js';
import { injectFlood } from './flood.js';
import { newHostName } from './internet.js';
import { tuned, type InjectPlan, type Injector } from './types.js';

const S = 1e6;
const MS = 1e3;

export const abnormalUpload: Injector = {
  behaviour: 'abnormal_upload',
  kinds: ['toy', 'speaker', 'tv', 'vacuum'],
  // A camera's microphone streaming the room out: asked for by name only.
  byName: ['camera'],
  variants: [
    ['cloud', 0.5],
    ['new-host', 0.5],
  ],
  durationS: () => [3 * 60, 20 * 60],
  inject(sim: Sim, p: InjectPlan) {
    const r = sim.rng;
    const d = p.dev;
    const kbps = tuned(p, 'kbps', r.int(16, 64));
    const chunkMs = tuned(p, 'chunkMs', r.pick([100, 200, 250, 500]));
    const floodPps = tuned(p, 'floodPps', 0);
    if (floodPps > 0) return injectFlood(sim, p, floodPps);
    const chunk = Math.round((kbps * 1000 * chunkMs) / 1000 / 8);
    const seconds = (p.endUs - p.startUs) / S;
    const name = p.variant === 'cloud' ? d.vendor.cloud[0] : newHostName(r);
    const also =
      p.variant === 'cloud' ? (['anomaly'] as const) : (['anomaly', 'beaconing'] as const);
    const label = new LabelEvent(d.mac, ['abnormal_upload'], also, p.variant, {
      kbps,
      chunkMs,
      seconds: Math.round(seconds),
      name,
    });
    const v6 = tuned(p, 'ipv6', 0) === 1 && d.ip6 !== null;
    if (v6) label.detail.ipv6 = true;
    const h = sim.host(name);
    const flow = new Flow(
      sim,
      r.range(200, 3000),
      flowSpec(sim, sim.connToHost(d, h, 443, v6), {
        name,
        rounds: Math.max(1, Math.floor((seconds * 1000) / chunkMs) - 1),
        upMin: chunk * 0.97 + 29, // + TLS record overhead
        upMax: chunk * 1.03 + 29,
        downMin: 0,
        downMax: 0,
        pauseMinUs: chunkMs * 0.97 * MS,
        pauseMaxUs: chunkMs * 1.03 * MS,
        ackEvery: 2,
      }),
    );
    flow.label = label;
    lookupThen(sim, d, h, p.startUs, flow, label, v6);
    return label;
  },
};

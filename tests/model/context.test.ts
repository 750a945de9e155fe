/**
 * Context inputs say what was new to the device, from its evidence against its baseline, and
 * hold it for a while: a flow to an endpoint the baseline knows adds nothing, one to an
 * unknown endpoint does; inbound connections count only above the device's normal; DNS
 * queries count only under domains it never used; repeat contact to one unknown endpoint is
 * counted in windows (a burst of flows in one window is one contact, a one-off endpoint no
 * repeat); port mappings count above the device's normal; a held value halves every half-life
 * and each device has its own.
 */
import { describe, expect, it } from 'vitest';
import { learningPolicy } from '../../src/baseline/baselines.js';
import { DeviceBaseline } from '../../src/baseline/device-baseline.js';
import type { DnsDomainEvidence } from '../../src/features/evidence.js';
import { FEATURE_NAMES } from '../../src/features/schema.js';
import { CONTEXT_INPUTS, ContextTrace } from '../../src/model/context.js';

const HALF_LIVES = { heldS: 300, portMapsS: 1800, repeatsS: 600 };
import { closed, device, peer } from '../detect/window.js';

const FLOWS = CONTEXT_INPUTS.indexOf('newEndpointFlows');
const BEACON = CONTEXT_INPUTS.indexOf('newEndpointBeacon');
const INBOUND = CONTEXT_INPUTS.indexOf('inboundAboveNormal');
const DNS = CONTEXT_INPUTS.indexOf('newDomainQueries');
const REPEATS = CONTEXT_INPUTS.indexOf('newEndpointRepeats');
const PORT_MAPS = CONTEXT_INPUTS.indexOf('portMapsAboveNormal');

function dns(domain: string, queries: number): DnsDomainEvidence {
  return {
    domain,
    queries,
    names: queries,
    nxdomain: 0,
    txtNull: 0,
    longestLabel: 8,
    maxEntropy: 0,
    example: `a.${domain}`,
  };
}

/** A device that learned, for an hour, to reach 52.1.2.3 and example.com, with no inbound. */
function learned() {
  const d = device();
  const b = new DeviceBaseline(d.macStr, d.firstSeen, FEATURE_NAMES);
  const p = learningPolicy(3600, 60);
  for (let i = 0; i < 60; i++)
    b.observe(
      closed(d, {
        start: d.firstSeen + i * 60,
        features: { packetsUp: 40 },
        evidence: {
          peers: [peer('52.1.2.3', 443)],
          dns: [dns('example.com', 2)],
          dnsNames: ['a.example.com'],
        },
      }),
      true,
      p,
    );
  return { d, b };
}

describe('context inputs', () => {
  it('count only what is new to the device, and hold it with a half-life', () => {
    const { d, b } = learned();
    const trace = new ContextTrace(HALF_LIVES);
    const out = new Float64Array(CONTEXT_INPUTS.length);
    const t0 = d.firstSeen + 3600;
    trace.next(
      closed(d, {
        start: t0,
        evidence: { peers: [peer('52.1.2.3', 443, { flows: 7 })], dns: [dns('example.com', 9)] },
      }),
      b,
      out,
    );
    expect(Array.from(out)).toEqual([0, 0, 0, 0, 0, 0]);
    trace.next(
      closed(d, {
        start: t0 + 60,
        features: { inboundAccepted: 3 },
        evidence: {
          peers: [peer('52.1.2.3', 443), peer('203.0.113.9', 8443, { flows: 3 })],
          dns: [dns('example.com', 5), dns('x7kq.top', 15)],
        },
      }),
      b,
      out,
    );
    expect(out[FLOWS]).toBeCloseTo(2, 12); // log2(1 + 3)
    expect(out[INBOUND]).toBeCloseTo(2, 12); // log2(1 + 3) above a normal of 0
    expect(out[DNS]).toBeCloseTo(4, 12); // log2(1 + 15)
    expect(out[BEACON]).toBe(0);
    // Five minutes later, nothing new: everything held at half.
    trace.next(closed(d, { start: t0 + 360 }), b, out);
    expect(out[FLOWS]).toBeCloseTo(1, 12);
    expect(out[DNS]).toBeCloseTo(2, 12);
    // Another device starts from nothing.
    const other = device('02:00:00:00:00:02', '192.168.1.24');
    trace.next(closed(other, { start: t0 + 360 }), b, out);
    expect(Array.from(out)).toEqual([0, 0, 0, 0, 0, 0]);
  });

  it('scores a regular contact to an unknown endpoint, not to a known one', () => {
    const { d, b } = learned();
    const out = new Float64Array(CONTEXT_INPUTS.length);
    const beacon = (ip: string) => ({
      ip,
      port: 443,
      name: '',
      dnsAnswered: false,
      score: 1,
      sizeScore: 1,
      periodS: 60,
      jitterS: 0,
      contacts: 24,
      firstContact: 0,
      lastContact: 0,
      bytesPerContact: 100,
    });
    const start = d.firstSeen + 3600;
    new ContextTrace(HALF_LIVES).next(
      closed(d, { start, evidence: { beacons: [beacon('52.1.2.3')] } }),
      b,
      out,
    );
    expect(out[BEACON]).toBe(0);
    new ContextTrace(HALF_LIVES).next(
      closed(d, { start, evidence: { beacons: [beacon('198.51.100.7')] } }),
      b,
      out,
    );
    expect(out[BEACON]).toBeCloseTo(Math.log2(25), 12);
  });

  it('counts repeat contact to one unknown endpoint in windows, and port mappings', () => {
    const { d, b } = learned();
    const trace = new ContextTrace(HALF_LIVES);
    const out = new Float64Array(CONTEXT_INPUTS.length);
    const t0 = d.firstSeen + 3600;
    // A burst of 9 flows to a new endpoint in one window, and to a known one: no repeat yet.
    trace.next(
      closed(d, {
        start: t0,
        evidence: { peers: [peer('198.51.100.7', 443, { flows: 9 }), peer('52.1.2.3', 443)] },
      }),
      b,
      out,
    );
    expect(out[REPEATS]).toBe(0);
    // The same endpoint 10 minutes later (its first count halved) on two ports: one repeat of
    // 0.5, log2(1 + 0.5); another new endpoint, once, changes nothing.
    trace.next(
      closed(d, {
        start: t0 + 600,
        evidence: {
          peers: [peer('198.51.100.7', 443), peer('198.51.100.7', 8443), peer('203.0.113.9', 80)],
        },
      }),
      b,
      out,
    );
    expect(out[REPEATS]).toBeCloseTo(Math.log2(1.5), 12);
    // Ten minutes without contact: the count halves to 0.75, no repeat left; the input is
    // what was held, halved twice (a 5-minute half-life).
    trace.next(closed(d, { start: t0 + 1200 }), b, out);
    expect(out[REPEATS]).toBeCloseTo(Math.log2(1.5) / 4, 12);
    // A port mapping asked for (never in the baseline): one octave.
    trace.next(closed(d, { start: t0 + 1260, features: { upnpPortMappings: 1 } }), b, out);
    expect(out[PORT_MAPS]).toBeCloseTo(1, 12);
    trace.next(closed(d, { start: t0 + 1320, features: { portMapRequests: 3 } }), b, out);
    expect(out[PORT_MAPS]).toBeCloseTo(2, 12);
  });

  it('saves and restores what it counts, and refuses a trace of other inputs', () => {
    const { d, b } = learned();
    const a = new ContextTrace(HALF_LIVES);
    const out = new Float64Array(CONTEXT_INPUTS.length);
    const t0 = d.firstSeen + 3600;
    for (let i = 0; i < 4; i++)
      a.next(
        closed(d, { start: t0 + i * 300, evidence: { peers: [peer('198.51.100.7', 443)] } }),
        b,
        out,
      );
    const c = new ContextTrace(HALF_LIVES);
    c.restore(JSON.parse(JSON.stringify(a.snapshot())) as unknown);
    const next = closed(d, {
      start: t0 + 1200,
      evidence: { peers: [peer('198.51.100.7', 443)] },
    });
    const x = new Float64Array(CONTEXT_INPUTS.length);
    const y = new Float64Array(CONTEXT_INPUTS.length);
    a.next(next, b, x);
    c.next(next, b, y);
    expect(Array.from(y)).toEqual(Array.from(x));
    expect(x[REPEATS]).toBeGreaterThan(1);
    const other = { ...a.snapshot(), halfLives: { ...HALF_LIVES, repeatsS: 1200 } };
    expect(() => new ContextTrace(HALF_LIVES).restore(other)).toThrow(/other inputs/);
    const damaged = a.snapshot();
    damaged.devices[0].endpoints = [['198.51.100.7', -1, 0]];
    expect(() => new ContextTrace(HALF_LIVES).restore(damaged)).toThrow(/damaged/);
  });
});

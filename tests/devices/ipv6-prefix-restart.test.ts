/**
 * The home's learned IPv6 /64 prefix across a restart with `--state`: a dual-stack device's
 * traffic from its global address is its own in the restarted run from its first packet, as in
 * one replay of the whole, not only once the router delivers to it again. `npm run build` first.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { type Conn } from '../../datasets/generator/frames.js';
import { parseIpv6 } from '../../src/devices/lan.js';
import { records, runCli } from '../helpers/cli.js';
import { splitPcap } from '../helpers/split.js';
import { conn, demoWith, paced, TOY } from '../detect/flood-capture.js';

const TOY_MAC = '00:22:ae:4a:e3:23';
const TOY6 = '2001:db8:4a1:100:222:aeff:fe4a:e323';

function bytes6(text: string): Uint8Array {
  const w = parseIpv6(text) as Uint32Array;
  const out = new Uint8Array(16);
  for (let i = 0; i < 4; i++) new DataView(out.buffer).setUint32(4 * i, w[i]);
  return out;
}

/** The toy talking UDP over IPv6 from its global address to an internet host. */
function v6(): Conn {
  const c = conn(TOY, '52.1.2.3', 40_000, 443);
  c.v6 = true;
  c.ip6A = bytes6(TOY6);
  c.ip6B = bytes6('2606:4700::1111');
  return c;
}

describe("a restart with --state keeps the home's learned IPv6 prefix", () => {
  const dir = mkdtempSync(join(tmpdir(), 'hw-prefix6-restart-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("the toy's global-address traffic is its own from the restarted run's first packet", () => {
    let cutS = 0;
    const whole = demoWith(dir, 'dual-stack', (f, t0) => {
      // A minute of questions and answers: the router delivers to the toy at its global
      // address, so its /64 is the home's. Then, after the cut, two minutes of questions alone.
      const c = v6();
      paced(t0, 1, 60, (_i, ts) => {
        f.beginUdp(true);
        f.endUdp(ts, c, true, 0, 100);
        f.beginUdp(true);
        f.endUdp(ts + 20_000, c, false, 0, 300);
      });
      cutS = Math.ceil((t0 + 61e6) / 60e6) * 60;
      paced(cutS * 1e6 + 1e6, 1, 120, (_i, ts) => {
        f.beginUdp(true);
        f.endUdp(ts, c, true, 0, 100);
      });
    });
    const [part1, part2] = splitPcap(whole, cutS);
    const state = join(dir, 'state');
    /** The toy's packets up per window from `cutS` on. */
    const toyUp = (out: string): number[] =>
      records(out)
        .filter((r) => r.type === 'window' && r.mac === TOY_MAC && (r.start as number) >= cutS)
        .map((r) => (r.features as { packetsUp: number }).packetsUp);
    const once = toyUp(runCli(['replay', whole, '--out', '-']).stdout);
    // Every question after the cut is the toy's.
    expect(once.reduce((a, b) => a + b, 0)).toBe(120);
    const first = runCli(['replay', part1, '--state', state, '--out', '-']);
    expect(first.stderr).toBe('');
    const saved = JSON.parse(readFileSync(join(state, 'state.json'), 'utf8')) as {
      devices: { prefixes6?: string[] };
    };
    expect(saved.devices.prefixes6).toEqual(['2001:db8:4a1:100::/64']);
    const second = runCli(['replay', part2, '--state', state, '--out', '-']);
    expect(second.stderr).toBe('');
    expect(toyUp(second.stdout)).toEqual(once);
  });
});

/**
 * A leak sent in a chunk every few seconds, end to end as a user runs it: a generated home
 * whose vacuum sends 8 kbit/s to a host it never used as a 2 kB chunk every 2 s (each chunk a
 * second's upload at most, so never a continuous one), replayed by the CLI and scored by
 * `evaluate`: named as a sustained abnormal_upload. Its near-miss, a speaker's message every
 * 2 s at 1 kbit/s (under the sustained floor), is paced the same and not named. (Paced runs to
 * a device's own cloud are not counted: tests/detect/slow-attacks.test.ts.) `npm run build`
 * first.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULTS, generate } from '../../datasets/generator/generate.js';
import type { InjectRequest } from '../../datasets/generator/mix.js';
import type { Evaluation } from '../../src/evaluate/score.js';
import { evaluateAndReplay } from '../helpers/cli.js';

const dir = mkdtempSync(join(tmpdir(), 'hw-paced-upload-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const MIN = 60;
/** A generated device's MAC (a 48-bit number) as the CLI writes it. */
const macText = (mac: number): string =>
  mac
    .toString(16)
    .padStart(12, '0')
    .replace(/(..)(?!$)/g, '$1:');
const INJECT: InjectRequest[] = [
  {
    behaviour: 'abnormal_upload',
    variant: 'new-host',
    kind: 'vacuum',
    tune: { kbps: 8, chunkMs: 2000, seconds: 10 * MIN },
  },
  {
    behaviour: 'abnormal_upload',
    variant: 'new-host',
    kind: 'speaker',
    tune: { kbps: 1, chunkMs: 2000, seconds: 20 * MIN },
  },
];

describe('abnormal_upload of a leak sent in chunks', () => {
  let evaluation: Evaluation;
  let records: Record<string, unknown>[];
  /** The devices carrying the leak and the trickle. */
  let leakMac = '';
  let trickleMac = '';

  beforeAll(() => {
    const pcap = join(dir, 'home.pcap');
    const labels = join(dir, 'home.labels.json');
    const g = generate({
      ...DEFAULTS,
      devices: 8,
      packets: 1e9,
      out: pcap,
      labels,
      hours: 4,
      seed: 2026,
      mix: ['vacuum', 'speaker', 'tv', 'phone', 'plug', 'camera', 'hub', 'lock'],
      inject: INJECT,
    });
    // In plan order, not the order asked for: told apart by their rates.
    const by = (kbps: number) => macText(g.injected.find((x) => x.detail.kbps === kbps)?.mac ?? 0);
    leakMac = by(8);
    trickleMac = by(1);
    ({ evaluation, records } = evaluateAndReplay(pcap, labels, dir));
  }, 180_000);

  it('names the vacuum’s chunked leak within minutes, and nothing else in the home', () => {
    const leak = evaluation.events.find((e) => e.mac === leakMac);
    expect(leak).toMatchObject({ detected: true, by: 'abnormal_upload' });
    expect(leak?.delayS).toBeLessThan(4 * MIN);
    expect(evaluation.falseAlerts).toEqual([]);
    // Every window of the leak was a second's continuous upload at most: the paced run named it.
    const minutes = records.filter(
      (x) =>
        x.type === 'window' &&
        x.mac === leakMac &&
        (x.features as Record<string, number>).bytesUp > 50_000,
    );
    expect(minutes.length).toBeGreaterThanOrEqual(8);
    for (const w of minutes)
      expect((w.features as Record<string, number>).uploadLongestS).toBeLessThan(2);
  });

  it('does not name the speaker’s message every 2 s, paced the same but a trickle', () => {
    const trickle = evaluation.events.find((e) => e.mac === trickleMac);
    expect(trickle?.detected).toBe(false);
    const alerts = records.filter(
      (x) => x.type === 'alert' && x.mac === trickleMac && x.behaviour === 'abnormal_upload',
    );
    expect(alerts).toEqual([]);
  });
});

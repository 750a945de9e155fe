/**
 * `--daily`: a scenario home with a day's rhythm (scenario-profiles.ts DAILY_HOURS). The
 * camera's video goes up only in its daytime hours and the TV's streams come in the evening,
 * while heartbeats run at every hour.
 * tshark is the oracle.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULTS, generate, type GenerateResult } from '../../datasets/generator/generate.js';
import { parseMix } from '../../datasets/generator/mix.js';
import { DAILY_HOURS } from '../../datasets/generator/scenario-profiles.js';
import { macText, tsharkRows, type Row } from './tshark.js';

let dir: string;
let r: GenerateResult;
let rows: Row[];

/** Bytes of frames a device sent per UTC hour of the day. */
function bytesByHour(mac: number): number[] {
  const out = new Array<number>(24).fill(0);
  const m = macText(mac);
  for (const row of rows) {
    if (row['eth.src'] !== m) continue;
    out[Math.floor(Number(row['frame.time_epoch']) / 3600) % 24] += Number(row['frame.len']);
  }
  return out;
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'hw-daily-'));
  r = generate({
    ...DEFAULTS,
    out: join(dir, 'daily.pcap'),
    seed: 'daily'.length,
    hours: 26,
    mix: parseMix('camera,tv'),
    daily: true,
  });
  rows = tsharkRows(join(dir, 'daily.pcap'), 'eth.src', [
    'frame.time_epoch',
    'eth.src',
    'frame.len',
  ]);
}, 180_000);

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('a home with a day’s rhythm (--daily)', () => {
  it('uploads the camera’s video by day only, and keeps its heartbeat at night', () => {
    const cam = r.devices.find((d) => d.kind === 'camera');
    if (cam === undefined) throw new Error('no camera');
    const [from, to] = DAILY_HOURS.camera?.cameraVideo ?? [0, 0];
    const by = bytesByHour(cam.mac);
    const day = by.filter((_, h) => h >= from && h < to);
    // A stream begun before `to` runs on for up to half an hour: the hour after is left out.
    const night = by.filter((_, h) => h < from || h > to);
    // A video stream is MB an hour; a quiet hour some kB of hellos and heartbeats.
    expect(Math.min(...day.slice(1))).toBeGreaterThan(10 * Math.max(...night));
    expect(Math.min(...night)).toBeGreaterThan(0);
  });

  it('streams to the TV in the evening only', () => {
    const tv = r.devices.find((d) => d.kind === 'tv');
    if (tv === undefined) throw new Error('no tv');
    const [from] = DAILY_HOURS.tv?.tvVideo ?? [0, 0];
    const m = macText(tv.mac);
    const down = new Array<number>(24).fill(0);
    for (const row of rows)
      if (row['eth.src'] !== m)
        down[Math.floor(Number(row['frame.time_epoch']) / 3600) % 24] += Number(row['frame.len']);
    const evening = down.slice(from).reduce((a, b) => a + b, 0);
    const rest = down.slice(0, from).reduce((a, b) => a + b, 0);
    expect(evening).toBeGreaterThan(rest);
  });
});

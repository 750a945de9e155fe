/**
 * Detection on real captures (../shared/datasets, INDEX.md): the attack captures raise the
 * behaviour their index names on the right device; the benign ones raise nothing but
 * `new_device`. Attack captures are short research captures, replayed as such (`--learn 0`:
 * no baseline, every endpoint new); benign ones with the defaults, as a user would.
 */
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { AlertRecord } from '../../src/sinks/records.js';
import { ATTACKS, BENIGN } from '../../src/evaluate/real-captures.js';
import { SHARED } from '../helpers/cli.js';
import { replayFiles } from '../helpers/replay.js';

async function alerts(files: string[], learnS: number, lan: string[] = []): Promise<AlertRecord[]> {
  const records = await replayFiles(files, { learnS, lanCidrs: lan });
  return records.filter((r): r is AlertRecord => r.type === 'alert');
}

const sentinel = join(SHARED, 'iot-sentinel/captures_IoT-Sentinel');

describe.runIf(existsSync(SHARED))('detection on real captures', () => {
  for (const a of ATTACKS) {
    it(`${a.file} raises ${a.behaviour} on ${a.mac}`, async () => {
      const got = await alerts([join(SHARED, a.file)], 0, a.lan);
      const hit = got.filter((r) => r.mac === a.mac && r.behaviour === a.behaviour);
      expect(hit.length).toBeGreaterThan(0);
      const open = hit.find((r) => r.state === 'open') as AlertRecord;
      expect(open.summary.length).toBeGreaterThan(40);
      expect(open.summary).not.toMatch(/undefined|NaN|\[object|null/);
      expect(open.evidence.advice).toBeTypeOf('string');
    });
  }

  it('the benign captures of smart-home devices raise nothing but new_device', async () => {
    const benign = BENIGN.map((f) => join(SHARED, f));
    const nku = join(SHARED, 'nku-lifecycle');
    for (const dir of readdirSync(nku, { withFileTypes: true }))
      if (dir.isDirectory())
        for (const f of readdirSync(join(nku, dir.name)))
          if (f.endsWith('.pcap')) benign.push(join(nku, dir.name, f));
    for (const dir of readdirSync(sentinel))
      for (const f of readdirSync(join(sentinel, dir)))
        if (f.endsWith('.pcap')) benign.push(join(sentinel, dir, f));
    expect(benign.length).toBeGreaterThan(570);
    const raised: string[] = [];
    for (const f of benign)
      for (const r of await alerts([f], 3600))
        if (r.behaviour !== 'new_device' && r.state === 'open') raised.push(`${f}: ${r.summary}`);
    expect(raised).toEqual([]);
  }, 300_000);
});

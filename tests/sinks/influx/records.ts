/**
 * Records for the InfluxDB tests: the real device and window records of the bundled nku-home
 * captures (through the real pipeline), and alert records of every state and severity written
 * for the devices in them (detection is not what these tests are about).
 * @module
 */
import { readdirSync } from 'node:fs';
import { resolve } from 'node:path';
import type {
  AlertRecord,
  DeviceRecord,
  OutputRecord,
  WindowRecord,
} from '../../../src/sinks/records.js';
import { REPO } from '../../helpers/cli.js';
import { replayFiles } from '../../helpers/replay.js';

export const NKU_HOME = readdirSync(resolve(REPO, 'datasets/nku-home'))
  .filter((f) => f.endsWith('.pcap.gz'))
  .map((f) => resolve(REPO, 'datasets/nku-home', f));

/** Device, window and summary records of a replay of `files` (default: nku-home), no alerts. */
export async function replayRecords(files = NKU_HOME, windowS = 60): Promise<OutputRecord[]> {
  // The tests write the alerts they count themselves (alertsFor).
  return (await replayFiles(files, { windowS })).filter((r) => r.type !== 'alert');
}

/**
 * One alert episode per device window pair: open at the window's start, update and closed after,
 * plus a second alert at the very same microsecond (which InfluxDB would overwrite if the sink did
 * not move it on), with text that needs escaping.
 */
export function alertsFor(records: OutputRecord[], max = 6): AlertRecord[] {
  const devices = records.filter((r): r is DeviceRecord => r.type === 'device');
  const windows = records.filter((r): r is WindowRecord => r.type === 'window');
  const out: AlertRecord[] = [];
  const severities = ['low', 'medium', 'high'] as const;
  for (const [i, w] of windows.entries()) {
    if (out.length >= max) break;
    if (i % 17 !== 0) continue;
    const d = devices.find((x) => x.mac === w.mac);
    const episode = `${w.mac}-beaconing-${w.start}`;
    const base = {
      type: 'alert' as const,
      mac: w.mac,
      behaviour: 'beaconing',
      score: 0.9,
      severity: severities[out.length % 3],
      evidence: {
        endpoint: '203.0.113.9:443',
        periodS: 30,
        contacts: 64,
        note: 'a "quoted" \\ one',
      },
      episode,
    };
    const who = d?.name || w.mac;
    out.push({
      ...base,
      ts: w.start + 0.123456,
      state: 'open',
      summary: `${who} contacted 203.0.113.9:443 every 30 s, "never seen before",\nfirst time`,
    });
    out.push({
      ...base,
      ts: w.start + 0.123456,
      state: 'update',
      summary: `${who} still beaconing`,
    });
    out.push({ ...base, ts: w.end + 300, state: 'closed', summary: `${who} stopped beaconing` });
  }
  return out;
}

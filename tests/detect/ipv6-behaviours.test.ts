/**
 * Behaviours over IPv6, end to end as a user runs it: a generated home whose dual-stack devices
 * are exposed, fetch malware, leak audio and mine over IPv6 (the injectors' `ipv6` tune key),
 * replayed by the CLI and scored by `evaluate`. Each is named on its device, with the IPv6
 * address in the alert, and nothing else is. `npm run build` first.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULTS, generate } from '../../datasets/generator/generate.js';
import type { InjectRequest } from '../../datasets/generator/mix.js';
import type { Evaluation } from '../../src/evaluate/score.js';
import { evaluateAndReplay } from '../helpers/cli.js';

const dir = mkdtempSync(join(tmpdir(), 'hw-ipv6-detect-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const INJECT: InjectRequest[] = [
  { behaviour: 'inbound_exposure', variant: 'forward', kind: 'tv', tune: { ipv6: 1 } },
  { behaviour: 'malware_download', variant: 'elf', kind: 'tv', tune: { ipv6: 1 } },
  { behaviour: 'malware_download', variant: 'elf', kind: 'tv', tune: { ipv6: 1, named: 1 } },
  { behaviour: 'abnormal_upload', variant: 'new-host', kind: 'speaker', tune: { ipv6: 1 } },
  { behaviour: 'crypto_mining', variant: 'xmrig', kind: 'laptop', tune: { ipv6: 1, named: 0 } },
  { behaviour: 'crypto_mining', variant: 'stratum', kind: 'tv', tune: { ipv6: 1, named: 1 } },
];

describe('behaviours over IPv6', () => {
  let evaluation: Evaluation;
  let sentences: string[];

  beforeAll(() => {
    const pcap = join(dir, 'home.pcap');
    const labels = join(dir, 'home.labels.json');
    generate({
      ...DEFAULTS,
      devices: 10,
      packets: 1e9,
      out: pcap,
      labels,
      hours: 8,
      seed: 6060,
      mix: ['tv', 'tv', 'speaker', 'laptop', 'phone', 'plug', 'camera', 'hub', 'vacuum', 'lock'],
      inject: INJECT,
    });
    const run = evaluateAndReplay(pcap, labels, dir);
    evaluation = run.evaluation;
    // Each episode's last word (an alert opens, is updated, closes).
    const last = new Map<string, string>();
    for (const x of run.records.filter((x) => x.type === 'alert')) {
      last.set(String(x.episode), String(x.summary));
    }
    sentences = [...last.values()];
  }, 180_000);

  it('names each on its device within minutes, and raises nothing else', () => {
    const named = evaluation.events.map((e) => `${e.behaviours[0]} ${e.by}`).sort();
    expect(named).toEqual(INJECT.map((x) => `${x.behaviour} ${x.behaviour}`).sort());
    for (const e of evaluation.events) expect(e.delayS).toBeLessThan(180);
    expect(evaluation.falseAlerts).toEqual([]);
  });

  it('tells the IPv6 addresses, and that no NAT stood in the way', () => {
    const v6 = /\[?2001:db8:f[0-9a-f]{0,3}:[0-9a-f:]+/;
    expect(sentences.find((s) => s.includes('reachable from the internet'))).toMatch(
      /internet address(es)? \(2001:db8:f.*over IPv6, where the router does no NAT/,
    );
    const downloads = sentences.filter((s) => s.includes('Linux program (ELF)'));
    expect(downloads).toHaveLength(2);
    expect(downloads.some((s) => /from a bare IP address .*http:\/\/\[2001:db8:f/.test(s))).toBe(
      true,
    );
    expect(sentences.find((s) => s.includes('it never used before; normally'))).toMatch(v6);
    expect(sentences.filter((s) => s.includes('mining pool'))).toHaveLength(2);
  });
});

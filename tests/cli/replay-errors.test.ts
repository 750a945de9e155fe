/**
 * Bad input, as a user meets it: one line on stderr naming the file and the problem, exit 2,
 * never a stack trace; a capture damaged part-way is read up to the damage, exit 0.
 */
import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SHARED, records, runCli } from '../helpers/cli.js';

const tmp = mkdtempSync(join(tmpdir(), 'hw-replay-errors-'));

function expectOneLineError(args: string[], file: string, problem: RegExp): void {
  const r = runCli(args);
  expect(r.code).toBe(2);
  const lines = r.stderr.split('\n').filter((l) => l.length > 0);
  expect(lines).toHaveLength(1);
  expect(lines[0]).toContain(file);
  expect(lines[0]).toMatch(problem);
  expect(r.stderr).not.toMatch(/\n\s+at /);
  expect(r.stdout).toBe('');
}

describe('homewatch replay: unreadable input', () => {
  it('a missing file', () => {
    const f = join(tmp, 'nope.pcap');
    expectOneLineError(['replay', f], f, /no such file/i);
  });

  it('a directory', () => {
    expectOneLineError(['replay', tmp], tmp, /directory/i);
  });

  it('an empty file', () => {
    const f = join(tmp, 'empty.pcap');
    writeFileSync(f, '');
    expectOneLineError(['replay', f], f, /empty/i);
  });

  it('a file that is no capture', () => {
    const f = join(tmp, 'notes.pcap');
    writeFileSync(f, '<!DOCTYPE html><html>not a capture</html>\n');
    expectOneLineError(['replay', f], f, /not a pcap or pcapng/i);
  });

  it('an unsupported link type', () => {
    const f = join(SHARED, 'tcpdump-tests/linktypes-protocols/802_15_4_beacon.pcap');
    expectOneLineError(['replay', f], f, /link type/i);
  });

  it('a good file beside a bad one: nothing is processed, the bad one is named', () => {
    const good = join(SHARED, 'zeek-traces/dhcp/dhcp.pcap');
    const bad = join(tmp, 'nope2.pcap');
    const out = join(tmp, 'never.jsonl');
    expectOneLineError(['replay', good, bad, '--out', out], bad, /no such file/i);
  });

  it('bad options', () => {
    const good = join(SHARED, 'zeek-traces/dhcp/dhcp.pcap');
    expectOneLineError(['replay', good, '--window', '0'], '--window', /positive/);
    expectOneLineError(['replay', good, '--lan', '10.0.0.0/33'], '10.0.0.0/33', /CIDR|prefix/i);
    expectOneLineError(['replay', good, '--bogus'], 'bogus', /unknown/i);
    expectOneLineError(['replay'], 'replay', /capture file/);
  });

  it('refuses to write its output over an input capture', () => {
    const f = join(tmp, 'mine.pcap');
    copyFileSync(join(SHARED, 'zeek-traces/dhcp/dhcp.pcap'), f);
    expectOneLineError(['replay', f, '--out', f], f, /input capture/);
  });
});

describe('homewatch replay: damage part-way', () => {
  it('reads a nanosecond capture cut mid-packet up to the cut and counts it', () => {
    const f = join(SHARED, 'ndpi-tests/pcap/fuzz-2021-10-13.pcap');
    const r = runCli(['replay', f, '--out', '-']);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    const summary = records(r.stdout).find((x) => x.type === 'summary');
    expect(summary?.truncated).toBe(1);
    expect(summary?.packets).toBeGreaterThan(0);
  });

  it('reads a file cut in half up to the cut', () => {
    const src = join(SHARED, 'zeek-traces/ssh/sshguess.pcap');
    const whole = records(runCli(['replay', src, '--out', '-']).stdout).find(
      (x) => x.type === 'summary',
    );
    const cut = join(tmp, 'cut.pcap');
    const bytes = readFileSync(src);
    writeFileSync(cut, bytes.subarray(0, Math.floor(bytes.length / 2)));
    const r = runCli(['replay', cut, '--out', '-']);
    expect(r.code).toBe(0);
    const s = records(r.stdout).find((x) => x.type === 'summary');
    expect(s?.truncated).toBe(1);
    expect(s?.packets as number).toBeGreaterThan(0);
    expect(s?.packets as number).toBeLessThan(whole?.packets as number);
  });
});

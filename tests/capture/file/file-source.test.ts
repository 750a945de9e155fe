import { chmodSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import {
  type FileSource,
  openCaptureFiles,
  probeCaptureFile,
} from '../../../src/capture/file/index.js';
import { fsError } from '../../../src/capture/file/probe.js';
import { HomewatchError } from '../../../src/util/errors.js';
import { runSourceContract } from '../source-contract.js';
import { buildPcap, epb, frame, idb, shb } from './build.js';
import { DATASETS, parseFile, type Rec, tempDir } from './util.js';

const tmp = tempDir();
afterAll(() => tmp.rm());

const ARIA = join(DATASETS, 'iot-sentinel/captures_IoT-Sentinel/Aria/Setup-A-1-STA.pcap');
const BLINK = join(DATASETS, 'moniotr-blink-hub/2019-04-25_idle.pcap'); // pcapng named .pcap
const NATPMP = join(DATASETS, 'ndpi-tests/pcap/natpmp.pcap'); // timestamps go backwards

async function rejection(p: Promise<unknown>): Promise<HomewatchError> {
  try {
    await p;
  } catch (err) {
    expect(err).toBeInstanceOf(HomewatchError);
    const e = err as HomewatchError;
    expect(e.message.includes('\n')).toBe(false);
    return e;
  }
  throw new Error('expected a rejection');
}

async function records(source: FileSource): Promise<Rec[]> {
  const out: Rec[] = [];
  await source.run((buf, off, capLen, wireLen, ts, linkType) => {
    out.push({ ts, capLen, wireLen, linkType, hex: buf.toString('hex', off, off + capLen) });
  });
  return out;
}

runSourceContract('FileSource (one pcap)', () => openCaptureFiles([ARIA]), {
  packets: 49,
  monotonic: true,
  deterministic: true,
});
runSourceContract(
  'FileSource (pcapng + pcap + gzip, 4 KiB chunks)',
  () =>
    openCaptureFiles([BLINK, tmp.write('aria.gz', gzipSync(readFileSync(ARIA)))], {
      chunkBytes: 4096,
    }),
  { packets: 8478 + 49, monotonic: true, deterministic: true },
);
runSourceContract(
  'FileSource (out-of-order file)',
  () => openCaptureFiles([NATPMP], { chunkBytes: 64 }),
  {
    packets: 11,
    monotonic: false,
    deterministic: true,
  },
);

describe('openCaptureFiles errors: one line starting with the file name', () => {
  it('missing file', async () => {
    const p = join(tmp.dir, 'nope.pcap');
    const e = await rejection(openCaptureFiles([ARIA, p]));
    expect(e.code).toBe('ERR_INPUT_MISSING');
    expect(e.message).toBe(`${p}: no such file`);
    expect(e.exitCode).toBe(2);
  });

  it('a directory', async () => {
    const d = join(tmp.dir, 'dir.pcap');
    mkdirSync(d);
    const e = await rejection(openCaptureFiles([d]));
    expect(e.code).toBe('ERR_INPUT_IS_DIRECTORY');
    expect(e.message.startsWith(`${d}: `)).toBe(true);
  });

  it('an empty file', async () => {
    const p = join(DATASETS, 'libpcap-tests/pcap-empty-file.pcap');
    const e = await rejection(openCaptureFiles([p]));
    expect(e.code).toBe('ERR_INPUT_EMPTY');
    expect(e.message).toBe(`${p}: empty file (0 bytes)`);
  });

  it('not a capture: names the first bytes', async () => {
    const p = tmp.write('page.pcap', Buffer.from('<!DOCTYPE html><html></html>'));
    const e = await rejection(openCaptureFiles([p]));
    expect(e.code).toBe('ERR_INPUT_NOT_CAPTURE');
    expect(e.message).toBe(`${p}: not a pcap or pcapng capture (starts with 3c 21 44 4f)`);
    const g = tmp.write('page.gz', gzipSync(Buffer.from('hello')));
    const eg = await rejection(openCaptureFiles([g]));
    expect(eg.message).toBe(
      `${g}: not a pcap or pcapng capture (gzip data starts with 68 65 6c 6c)`,
    );
  });

  it('a header too short, for both formats', async () => {
    const p = join(DATASETS, 'libpcap-tests/pcap-truncated-hdr-23.pcap');
    const e = await rejection(openCaptureFiles([p]));
    expect(e.code).toBe('ERR_INPUT_NOT_CAPTURE');
    expect(e.message).toBe(`${p}: pcap header cut short (23 of 24 bytes)`);
    const q = join(DATASETS, 'libpcap-tests/pcapng-truncated-shb.pcapng');
    expect((await rejection(openCaptureFiles([q]))).message).toBe(
      `${q}: pcapng header cut short (16 of 28 bytes)`,
    );
  });

  it('an unsupported link type: names it and lists the supported ones', async () => {
    const p = join(DATASETS, 'tcpdump-tests/linktypes-protocols/802_15_4_beacon.pcap');
    const e = await rejection(openCaptureFiles([p]));
    expect(e.code).toBe('ERR_INPUT_UNSUPPORTED_LINKTYPE');
    expect(e.message).toMatch(
      /: unsupported link type 195 \(IEEE802_15_4_WITHFCS\); supported: .*1 \(ETHERNET\)/,
    );
    // pcapng: decided on the first interface.
    const q = tmp.write('wifi.pcapng', Buffer.concat([shb(true), idb(true, 105), idb(true, 1)]));
    const eq = await rejection(openCaptureFiles([q]));
    expect(eq.message).toMatch(/unsupported link type 105 \(IEEE802_11\)/);
  });

  it.skipIf(process.getuid?.() === 0)('an unreadable file (permission)', async () => {
    const p = tmp.write('secret.pcap', readFileSync(ARIA));
    chmodSync(p, 0);
    const e = await rejection(openCaptureFiles([p]));
    expect(e.code).toBe('ERR_INPUT_UNREADABLE');
  });

  it('maps file-system errors to codes (also covers permission when running as root)', () => {
    expect(fsError('f', { code: 'EACCES' }).code).toBe('ERR_INPUT_UNREADABLE');
    expect(fsError('f', { code: 'EACCES' }).message).toBe('f: permission denied');
    expect(fsError('f', { code: 'EPERM' }).code).toBe('ERR_INPUT_UNREADABLE');
    expect(fsError('f', { code: 'EIO' }).message).toBe('f: cannot be read (EIO)');
    expect(fsError('f', { code: 'ENOENT' }).code).toBe('ERR_INPUT_MISSING');
  });

  it('no file at all is a usage error', async () => {
    expect((await rejection(openCaptureFiles([]))).code).toBe('ERR_USAGE');
  });
});

describe('libpcap file-level corruption tests: a clear error or 0+ packets, never anything else', () => {
  const dir = join(DATASETS, 'libpcap-tests');
  for (const name of readdirSync(dir).filter((n) => /\.pcapn?g?$/.test(n))) {
    it(name, async () => {
      const path = join(dir, name);
      let source: FileSource;
      try {
        source = await openCaptureFiles([path]);
      } catch (err) {
        expect(err).toBeInstanceOf(HomewatchError);
        expect((err as HomewatchError).message.startsWith(`${path}: `)).toBe(true);
        return;
      }
      const stats = await source.run(() => {});
      expect(stats.packets).toBeGreaterThanOrEqual(0);
      expect(stats.truncated).toBe(source.damage().length);
    });
  }
});

describe('damage part-way: read up to it, count it, go on with the next file', () => {
  const recs = [1, 2, 3].map((i) => ({ sec: 100 + i, frac: 0, data: frame(50 * i, i) }));

  it('a record cut at the end of a file', async () => {
    const whole = buildPcap(recs);
    const cut = tmp.write('cut.pcap', whole.subarray(0, whole.length - 7));
    const next = tmp.write('next.pcap', buildPcap([{ sec: 200, frac: 0, data: frame(9, 9) }]));
    const source = await openCaptureFiles([cut, next], { chunkBytes: 64 });
    const got = await records(source);
    expect(got.map((r) => r.capLen)).toEqual([50, 100, 9]);
    expect(source.stats()).toMatchObject({ packets: 3, truncated: 1 });
    expect(source.damage()).toEqual([
      { path: cut, problem: 'last record cut short (159 of 166 bytes)' },
    ]);
  });

  it('an impossible record length', async () => {
    const bad = buildPcap([...recs, { sec: 110, frac: 0, data: frame(300_000, 1) }, ...recs]);
    const p = tmp.write('insane.pcap', bad);
    const source = await openCaptureFiles([p, ARIA]);
    const stats = await source.run(() => {});
    expect(stats).toMatchObject({ packets: 3 + 49, truncated: 1 });
    expect(source.damage()[0].problem).toMatch(
      /record 4 at byte 372: captured length 300000 exceeds/,
    );
  });

  it('a pcapng block running past the end of the file', async () => {
    const f = Buffer.concat([
      shb(true),
      idb(true, 1),
      epb(true, 0, 5n, frame(40, 1)),
      epb(true, 0, 6n, frame(40, 2)),
    ]);
    const p = tmp.write('cut.pcapng', f.subarray(0, f.length - 30));
    const source = await openCaptureFiles([p]);
    expect((await source.run(() => {})).packets).toBe(1);
    expect(source.stats().truncated).toBe(1);
  });

  it('a gzip stream that ends early or is corrupt', async () => {
    const gz = gzipSync(readFileSync(BLINK));
    const cut = tmp.write('cut.gz', gz.subarray(0, Math.floor(gz.length / 2)));
    const corrupt = Buffer.from(gz);
    const mid = Math.floor(gz.length / 2);
    for (let i = mid; i < mid + 100; i++) corrupt[i] ^= 0x5a;
    const bad = tmp.write('corrupt.gz', corrupt);
    const all = (await parseFile(BLINK))!.records;
    for (const p of [cut, bad]) {
      const source = await openCaptureFiles([p, ARIA], { chunkBytes: 1 << 16 });
      const got = await records(source);
      // Aria (2016) replays before the Blink capture (2019): its 49 packets come first.
      const first = got.slice(49);
      expect(first.length).toBeGreaterThan(0);
      expect(first.length).toBeLessThan(all.length);
      expect(first).toEqual(all.slice(0, first.length));
      expect(source.stats().truncated).toBe(1);
      expect(source.damage()[0].path).toBe(p);
    }
  });
});

describe('FileSource', () => {
  it('reads gzip by magic number, not by name, with the same records', async () => {
    for (const src of [ARIA, BLINK]) {
      const p = tmp.write(`gz-named-plain-${src.length}.pcap`, gzipSync(readFileSync(src)));
      const probed = await probeCaptureFile(p);
      expect(probed.gzip).toBe(true);
      const source = await openCaptureFiles([p], { chunkBytes: 1000 });
      expect(await records(source)).toEqual((await parseFile(src))!.records);
      expect(source.progress()).toEqual({ done: probed.sizeBytes, total: probed.sizeBytes });
    }
  });

  it('detects pcapng named .pcap and pcap named .pcapng', async () => {
    expect((await probeCaptureFile(BLINK)).format).toBe('pcapng');
    expect((await probeCaptureFile(join(DATASETS, 'ndpi-tests/pcap/tcp_scan.pcapng'))).format).toBe(
      'pcap',
    );
  });

  it('replays files in order of their first packet; ties keep argument order', async () => {
    const a = tmp.write('a.pcap', buildPcap([{ sec: 300, frac: 0, data: frame(1, 1) }]));
    const b = tmp.write('b.pcap', buildPcap([{ sec: 100, frac: 0, data: frame(2, 2) }]));
    const c = tmp.write('c.pcap', buildPcap([{ sec: 300, frac: 0, data: frame(3, 3) }]));
    const d = tmp.write('d.pcapng', Buffer.concat([shb(false), idb(false, 1)])); // no packet: last
    const source = await openCaptureFiles([d, c, a, b]);
    expect(source.files.map((f) => f.path)).toEqual([b, c, a, d]);
    expect((await records(source)).map((r) => r.capLen)).toEqual([2, 3, 1]);
  });

  it('probes every file before reading any', async () => {
    let calls = 0;
    await rejection(
      openCaptureFiles([ARIA, join(tmp.dir, 'missing.pcap')]).then((s) => s.run(() => calls++)),
    );
    expect(calls).toBe(0);
  });

  it('reports progress in file bytes and awaits afterBatch between chunks', async () => {
    const source = await openCaptureFiles([BLINK, ARIA], { chunkBytes: 64 * 1024 });
    const total = source.progress().total;
    let batches = 0;
    let lastDone = 0;
    let backwards = 0;
    await source.run(() => {}, {
      afterBatch: () => {
        batches++;
        const { done } = source.progress();
        if (done < lastDone) backwards++;
        lastDone = done;
      },
    });
    expect(total).toBe(1116108 + 8508);
    expect(batches).toBeGreaterThanOrEqual(Math.floor(1116108 / 65536));
    expect(backwards).toBe(0);
    expect(source.progress()).toEqual({ done: total, total });
  });

  it('a second run() is refused', async () => {
    const source = await openCaptureFiles([ARIA]);
    await source.run(() => {});
    expect((await rejection(source.run(() => {}))).code).toBe('ERR_STATE');
  });
});

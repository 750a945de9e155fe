/**
 * Read-only throughput of the capture-file reader: counts the records of one big file.
 *
 *   node --import tsx bench/read-file.ts [FILE]
 *   node --import tsx bench/read-file.ts --build-from SMALL.pcap   (little-endian µs pcap)
 *
 * Without FILE it builds a big pcap in the temp dir (~1.3 M records, ~290 MB from the default
 * source) by repeating the records of a dataset capture with increasing timestamps, once, and
 * reuses it. Prints records/s and MB/s; not a test.
 */
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { openCaptureFiles } from '../src/capture/file/index.js';

const DEFAULT_SOURCE = '../shared/datasets/nku-lifecycle/xiaodu_plug/xiaodu_plug.pcap';
const TARGET_BYTES = 280e6;

function buildBigFile(source: string, path: string): void {
  const src = readFileSync(source);
  if (src.readUInt32LE(0) !== 0xa1b2c3d4) throw new Error(`${source}: expected little-endian pcap`);
  const body = src.subarray(24);
  const REPEAT = Math.ceil(TARGET_BYTES / body.length);
  const out = Buffer.allocUnsafe(24 + body.length * REPEAT);
  src.copy(out, 0, 0, 24);
  let o = 24;
  for (let r = 0; r < REPEAT; r++) {
    body.copy(out, o);
    // Shift this copy's timestamps so the file stays in time order.
    for (let p = o; p < o + body.length;) {
      out.writeUInt32LE(out.readUInt32LE(p) + r * 100_000, p);
      p += 16 + out.readUInt32LE(p + 8);
    }
    o += body.length;
  }
  writeFileSync(path, out);
}

const args = process.argv.slice(2);
let file: string;
if (args[0] === '--build-from' && args[1] !== undefined) {
  file = join(tmpdir(), `homewatch-bench-read-${basename(args[1])}`);
  if (!existsSync(file)) buildBigFile(args[1], file);
} else {
  file = args[0] ?? join(tmpdir(), 'homewatch-bench-read.pcap');
  if (args[0] === undefined && !existsSync(file)) buildBigFile(DEFAULT_SOURCE, file);
}
const size = statSync(file).size;

for (let run = 0; run < 3; run++) {
  const source = await openCaptureFiles([file]);
  let n = 0;
  let sum = 0;
  const t0 = process.hrtime.bigint();
  const stats = await source.run((buf, off, capLen) => {
    n++;
    sum += buf[off] + capLen;
  });
  const s = Number(process.hrtime.bigint() - t0) / 1e9;
  console.log(
    `${file}: ${stats.packets} records (${n} calls, check ${sum % 97}) in ${s.toFixed(3)} s = ` +
      `${(stats.packets / s / 1e6).toFixed(2)} M records/s, ${(size / s / 1e6).toFixed(0)} MB/s`,
  );
}

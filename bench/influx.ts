/**
 * Points per second the InfluxDB sink delivers to a real influxd (Debian's, started here on a
 * free loopback port, data in a temporary folder): the real window records of a replay of FILE...
 * (default: the bundled nku-home captures), repeated with their times shifted by a day per copy
 * until N points, written through the sink in replay mode and waited for. Not a test.
 *
 *   node --import tsx bench/influx.ts [--points N] [FILE...]
 *
 * Also the encoding alone (records to line protocol, no I/O), to tell the sink's cost from
 * influxd's.
 */
import { resolve } from 'node:path';
import { RecordEncoder } from '../src/sinks/influx/encode.js';
import { InfluxSink } from '../src/sinks/influx/sink.js';
import type { DeviceRecord, WindowRecord } from '../src/sinks/records.js';
import { Influxd } from '../tests/helpers/influxd.js';
import { NKU_HOME, replayRecords } from '../tests/sinks/influx/records.js';

const args = process.argv.slice(2);
const at = args.indexOf('--points');
const target = at >= 0 ? Number(args.splice(at, 2)[1]) : 200_000;
const files = args.length > 0 ? args.map((f) => resolve(f)) : NKU_HOME;

const recs = await replayRecords(files);
const devices = recs.filter((r): r is DeviceRecord => r.type === 'device');
const windows = recs.filter((r): r is WindowRecord => r.type === 'window');
const copies = Math.ceil(target / windows.length);

const encoder = new RecordEncoder({
  run: 'bench',
  host: 'h',
  source: 'file',
  summaryAsAgent: true,
  figures: () => ({ pointsWritten: 0, pointsDropped: 0, spooled: 0 }),
});
for (const d of devices) encoder.encode(d);
let t = process.hrtime.bigint();
let bytes = 0;
for (let c = 0; c < copies; c++)
  for (const w of windows)
    bytes += encoder.encode({ ...w, start: w.start + c * 86400 })?.line.length ?? 0;
const encodeS = Number(process.hrtime.bigint() - t) / 1e9;
const n = copies * windows.length;
console.log(
  `encode: ${n} window points in ${encodeS.toFixed(2)} s = ${Math.round(n / encodeS)} points/s, ${Math.round(bytes / n)} bytes a point`,
);

const d = await Influxd.create();
try {
  const sink = new InfluxSink({
    config: {
      baseUrl: d.url,
      database: 'bench',
      user: null,
      password: null,
      retention: 'INF',
      retentionExplicit: false,
      timeoutS: 120,
      run: 'bench',
      spoolBytes: 1 << 20,
    },
    mode: 'replay',
    stateDir: null,
    host: 'h',
    source: 'file',
  });
  await sink.check(5000);
  for (const dev of devices) sink.write(dev);
  t = process.hrtime.bigint();
  for (let c = 0; c < copies; c++) {
    for (const w of windows) sink.write({ ...w, start: w.start + c * 86400 });
    if (sink.backlogged) await sink.flush();
  }
  await sink.close();
  const s = Number(process.hrtime.bigint() - t) / 1e9;
  const delivered = sink.report().delivered;
  const stored = await d.count('bench', 'device_window');
  console.log(
    `deliver: ${delivered} points in ${s.toFixed(2)} s = ${Math.round(delivered / s)} points/s (influxd holds ${stored})`,
  );
} finally {
  await d.destroy();
}

/**
 * Closing one device's window: its `window` record, with the features computed from the
 * window's counters and the strongest beacon report (schema.ts), and the evidence behind it
 * (window-notes.ts) when the window gathered evidence. Once per device and window.
 * @module
 */
import type { Device } from '../devices/device.js';
import type { WindowRecord } from '../sinks/records.js';
import type { DeviceActivity } from './accumulator.js';
import { strongestOf } from './beacon.js';
import { emptyEvidence } from './evidence.js';
import { computeFeatures } from './schema.js';
import type { ClosedWindow } from './windows.js';

/** Device `d`'s window `window` (packet time `start` to `end`) closed; `a` is its activity. */
export function closeDeviceWindow(
  d: Device,
  a: DeviceActivity,
  window: number,
  start: number,
  end: number,
  withEvidence: boolean,
): ClosedWindow {
  a.endUpload();
  const reports = a.beacons.reports(window);
  const beacon = strongestOf(reports);
  const record: WindowRecord = {
    type: 'window',
    mac: d.macStr,
    start,
    end,
    features: computeFeatures({ c: a.counters, beacon }),
    score: 0,
    behaviours: {},
  };
  const evidence = withEvidence
    ? a.notes.build(a.counters.dnsNames, a.notes.beacons(reports, a.dnsAnswers))
    : emptyEvidence();
  return { device: d, record, evidence };
}

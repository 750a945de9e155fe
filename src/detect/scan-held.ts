/**
 * What the scan detector (scan.ts) keeps of a device's last windows beside the span's memory
 * (scan-memory.ts), saved with `--state`: a port scan held back one window to tell it from a
 * flood's start, and the host the device last flooded. Their checks when read back.
 * @module
 */
import {
  expectBoolean,
  expectNumber,
  expectNumbers,
  expectObject,
  expectString,
  expectStrings,
  stateError,
} from '../state/codec.js';
import type { ScanFacts } from './scan.js';
import type { Finding } from './types.js';

/** The host a device last flooded (flood.ts) and the start of that window. */
export interface Flooded {
  host: string;
  start: number;
}

/** A port scan held back: the host, the end of its window, and the finding. */
export interface Held {
  host: string;
  end: number;
  finding: Finding<ScanFacts>;
}

export function flooded(x: unknown, what: string): Flooded {
  return expectObject<Flooded>(x, what, { host: expectString, start: expectNumber });
}

/** A saved held port scan, checked. */
export function held(x: unknown, what: string): Held {
  const facts = (v: unknown, w: string): ScanFacts => {
    const f = expectObject<ScanFacts>(v, w, {
      target: expectString as (v: unknown, w: string) => ScanFacts['target'],
      hosts: expectNumber,
      ports: expectNumbers,
      failed: expectNumber,
      host: expectString,
      hostPorts: expectNumber,
      mirai: expectBoolean,
      examples: expectStrings,
    });
    if (f.target !== 'host') throw stateError(`${w}.target is not a port scan's`);
    return f;
  };
  const finding = (v: unknown, w: string): Finding<ScanFacts> => {
    const f = expectObject<Finding<ScanFacts>>(v, w, {
      behaviour: expectString as (v: unknown, w: string) => 'scan',
      key: expectString,
      ts: expectNumber,
      score: expectNumber,
      severity: expectString as (v: unknown, w: string) => 'high',
      facts,
    });
    if (f.behaviour !== 'scan' || f.severity !== 'high')
      throw stateError(`${w} is not a port scan's finding`);
    return f;
  };
  return expectObject<Held>(x, what, { host: expectString, end: expectNumber, finding });
}

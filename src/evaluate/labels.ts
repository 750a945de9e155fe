/**
 * Labels for `evaluate` (DESIGN.md, "Labels for evaluate"):
 * `{"events":[{"mac":"…","behaviours":["beaconing"],"also":["anomaly"],"start":…,"end":…}]}`.
 * Read and validated once; every problem is one line naming the file.
 * @module
 */
import { readFileSync } from 'node:fs';
import { isBehaviour, type Behaviour } from '../detect/types.js';
import { HomewatchError } from '../util/errors.js';

export interface LabelEvent {
  mac: string;
  behaviours: Behaviour[];
  also: Behaviour[];
  start: number;
  end: number;
}

export function parseLabels(text: string, file: string): LabelEvent[] {
  const fail = (why: string): never => {
    throw new HomewatchError('ERR_USAGE', `--labels ${file}: ${why}`);
  };
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (err) {
    return fail(`not JSON (${(err as Error).message})`);
  }
  const events = (data as { events?: unknown } | null)?.events;
  if (!Array.isArray(events)) return fail('expected {"events": [...]}');
  return events.map((raw: unknown, i): LabelEvent => {
    const e = raw as Record<string, unknown> | null;
    const at = `event ${i + 1}`;
    if (e === null || typeof e !== 'object') return fail(`${at} is not an object`);
    const mac = String(e.mac ?? '').toLowerCase();
    if (!/^([0-9a-f]{2}:){5}[0-9a-f]{2}$/.test(mac)) fail(`${at}: bad mac '${String(e.mac)}'`);
    const list = (v: unknown, name: string): Behaviour[] => {
      if (v === undefined) return [];
      if (!Array.isArray(v)) return fail(`${at}: ${name} must be a list`);
      return v.map((b) =>
        isBehaviour(String(b))
          ? (String(b) as Behaviour)
          : fail(`${at}: unknown behaviour '${String(b)}'`),
      );
    };
    // An event may name no behaviour and only list what is acceptable (`also`): a device of
    // the home at the start may be announced as new, but need not be.
    const behaviours = list(e.behaviours, 'behaviours');
    const also = list(e.also, 'also');
    if (behaviours.length === 0 && also.length === 0) fail(`${at}: names no behaviour`);
    const start = Number(e.start);
    const end = Number(e.end);
    if (!Number.isFinite(start) || !Number.isFinite(end) || end < start)
      fail(`${at}: start and end must be packet times with start ≤ end`);
    return { mac, behaviours, also, start, end };
  });
}

export function readLabels(file: string): LabelEvent[] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new HomewatchError(
      'ERR_USAGE',
      `--labels ${file}: ${code === 'ENOENT' ? 'no such file' : (err as Error).message}`,
    );
  }
  return parseLabels(text, file);
}

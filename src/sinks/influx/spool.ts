/**
 * Points InfluxDB has not accepted yet, on disk in `--state DIR/influx-spool/`, so that an
 * outage or a restart of the agent loses nothing. One segment file a batch, line protocol as it
 * will be sent, named `<sequence>-<lane>-<points>.lp`: the order, which points may give way and
 * how many there are can be read from the directory listing alone.
 *
 * Bounded by `maxBytes`. When a segment does not fit, the oldest window segments are deleted to
 * make room (windows give way before alerts and agent points); when no window segment is left, a
 * new segment that still does not fit is refused. Everything deleted or refused is counted.
 *
 * Each segment is written to a temporary file and renamed into place, so a crash leaves either
 * the whole segment or none of it (temporary files are removed at the next start).
 * @module
 */
import { mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { HomewatchError } from '../../util/errors.js';
import type { Lane } from './encode.js';

export const SPOOL_DIR = 'influx-spool';

const LANE_CODE: Record<Lane, string> = { priority: 'p', window: 'w' };
const CODE_LANE: Record<string, Lane> = { p: 'priority', w: 'window' };
const SEGMENT = /^(\d{12})-([pw])-(\d+)\.lp$/;

export interface Segment {
  seq: number;
  lane: Lane;
  points: number;
  bytes: number;
  file: string;
}

export class Spool {
  readonly dir: string;
  readonly maxBytes: number;
  readonly #segments: Segment[] = [];
  #bytes = 0;
  #points = 0;
  #nextSeq = 0;
  /** Points deleted or refused for want of room, by lane. */
  readonly dropped: Record<Lane, number> = { priority: 0, window: 0 };
  /** Why the last segment could not be written, if one could not. */
  lastError: string | null = null;

  /** Opens (creating) DIR/influx-spool and takes stock of what an earlier run left there. */
  constructor(stateDir: string, maxBytes: number) {
    this.dir = join(stateDir, SPOOL_DIR);
    this.maxBytes = maxBytes;
    try {
      mkdirSync(this.dir, { recursive: true, mode: 0o700 });
      for (const name of readdirSync(this.dir)) {
        if (name.includes('.tmp')) {
          rmSync(join(this.dir, name), { force: true });
          continue;
        }
        const m = SEGMENT.exec(name);
        if (!m) continue;
        const file = join(this.dir, name);
        const seg: Segment = {
          seq: Number(m[1]),
          lane: CODE_LANE[m[2]],
          points: Number(m[3]),
          bytes: statSync(file).size,
          file,
        };
        this.#segments.push(seg);
      }
    } catch (err) {
      throw new HomewatchError(
        'ERR_STATE',
        `--state ${stateDir}: cannot use ${this.dir} for undelivered InfluxDB points (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`,
      );
    }
    this.#segments.sort((a, b) => a.seq - b.seq);
    for (const s of this.#segments) {
      this.#bytes += s.bytes;
      this.#points += s.points;
    }
    this.#nextSeq = (this.#segments.at(-1)?.seq ?? -1) + 1;
  }

  /** Points waiting on disk. */
  get points(): number {
    return this.#points;
  }

  get bytes(): number {
    return this.#bytes;
  }

  get empty(): boolean {
    return this.#segments.length === 0;
  }

  /**
   * Stores `lines` as one segment, making room by deleting the oldest window segments if need
   * be. Returns false (and counts the points as dropped) when there is no room even so.
   */
  async append(lane: Lane, lines: string[]): Promise<boolean> {
    if (lines.length === 0) return true;
    const text = `${lines.join('\n')}\n`;
    const size = Buffer.byteLength(text);
    while (this.#bytes + size > this.maxBytes) {
      const victim = this.#segments.find((s) => s.lane === 'window');
      if (victim === undefined) break;
      await this.#delete(victim);
      this.dropped.window += victim.points;
    }
    if (this.#bytes + size > this.maxBytes) {
      this.dropped[lane] += lines.length;
      return false;
    }
    const seq = this.#nextSeq++;
    const name = `${String(seq).padStart(12, '0')}-${LANE_CODE[lane]}-${lines.length}.lp`;
    const file = join(this.dir, name);
    const tmp = `${file}.tmp`;
    try {
      await writeFile(tmp, text, { mode: 0o600 });
      await rename(tmp, file);
    } catch (err) {
      // A full or read-only disk: the points are lost, counted, and the agent goes on.
      await rm(tmp, { force: true }).catch(() => undefined);
      this.dropped[lane] += lines.length;
      this.lastError = `cannot write ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`;
      return false;
    }
    this.#segments.push({ seq, lane, points: lines.length, bytes: size, file });
    this.#bytes += size;
    this.#points += lines.length;
    return true;
  }

  /** The oldest segment and its lines, or null when the spool is empty. */
  async oldest(): Promise<{ segment: Segment; lines: string } | null> {
    const segment = this.#segments[0];
    if (segment === undefined) return null;
    return { segment, lines: await readFile(segment.file, 'utf8') };
  }

  /** Removes a segment once InfluxDB has it. */
  async remove(segment: Segment): Promise<void> {
    await this.#delete(segment);
  }

  async #delete(segment: Segment): Promise<void> {
    const i = this.#segments.indexOf(segment);
    if (i < 0) return;
    this.#segments.splice(i, 1);
    this.#bytes -= segment.bytes;
    this.#points -= segment.points;
    await rm(segment.file, { force: true });
  }
}

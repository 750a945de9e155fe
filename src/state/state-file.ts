/**
 * The agent's state on disk (`--state DIR` → DIR/state.json): what it has learned, so that a
 * restart does not forget it. Versioned JSON; each part of the agent owns one top-level key
 * (today `devices`, the DeviceRegistry snapshot; later `baselines`, `alertEpisodes`, ...), so a
 * new part joins without a version bump and an older agent ignores keys it does not know.
 *
 * Written atomically: a temporary file in the same directory, fsync, rename over the old file,
 * fsync of the directory (rename(2) is atomic within one file system). A file that cannot be
 * parsed, or has another version, is renamed aside (state.json.damaged-<time>) and reported as
 * a warning: the agent starts fresh instead of crashing.
 * @module
 */

import {
  closeSync,
  fsyncSync,
  mkdirSync,
  openSync,
  readFileSync,
  renameSync,
  writeSync,
} from 'node:fs';
import { open, rename } from 'node:fs/promises';
import { join } from 'node:path';
import { HomewatchError } from '../util/errors.js';

/** The state format version this code writes and reads. */
export const STATE_VERSION = 1;
export const STATE_FILE = 'state.json';

/** The parts of the agent's state, each a plain JSON value owned by its stage. */
export interface StateParts {
  /** DeviceRegistry.snapshot(). */
  devices: unknown;
  /** Future parts (baselines, alert episodes, ...), each under its own key. */
  [part: string]: unknown;
}

/** The file's content. */
export interface AgentState extends StateParts {
  version: typeof STATE_VERSION;
  /** Wall clock (Unix epoch seconds) of the save. */
  savedAt: number;
}

/** The result of loading: the state (null when there was none) and a warning, if any. */
export interface LoadResult {
  state: AgentState | null;
  /** One line for a person, e.g. that a damaged file was set aside. */
  warning?: string;
}

export class StateStore {
  readonly dir: string;
  readonly path: string;
  #saving: Promise<void> = Promise.resolve();

  /** Creates DIR if needed; throws ERR_STATE when it cannot. */
  constructor(dir: string) {
    this.dir = dir;
    this.path = join(dir, STATE_FILE);
    try {
      mkdirSync(dir, { recursive: true, mode: 0o700 });
    } catch (err) {
      throw new HomewatchError('ERR_STATE', `--state ${dir}: ${errMessage(err)}`, { cause: err });
    }
  }

  /** Reads the state; a damaged or foreign file is set aside with a warning, never thrown. */
  load(now: Date = new Date()): LoadResult {
    let text: string;
    try {
      text = readFileSync(this.path, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { state: null };
      throw new HomewatchError('ERR_STATE', `${this.path}: ${errMessage(err)}`, { cause: err });
    }
    const problem = validate(text);
    if (typeof problem !== 'string') return { state: problem };
    return { state: null, warning: this.setAside(problem, now) };
  }

  /**
   * Moves the current file aside as damaged (also used when a part fails to restore);
   * returns the warning line.
   */
  setAside(problem: string, now: Date = new Date()): string {
    const aside = `${this.path}.damaged-${now.toISOString().replace(/[:.]/g, '-')}`;
    try {
      renameSync(this.path, aside);
    } catch (err) {
      return `warning: state ${this.path} ${problem}, and could not be set aside (${errMessage(err)}); starting fresh`;
    }
    return `warning: state ${this.path} ${problem}; moved to ${aside}, starting fresh`;
  }

  /** Writes the state atomically; concurrent calls are serialised. */
  save(parts: StateParts, savedAt: number): Promise<void> {
    const text = serialise(parts, savedAt);
    const next = this.#saving.then(() => this.#write(text));
    this.#saving = next.catch(() => undefined);
    return next;
  }

  /** Synchronous save, for the last moment of shutdown. */
  saveSync(parts: StateParts, savedAt: number): void {
    const tmp = this.#tmpPath();
    try {
      const fd = openSync(tmp, 'w', 0o600);
      try {
        writeAllSync(fd, serialise(parts, savedAt));
        fsyncSync(fd);
      } finally {
        closeSync(fd);
      }
      renameSync(tmp, this.path);
      fsyncDirSync(this.dir);
    } catch (err) {
      throw new HomewatchError('ERR_STATE', `${this.path}: ${errMessage(err)}`, { cause: err });
    }
  }

  async #write(text: string): Promise<void> {
    const tmp = this.#tmpPath();
    try {
      const fh = await open(tmp, 'w', 0o600);
      try {
        await fh.writeFile(text);
        await fh.sync();
      } finally {
        await fh.close();
      }
      await rename(tmp, this.path);
      fsyncDirSync(this.dir);
    } catch (err) {
      throw new HomewatchError('ERR_STATE', `${this.path}: ${errMessage(err)}`, { cause: err });
    }
  }

  #tmpPath(): string {
    return `${this.path}.tmp-${process.pid}`;
  }
}

function serialise(parts: StateParts, savedAt: number): string {
  // version first, for a person reading the file; parts cannot override it.
  const state: AgentState = { version: STATE_VERSION, savedAt, ...parts };
  state.version = STATE_VERSION;
  state.savedAt = savedAt;
  return `${JSON.stringify(state)}\n`;
}

/** The parsed state, or a phrase saying what is wrong with it. */
function validate(text: string): AgentState | string {
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch {
    return 'is damaged (not JSON)';
  }
  if (v === null || typeof v !== 'object' || Array.isArray(v)) return 'is damaged (not an object)';
  const o = v as Record<string, unknown>;
  if (o.version !== STATE_VERSION) {
    return `has version ${JSON.stringify(o.version)}, this agent reads version ${STATE_VERSION}`;
  }
  if (typeof o.savedAt !== 'number') return 'is damaged (no savedAt)';
  return o as AgentState;
}

function writeAllSync(fd: number, text: string): void {
  const buf = Buffer.from(text, 'utf8');
  let off = 0;
  while (off < buf.length) off += writeSync(fd, buf, off, buf.length - off);
}

function fsyncDirSync(dir: string): void {
  // Makes the rename durable; not every platform lets a directory be opened (ignored there).
  try {
    const fd = openSync(dir, 'r');
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  } catch {
    /* best effort */
  }
}

function errMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/**
 * A PacketSource over one or more capture files replayed as one timeline.
 * @module
 */
import { HomewatchError, inputError } from '../../util/errors.js';
import type { FrameHandler, PacketSource, SourceHooks, SourceStats } from '../types.js';
import { type ByteReader, openByteReader } from './byte-reader.js';
import { ParseState, type RecordParser } from './parser.js';
import { createParser, fsError, type ProbedFile, probeCaptureFile } from './probe.js';
import { ChunkBuffers, readRecords } from './read-loop.js';

export interface FileSourceOptions {
  /** Bytes read per chunk (default 1 MiB). Small values exercise chunk boundaries in tests. */
  chunkBytes?: number;
}

/** Where reading of a file stopped early. */
export interface FileDamage {
  readonly path: string;
  /** One line, e.g. "last record cut short (40 of 74 bytes)". */
  readonly problem: string;
}

/**
 * 1 MiB: both buffers of the read loop then stay in cache between the read that fills one and
 * the parser that walks it. With 8 MiB chunks every record header was a miss to
 * memory, and reading alone took about twice the CPU (bench/stages.ts --chunk-kib).
 */
export const DEFAULT_CHUNK_BYTES = 1024 * 1024;
const MIN_CHUNK_BYTES = 32;

/**
 * Probes every file (rejecting with a HomewatchError for the first, in argument order, that cannot
 * be read at all), then returns a source that replays them.
 *
 * Order: files are replayed by the timestamp of their first packet, earliest first. The sort is
 * stable, so files with equal first timestamps keep their argument order, and files with no packet
 * come last. Packets within a file keep the file's order, even when its timestamps go backwards.
 */
export async function openCaptureFiles(
  paths: readonly string[],
  opts: FileSourceOptions = {},
): Promise<FileSource> {
  if (paths.length === 0) throw new HomewatchError('ERR_USAGE', 'no capture file given');
  const probed: ProbedFile[] = [];
  for (const p of paths) probed.push(await probeCaptureFile(p));
  probed.sort((a, b) => (a.firstTs === b.firstTs ? 0 : a.firstTs < b.firstTs ? -1 : 1));
  return new FileSource(probed, opts);
}

export class FileSource implements PacketSource {
  readonly name: string;
  /** The files in replay order. */
  readonly files: readonly ProbedFile[];
  readonly #chunkBytes: number;
  readonly #totalBytes: number;
  readonly #damage: FileDamage[] = [];
  #doneBytes = 0;
  #packets = 0;
  #bytes = 0;
  #truncated = 0;
  #parser: RecordParser | null = null;
  #reader: ByteReader | null = null;
  #stopped = false;
  #started = false;

  /** Use openCaptureFiles(); the files must have been probed. */
  constructor(files: readonly ProbedFile[], opts: FileSourceOptions = {}) {
    this.files = files;
    this.name = files.map((f) => f.path).join(' ');
    this.#chunkBytes = Math.max(
      MIN_CHUNK_BYTES,
      Math.floor(opts.chunkBytes ?? DEFAULT_CHUNK_BYTES),
    );
    this.#totalBytes = files.reduce((s, f) => s + f.sizeBytes, 0);
  }

  async run(handler: FrameHandler, hooks: SourceHooks = {}): Promise<SourceStats> {
    if (this.#started) throw new HomewatchError('ERR_STATE', `${this.name}: run() called twice`);
    this.#started = true;
    const buffers = new ChunkBuffers(this.#bufferBytes());
    const shouldStop = (): boolean => this.#stopped;
    const afterBatch = hooks.afterBatch?.bind(hooks);
    for (const file of this.files) {
      if (this.#stopped) break;
      let reader: ByteReader;
      try {
        reader = (await openByteReader(file.path)).reader;
      } catch (err) {
        throw fsError(file.path, err);
      }
      const parser = createParser(file.format);
      this.#reader = reader;
      this.#parser = parser;
      try {
        const res = await readRecords(reader, parser, handler, buffers, {
          shouldStop,
          afterChunk: afterBatch,
        });
        if (parser.state === ParseState.BadHeader || !parser.headerDone) {
          // Probing accepted this file, so it changed since.
          throw inputError(
            'ERR_INPUT_NOT_CAPTURE',
            file.path,
            parser.problem || 'header cut short',
          );
        }
        if (parser.state === ParseState.Damaged) {
          this.#noteDamage(file.path, parser.problem);
        } else if (res.ended === 'eof' && reader.damage !== '') {
          this.#noteDamage(file.path, reader.damage);
        } else if (res.ended === 'eof' && res.leftover > 0) {
          this.#noteDamage(
            file.path,
            `last record cut short (${res.leftover} of ${parser.needed} bytes)`,
          );
        }
      } finally {
        this.#packets += parser.packets;
        this.#bytes += parser.bytes;
        this.#doneBytes += file.sizeBytes;
        this.#parser = null;
        this.#reader = null;
        await reader.close().catch(() => undefined);
      }
    }
    return this.stats();
  }

  /** The chunk size, shrunk for small plain files (a whole small file is then one read). */
  #bufferBytes(): number {
    if (this.files.some((f) => f.gzip)) return this.#chunkBytes;
    const largest = this.files.reduce((m, f) => Math.max(m, f.sizeBytes), 0);
    return Math.min(this.#chunkBytes, Math.max(64 * 1024, largest + 1));
  }

  /** Ends run() after the current record. */
  stop(): void {
    this.#stopped = true;
    this.#parser?.halt();
  }

  stats(): SourceStats {
    const p = this.#parser;
    return {
      packets: this.#packets + (p === null ? 0 : p.packets),
      bytes: this.#bytes + (p === null ? 0 : p.bytes),
      truncated: this.#truncated,
    };
  }

  progress(): { done: number; total: number } {
    const r = this.#reader;
    const cur = r === null ? 0 : r.fileBytesRead;
    return { done: this.#doneBytes + cur, total: this.#totalBytes };
  }

  /** Files whose reading stopped at damage, and why (one entry per `truncated`). */
  damage(): readonly FileDamage[] {
    return this.#damage;
  }

  #noteDamage(path: string, problem: string): void {
    this.#truncated++;
    this.#damage.push({ path, problem });
  }
}

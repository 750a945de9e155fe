/**
 * Sequential byte readers for capture files: plain files read straight into the caller's buffer,
 * gzip files (sniffed by their magic 1f 8b, RFC 1952 §2.3.1) streamed through zlib.
 * @module
 */
import { createReadStream, readSync, type ReadStream } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import { createRequire } from 'node:module';
import type { Gunzip } from 'node:zlib';

// node:zlib is loaded by the first gzip file, not by every run (~2 ms at start-up).
const require = createRequire(import.meta.url);

/** Reads a file's (uncompressed) bytes in order. */
export interface ByteReader {
  /**
   * Fills `buf[off, off+len)` as far as the input allows; returns the number of bytes read, less
   * than `len` only at the end of the input. A corrupt or cut gzip stream ends the input early and
   * sets `damage`.
   */
  read(buf: Buffer, off: number, len: number): Promise<number>;
  /** Bytes of the file itself consumed so far (compressed bytes for gzip). */
  readonly fileBytesRead: number;
  /** Why the input ended early (gzip errors), or '' if it did not. */
  readonly damage: string;
  close(): Promise<void>;
}

export const GZIP_MAGIC_0 = 0x1f;
export const GZIP_MAGIC_1 = 0x8b;

/** Longest stretch a plain reader keeps the event loop waiting, in milliseconds. */
const YIELD_EVERY_MS = 20;

/**
 * Plain files are read synchronously on the JavaScript thread: on a two-core machine a read
 * handed to libuv's thread pool competes with V8's compiler and GC threads, and the parser sat
 * idle waiting for it for 10–20 % of a replay (profiled on the 2 M packet bench capture; copying
 * a chunk out of the page cache takes a fraction of a millisecond). The event loop still turns
 * every YIELD_EVERY_MS, so signals, timers (the progress bar) and sink drains are not held up.
 */
class PlainReader implements ByteReader {
  fileBytesRead = 0;
  readonly damage = '';
  readonly #fh: FileHandle;
  #lastYield = performance.now();
  constructor(fh: FileHandle) {
    this.#fh = fh;
  }
  async read(buf: Buffer, off: number, len: number): Promise<number> {
    const now = performance.now();
    if (now - this.#lastYield >= YIELD_EVERY_MS) {
      await new Promise<void>((resolve) => setImmediate(resolve));
      this.#lastYield = performance.now();
    }
    let got = 0;
    while (got < len) {
      const bytesRead = readSync(this.#fh.fd, buf, off + got, len - got, null);
      if (bytesRead === 0) break;
      got += bytesRead;
    }
    this.fileBytesRead += got;
    return got;
  }
  close(): Promise<void> {
    return this.#fh.close();
  }
}

const GZ_IN_BYTES = 64 * 1024;
// zlib drops the output of the inflate call that fails: small output chunks keep that loss small.
const GZ_OUT_BYTES = 32 * 1024;
/** Decompressed bytes queued ahead of the parser before zlib is paused. */
const GZ_QUEUE_BYTES = 16 * 1024 * 1024;

/**
 * Gunzips in flowing mode into its own queue: output that zlib produced before an error is kept
 * (a stream's async iterator would drop what is buffered when the stream errors), so a corrupt or
 * cut gzip file yields every packet before the damage.
 */
class GzipReader implements ByteReader {
  damage = '';
  readonly #raw: ReadStream;
  readonly #gz: Gunzip;
  readonly #queue: Buffer[] = [];
  #queued = 0;
  #headOff = 0;
  #ended = false;
  #wake: (() => void) | null = null;

  constructor(path: string) {
    this.#raw = createReadStream(path, { highWaterMark: GZ_IN_BYTES });
    const { createGunzip } = require('node:zlib') as typeof import('node:zlib');
    this.#gz = createGunzip({ chunkSize: GZ_OUT_BYTES });
    this.#raw.on('error', (err: Error) => this.#finish(err));
    this.#gz.on('error', (err: Error) => this.#finish(err));
    this.#gz.on('end', () => this.#finish(null));
    this.#gz.on('data', (chunk: Buffer) => {
      this.#queue.push(chunk);
      this.#queued += chunk.length;
      if (this.#queued >= GZ_QUEUE_BYTES) this.#gz.pause();
      this.#signal();
    });
    this.#raw.pipe(this.#gz);
  }

  get fileBytesRead(): number {
    return this.#raw.bytesRead;
  }

  #finish(err: Error | null): void {
    if (this.#ended) return;
    this.#ended = true;
    if (err !== null) {
      this.damage = `gzip stream is corrupt or cut short (${err.message.split('\n')[0]})`;
    }
    this.#signal();
  }

  #signal(): void {
    const w = this.#wake;
    this.#wake = null;
    if (w !== null) w();
  }

  async read(buf: Buffer, off: number, len: number): Promise<number> {
    let got = 0;
    while (got < len) {
      if (this.#queue.length === 0) {
        if (this.#ended) break;
        if (this.#gz.isPaused()) this.#gz.resume();
        await new Promise<void>((resolve) => {
          this.#wake = resolve;
        });
        continue;
      }
      const p = this.#queue[0];
      const n = Math.min(len - got, p.length - this.#headOff);
      p.copy(buf, off + got, this.#headOff, this.#headOff + n);
      got += n;
      this.#headOff += n;
      if (this.#headOff === p.length) {
        this.#queue.shift();
        this.#queued -= p.length;
        this.#headOff = 0;
      }
    }
    if (this.#queued < GZ_QUEUE_BYTES / 2 && this.#gz.isPaused() && !this.#ended) this.#gz.resume();
    return got;
  }

  async close(): Promise<void> {
    this.#ended = true;
    this.#raw.destroy();
    this.#gz.destroy();
    this.#signal();
  }
}

/**
 * Opens `path` for sequential reading, gunzipping when its first two bytes are the gzip magic.
 * Rejects with the file system's error (ENOENT, EACCES, EISDIR…).
 */
export async function openByteReader(path: string): Promise<{ reader: ByteReader; gzip: boolean }> {
  const fh = await open(path, 'r');
  let gzip = false;
  try {
    const head = Buffer.alloc(2);
    const { bytesRead } = await fh.read(head, 0, 2, 0);
    gzip = bytesRead === 2 && head[0] === GZIP_MAGIC_0 && head[1] === GZIP_MAGIC_1;
  } catch (err) {
    await fh.close();
    throw err;
  }
  if (!gzip) return { reader: new PlainReader(fh), gzip };
  await fh.close();
  return { reader: new GzipReader(path), gzip };
}

/**
 * Sequential byte readers for capture files: plain files read straight into the caller's buffer,
 * gzip files (sniffed by their magic 1f 8b, RFC 1952 §2.3.1) streamed through zlib.
 * @module
 */
import { createReadStream, type ReadStream } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import { createGunzip, type Gunzip } from 'node:zlib';

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

class PlainReader implements ByteReader {
  fileBytesRead = 0;
  readonly damage = '';
  readonly #fh: FileHandle;
  constructor(fh: FileHandle) {
    this.#fh = fh;
  }
  async read(buf: Buffer, off: number, len: number): Promise<number> {
    let got = 0;
    while (got < len) {
      const { bytesRead } = await this.#fh.read(buf, off + got, len - got, null);
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

const GZ_CHUNK_BYTES = 1 << 20;

class GzipReader implements ByteReader {
  damage = '';
  readonly #raw: ReadStream;
  readonly #gz: Gunzip;
  readonly #it: AsyncIterator<Buffer>;
  #pending: Buffer | null = null;
  #pendingOff = 0;
  #ended = false;

  constructor(path: string) {
    this.#raw = createReadStream(path, { highWaterMark: GZ_CHUNK_BYTES });
    this.#gz = createGunzip({ chunkSize: GZ_CHUNK_BYTES });
    this.#raw.on('error', (err: Error) => this.#gz.destroy(err));
    this.#raw.pipe(this.#gz);
    this.#it = this.#gz[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
  }

  get fileBytesRead(): number {
    return this.#raw.bytesRead;
  }

  async read(buf: Buffer, off: number, len: number): Promise<number> {
    let got = 0;
    while (got < len) {
      if (this.#pending === null) {
        if (this.#ended) break;
        try {
          const r = await this.#it.next();
          if (r.done === true) {
            this.#ended = true;
            break;
          }
          this.#pending = r.value;
          this.#pendingOff = 0;
        } catch (err) {
          this.#ended = true;
          this.damage = `gzip stream is corrupt or cut short (${(err as Error).message})`;
          break;
        }
      }
      const p = this.#pending;
      const n = Math.min(len - got, p.length - this.#pendingOff);
      p.copy(buf, off + got, this.#pendingOff, this.#pendingOff + n);
      got += n;
      this.#pendingOff += n;
      if (this.#pendingOff === p.length) this.#pending = null;
    }
    return got;
  }

  async close(): Promise<void> {
    this.#raw.destroy();
    this.#gz.destroy();
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

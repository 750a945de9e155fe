/**
 * Classic pcap writer (microsecond timestamps, LINKTYPE_ETHERNET). Frames are built in
 * place inside one large reused Buffer and written to the file in big chunks.
 * Format: https://www.tcpdump.org/manpages/pcap-savefile.5.html
 * @module
 */
import { closeSync, openSync, writeSync } from 'node:fs';

const GLOBAL_HEADER_LEN = 24;
const RECORD_HEADER_LEN = 16;
/** Largest frame the generator ever builds (Ethernet + 1500-byte IP packet). */
export const MAX_FRAME_LEN = 1514;

export class PcapWriter {
  /** The shared build buffer: frames are written at the offset `begin()` returns. */
  readonly buf: Buffer;
  packets = 0;
  /** Bytes of frame data written (sum of captured lengths, excluding pcap headers). */
  frameBytes = 0;
  lastTsUs = 0;
  #fd: number;
  #pos = 0;

  constructor(path: string, chunkBytes = 8 << 20) {
    this.buf = Buffer.alloc(Math.max(chunkBytes, 1 << 16));
    this.#fd = openSync(path, 'w');
    const h = this.buf;
    h.writeUInt32LE(0xa1b2c3d4, 0); // magic, microsecond resolution
    h.writeUInt16LE(2, 4); // version major
    h.writeUInt16LE(4, 6); // version minor
    h.writeInt32LE(0, 8); // thiszone
    h.writeUInt32LE(0, 12); // sigfigs
    h.writeUInt32LE(65535, 16); // snaplen
    h.writeUInt32LE(1, 20); // LINKTYPE_ETHERNET
    this.#pos = GLOBAL_HEADER_LEN;
  }

  /** Reserve room for one frame; returns the offset in `buf` where the frame starts. */
  begin(): number {
    if (this.#pos + RECORD_HEADER_LEN + MAX_FRAME_LEN > this.buf.length) this.flush();
    return this.#pos + RECORD_HEADER_LEN;
  }

  /**
   * Close the frame started by `begin()`. Timestamps are forced to increase strictly
   * (by at least 1 µs), so the file is in order whatever the caller asks for.
   */
  commit(tsUs: number, frameLen: number): void {
    let ts = Math.round(tsUs);
    if (ts <= this.lastTsUs) ts = this.lastTsUs + 1;
    this.lastTsUs = ts;
    const p = this.#pos;
    const sec = Math.floor(ts / 1e6);
    this.buf.writeUInt32LE(sec, p);
    this.buf.writeUInt32LE(ts - sec * 1e6, p + 4);
    this.buf.writeUInt32LE(frameLen, p + 8);
    this.buf.writeUInt32LE(frameLen, p + 12);
    this.#pos = p + RECORD_HEADER_LEN + frameLen;
    this.packets++;
    this.frameBytes += frameLen;
  }

  flush(): void {
    let off = 0;
    while (off < this.#pos) off += writeSync(this.#fd, this.buf, off, this.#pos - off);
    this.#pos = 0;
  }

  close(): void {
    this.flush();
    closeSync(this.#fd);
  }
}

/**
 * Classic pcap (libpcap savefile) push parser.
 *
 * Layout (https://www.ietf.org/archive/id/draft-ietf-opsawg-pcap-04.html, §4 and §5):
 *
 * ```
 * file header, 24 bytes:  magic(4) major(2) minor(2) thiszone(4) sigfigs(4) snaplen(4) linktype(4)
 * record header, 16 bytes: ts_sec(4) ts_frac(4) caplen(4) origlen(4), then caplen bytes of frame
 * ```
 *
 * Magic a1b2c3d4 = microsecond fractions, a1b23c4d = nanoseconds; read in the writer's byte order
 * (d4c3b2a1 / 4d3cb2a1 when it differs from ours). Link-type field: bits 0-15 link type, bits
 * 16-25 reserved (must be zero), bits 26-31 FCS information (ignored).
 * @module
 */
import type { FrameHandler } from '../types.js';
import {
  MAX_RECORD_BYTES,
  MAX_SNAPLEN_DEFAULT,
  ParseState,
  type RecordParser,
  u16,
  u32,
  u32be,
  u32le,
} from './parser.js';

export const PCAP_HEADER_BYTES = 24;
const RECORD_HEADER_BYTES = 16;

/** Recognises the four classic pcap magics in the first 4 bytes. */
export function isPcapMagic(b: Buffer): boolean {
  if (b.length < 4) return false;
  const be = u32be(b, 0);
  const le = u32le(b, 0);
  return be === 0xa1b2c3d4 || be === 0xa1b23c4d || le === 0xa1b2c3d4 || le === 0xa1b23c4d;
}

export class PcapParser implements RecordParser {
  readonly format = 'pcap' as const;
  linkType = -1;
  headerDone = false;
  state: ParseState = ParseState.Ok;
  problem = '';
  needed = PCAP_HEADER_BYTES;
  packets = 0;
  bytes = 0;
  position = 0;
  /** Header fields, for tests and messages. */
  snaplen = 0;
  nanosecond = false;
  littleEndian = true;
  #fracDivisor = 1e6;
  #maxCapLen = MAX_SNAPLEN_DEFAULT;
  #halted = false;

  halt(): void {
    this.#halted = true;
  }

  parse(buf: Buffer, start: number, end: number, handler: FrameHandler): number {
    this.#halted = false;
    if (this.state !== ParseState.Ok) return start;
    let off = start;
    if (!this.headerDone) {
      if (end - off < PCAP_HEADER_BYTES) {
        this.needed = PCAP_HEADER_BYTES;
        return off;
      }
      if (!this.#readHeader(buf, off)) return off;
      off += PCAP_HEADER_BYTES;
      this.position += PCAP_HEADER_BYTES;
    }
    const le = this.littleEndian;
    const div = this.#fracDivisor;
    const maxCap = this.#maxCapLen;
    const lt = this.linkType;
    let needed = RECORD_HEADER_BYTES;
    let packets = 0;
    let bytes = 0;
    const from = off;
    try {
      while (end - off >= RECORD_HEADER_BYTES) {
        let sec: number, frac: number, capLen: number, wireLen: number;
        if (le) {
          sec = u32le(buf, off);
          frac = u32le(buf, off + 4);
          capLen = u32le(buf, off + 8);
          wireLen = u32le(buf, off + 12);
        } else {
          sec = u32be(buf, off);
          frac = u32be(buf, off + 4);
          capLen = u32be(buf, off + 8);
          wireLen = u32be(buf, off + 12);
        }
        if (capLen > maxCap && wireLen < capLen && wireLen <= maxCap) {
          // An impossible captured length beside a plausible original length: read the record
          // as its original length says, as Wireshark does, so packet counts agree with capinfos.
          capLen = wireLen;
        }
        if (capLen > maxCap) {
          this.state = ParseState.Damaged;
          this.problem =
            `record ${this.packets + packets + 1} at byte ${this.position + off - from}: ` +
            `captured length ${capLen} exceeds the maximum ${maxCap}`;
          break;
        }
        if (end - off - RECORD_HEADER_BYTES < capLen) {
          needed = RECORD_HEADER_BYTES + capLen;
          break;
        }
        packets++;
        bytes += capLen;
        // A record claiming fewer bytes on the wire than captured is reported as capLen on the wire.
        handler(
          buf,
          off + RECORD_HEADER_BYTES,
          capLen,
          wireLen < capLen ? capLen : wireLen,
          sec + frac / div,
          lt,
        );
        off += RECORD_HEADER_BYTES + capLen;
        if (this.#halted) break;
      }
    } finally {
      // Counted in locals and stored once per chunk: the loop stays free of field writes.
      this.packets += packets;
      this.bytes += bytes;
    }
    this.needed = needed;
    this.position += off - from;
    return off;
  }

  #readHeader(buf: Buffer, off: number): boolean {
    const be = u32be(buf, off);
    let le: boolean;
    if (be === 0xa1b2c3d4 || be === 0xa1b23c4d) le = false;
    else if (u32le(buf, off) === 0xa1b2c3d4 || u32le(buf, off) === 0xa1b23c4d) le = true;
    else return this.#bad('not a pcap capture (bad magic number)');
    this.littleEndian = le;
    this.nanosecond = u32(buf, off, le) === 0xa1b23c4d;
    this.#fracDivisor = this.nanosecond ? 1e9 : 1e6;
    const major = u16(buf, off + 4, le);
    const minor = u16(buf, off + 6, le);
    // Wireshark reads any 2.x; libpcap insists on 2.4. 1.x and older are other formats.
    if (major !== 2) return this.#bad(`unsupported pcap version ${major}.${minor}`);
    this.snaplen = u32(buf, off + 16, le);
    const ltField = u32(buf, off + 20, le);
    if ((ltField & 0x03ff0000) !== 0) {
      return this.#bad(
        `not a valid pcap header (reserved bits set in link-type field 0x${ltField.toString(16)})`,
      );
    }
    this.linkType = ltField & 0xffff;
    this.#maxCapLen = Math.min(Math.max(this.snaplen, MAX_SNAPLEN_DEFAULT), MAX_RECORD_BYTES);
    this.headerDone = true;
    return true;
  }

  #bad(problem: string): false {
    this.state = ParseState.BadHeader;
    this.problem = problem;
    return false;
  }
}

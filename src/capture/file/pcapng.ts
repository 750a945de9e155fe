/**
 * pcapng push parser (https://www.ietf.org/archive/id/draft-ietf-opsawg-pcapng-03.html).
 *
 * Every block (§3.1): type(4) total_length(4) body… total_length(4); lengths are multiples of 4.
 * Byte order is the writer's, announced per section by the SHB's byte-order magic 0x1A2B3C4D.
 *
 * ```
 * SHB 0x0A0D0D0A (§4.1): bom(4) major(2) minor(2) section_length(8) options
 * IDB 0x00000001 (§4.2): linktype(2) reserved(2) snaplen(4) options (if_tsresol=9, if_tsoffset=14)
 * EPB 0x00000006 (§4.3): if_id(4) ts_high(4) ts_low(4) caplen(4) origlen(4) data… options
 * SPB 0x00000003 (§4.4): origlen(4) data… (interface 0 of the section, no timestamp)
 * PB  0x00000002 (obsolete, appendix): if_id(2) drops(2) ts_high(4) ts_low(4) caplen(4) origlen(4) data…
 * ```
 *
 * Each SHB starts a new section: its interfaces replace the previous section's. Other blocks (NRB,
 * ISB, DSB, custom…) are skipped. Timestamps are units of 10^-r or 2^-r seconds (if_tsresol, default
 * 10^-6) since the epoch plus if_tsoffset seconds, returned as float epoch seconds.
 * @module
 */
import type { FrameHandler } from '../types.js';
import { MAX_RECORD_BYTES, ParseState, type RecordParser, u16, u32, u32be } from './parser.js';

const BT_SHB = 0x0a0d0d0a;
const BT_IDB = 0x00000001;
const BT_PB = 0x00000002;
const BT_SPB = 0x00000003;
const BT_EPB = 0x00000006;
const BOM = 0x1a2b3c4d;
const OPT_ENDOFOPT = 0;
const OPT_IF_TSRESOL = 9;
const OPT_IF_TSOFFSET = 14;
const MIN_BLOCK = 12;
const MIN_SHB = 28;
const MIN_IDB = 20;
const MIN_EPB = 32;
const MIN_SPB = 16;
const MIN_PB = 32;
const TWO_32 = 4294967296;

/** True when the buffer starts with an SHB block type (the magic of a pcapng file). */
export function isPcapngMagic(b: Buffer): boolean {
  return b.length >= 4 && u32be(b, 0) === BT_SHB;
}

export class PcapngParser implements RecordParser {
  readonly format = 'pcapng' as const;
  linkType = -1;
  headerDone = false;
  state: ParseState = ParseState.Ok;
  problem = '';
  needed = MIN_BLOCK;
  packets = 0;
  bytes = 0;
  position = 0;
  /** Sections seen so far. */
  sections = 0;
  #le = true;
  #halted = false;
  #lastTs = 0;
  // Interfaces of the current section, by interface id.
  #ifLinkType: number[] = [];
  #ifSnaplen: number[] = [];
  #ifUnitsPerSec: number[] = [];
  #ifOffsetS: number[] = [];

  halt(): void {
    this.#halted = true;
  }

  parse(buf: Buffer, start: number, end: number, handler: FrameHandler): number {
    this.#halted = false;
    if (this.state !== ParseState.Ok) return start;
    let off = start;
    let needed = MIN_BLOCK;
    while (end - off >= MIN_BLOCK) {
      let le = this.#le;
      const type = u32(buf, off, le);
      if (type === BT_SHB) {
        const bom = u32(buf, off + 8, true);
        if (bom === BOM) le = true;
        else if (u32(buf, off + 8, false) === BOM) le = false;
        else {
          this.#fail(off, start, 'section header with a bad byte-order magic');
          break;
        }
      } else if (!this.headerDone) {
        this.#fail(off, start, 'not a pcapng capture (no section header block)');
        break;
      }
      const len = u32(buf, off + 4, le);
      if (len < MIN_BLOCK || (len & 3) !== 0 || len > MAX_RECORD_BYTES) {
        this.#fail(off, start, `block length ${len} is invalid`);
        break;
      }
      if (end - off < len) {
        needed = len;
        break;
      }
      if (u32(buf, off + len - 4, le) !== len) {
        this.#fail(off, start, `block length ${len} does not match its trailing copy`);
        break;
      }
      if (type === BT_EPB || type === BT_PB) {
        if (len < (type === BT_EPB ? MIN_EPB : MIN_PB)) {
          this.#fail(off, start, `packet block length ${len} is too small`);
          break;
        }
        const ifId = type === BT_EPB ? u32(buf, off + 8, le) : u16(buf, off + 8, le);
        if (ifId >= this.#ifLinkType.length) {
          this.#fail(off, start, `packet for interface ${ifId} that was not described`);
          break;
        }
        const capLen = u32(buf, off + 20, le);
        if (capLen > len - MIN_EPB) {
          this.#fail(off, start, `captured length ${capLen} exceeds its block`);
          break;
        }
        const wireLen = u32(buf, off + 24, le);
        const units = u32(buf, off + 12, le) * TWO_32 + u32(buf, off + 16, le);
        const ts = units / this.#ifUnitsPerSec[ifId] + this.#ifOffsetS[ifId];
        this.#lastTs = ts;
        this.packets++;
        this.bytes += capLen;
        handler(
          buf,
          off + 28,
          capLen,
          wireLen < capLen ? capLen : wireLen,
          ts,
          this.#ifLinkType[ifId],
        );
      } else if (type === BT_SPB) {
        if (len < MIN_SPB || this.#ifLinkType.length === 0) {
          this.#fail(off, start, 'simple packet block without an interface or too small');
          break;
        }
        const wireLen = u32(buf, off + 8, le);
        const snap = this.#ifSnaplen[0];
        let capLen = len - MIN_SPB;
        if (wireLen < capLen) capLen = wireLen;
        if (snap > 0 && snap < capLen) capLen = snap;
        this.packets++;
        this.bytes += capLen;
        // SPBs carry no timestamp: they get the time of the file's previous packet (0 if none).
        handler(buf, off + 12, capLen, wireLen, this.#lastTs, this.#ifLinkType[0]);
      } else if (type === BT_IDB) {
        if (len < MIN_IDB) {
          this.#fail(off, start, `interface block length ${len} is too small`);
          break;
        }
        this.#readIdb(buf, off, len, le);
      } else if (type === BT_SHB) {
        if (!this.#readShb(buf, off, len, le, start)) break;
      }
      // Any other block type is skipped.
      off += len;
      if (this.#halted) break;
    }
    this.needed = needed;
    this.position += off - start;
    return off;
  }

  #readShb(buf: Buffer, off: number, len: number, le: boolean, start: number): boolean {
    if (len < MIN_SHB) {
      this.#fail(off, start, `section header length ${len} is too small`);
      return false;
    }
    const major = u16(buf, off + 12, le);
    const minor = u16(buf, off + 14, le);
    // Wireshark and libpcap accept 1.0 and 1.2 (written by some old tools).
    if (major !== 1 || (minor !== 0 && minor !== 2)) {
      this.#fail(off, start, `unsupported pcapng version ${major}.${minor}`);
      return false;
    }
    this.#le = le;
    this.#ifLinkType.length = 0;
    this.#ifSnaplen.length = 0;
    this.#ifUnitsPerSec.length = 0;
    this.#ifOffsetS.length = 0;
    this.sections++;
    this.headerDone = true;
    return true;
  }

  #readIdb(buf: Buffer, off: number, len: number, le: boolean): void {
    const lt = u16(buf, off + 8, le);
    let unitsPerSec = 1e6;
    let offsetS = 0;
    const optEnd = off + len - 4;
    let o = off + 16;
    while (o + 4 <= optEnd) {
      const code = u16(buf, o, le);
      const olen = u16(buf, o + 2, le);
      if (code === OPT_ENDOFOPT || o + 4 + olen > optEnd) break;
      if (code === OPT_IF_TSRESOL && olen === 1) {
        // MSB clear: 10^-v seconds; MSB set: 2^-(v & 0x7f) seconds.
        const v = buf[o + 4];
        unitsPerSec = v & 0x80 ? 2 ** (v & 0x7f) : 10 ** v;
      } else if (code === OPT_IF_TSOFFSET && olen === 8) {
        // Signed 64-bit seconds.
        const hi = u32(buf, o + 4 + (le ? 4 : 0), le) | 0;
        const lo = u32(buf, o + 4 + (le ? 0 : 4), le);
        offsetS = hi * TWO_32 + lo;
      }
      // Other options and malformed lengths of known ones are ignored.
      o += 4 + ((olen + 3) & ~3);
    }
    if (this.linkType === -1) this.linkType = lt;
    this.#ifLinkType.push(lt);
    this.#ifSnaplen.push(u32(buf, off + 12, le));
    this.#ifUnitsPerSec.push(unitsPerSec);
    this.#ifOffsetS.push(offsetS);
  }

  /** Damage (or, before the first section header is accepted, a bad header). */
  #fail(off: number, start: number, what: string): void {
    this.state = this.headerDone ? ParseState.Damaged : ParseState.BadHeader;
    this.problem = this.headerDone
      ? `block at byte ${this.position + off - start}: ${what}`
      : what.startsWith('not a')
        ? what
        : `bad pcapng section header: ${what}`;
  }
}

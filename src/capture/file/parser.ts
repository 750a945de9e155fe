/**
 * What the capture-file parsers share: a push parser walks records in place inside a chunk the
 * reader owns and tells the reader how much it consumed and how many bytes it needs next.
 * @module
 */
import type { FrameHandler } from '../types.js';

/** Parser state after a `parse()` call. */
export const ParseState = {
  /** Reading on. */
  Ok: 0,
  /** The record structure is damaged part-way (`problem` says where): stop reading this file. */
  Damaged: 1,
  /** The file header is not a valid capture header (`problem` says why): not a capture at all. */
  BadHeader: 2,
} as const;
export type ParseState = (typeof ParseState)[keyof typeof ParseState];

/** Records longer than this are treated as damage, whatever the header claims (bounds memory). */
export const MAX_RECORD_BYTES = 16 * 1024 * 1024;

/** A classic pcap record may be at most max(snaplen, this) bytes (libpcap's and Wireshark's limit). */
export const MAX_SNAPLEN_DEFAULT = 262_144;

/**
 * A push parser for one capture file. Feed it the file's bytes in order: `parse()` calls the
 * handler for every complete record in `buf[start, end)` and returns the offset of the first byte
 * it did not consume (a record cut by the chunk end). The caller keeps those bytes and calls again
 * with them at the front of the next chunk, holding at least `needed` bytes when it can.
 */
export interface RecordParser {
  readonly format: 'pcap' | 'pcapng';
  /** The header's link type (pcap) or the first interface's (pcapng); -1 until known. */
  readonly linkType: number;
  /** True once the file header has been read and accepted. */
  readonly headerDone: boolean;
  readonly state: ParseState;
  /** Why the state is not Ok (one line, no file name). */
  readonly problem: string;
  /** Bytes needed at the returned offset before the parser can make progress. */
  readonly needed: number;
  /** Records handed to the handler so far. */
  readonly packets: number;
  /** Sum of their captured lengths. */
  readonly bytes: number;
  /** Absolute file offset (of the uncompressed stream) of the next unconsumed byte. */
  readonly position: number;
  parse(buf: Buffer, start: number, end: number, handler: FrameHandler): number;
  /** Makes the running `parse()` return after the current record (callable from the handler). */
  halt(): void;
}

/** Little-endian unsigned 32-bit read without bounds checks (callers check bounds per record). */
export function u32le(b: Buffer, o: number): number {
  return (b[o] | (b[o + 1] << 8) | (b[o + 2] << 16)) + b[o + 3] * 0x1000000;
}

/** Big-endian unsigned 32-bit read. */
export function u32be(b: Buffer, o: number): number {
  return b[o] * 0x1000000 + ((b[o + 1] << 16) | (b[o + 2] << 8) | b[o + 3]);
}

export function u32(b: Buffer, o: number, le: boolean): number {
  return le ? u32le(b, o) : u32be(b, o);
}

export function u16(b: Buffer, o: number, le: boolean): number {
  return le ? b[o] | (b[o + 1] << 8) : (b[o] << 8) | b[o + 1];
}

/** The first bytes of a buffer as "aa bb cc dd", for messages. */
export function hexStart(b: Buffer, n: number): string {
  const parts: string[] = [];
  for (let i = 0; i < n && i < b.length; i++) parts.push(b[i].toString(16).padStart(2, '0'));
  return parts.join(' ');
}

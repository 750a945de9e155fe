/**
 * Programs fetched outside HTTP: the first payload another host sends a device on a flow, when
 * it starts as a program, or as TFTP's first data block of one (RFC 1350: opcode 3, block 1,
 * then the program). That is how IoT botnet loaders fetch their binaries when a device has no
 * wget: TFTP, FTP's data connection (passive or active: any flow's first bytes are read, so the
 * control channel's PASV/PORT need not be followed), a bare TCP stream.
 *
 * A signature counts only when chance cannot produce it at the start of an encrypted or
 * proprietary stream (random first bytes: a two-byte `MZ` or `#!` would match once in 65,536
 * flows, so neither counts alone):
 * - ELF: the four-byte magic `\x7fELF` (1 in 2^32).
 * - PE: `MZ`, then an `e_lfanew` (offset 0x3c) pointing inside the captured bytes at the
 *   `PE\0\0` signature (Microsoft PE/COFF specification §3): 2 + 4 bytes that must agree, and
 *   an offset in a few hundred of 2^32 values.
 * - Script: `#!` and an absolute interpreter path whose name is a shell or script interpreter
 *   (`#!/bin/sh`, `#!/bin/bash`, `#!/usr/bin/env python3`, …), ended by a blank or a line end.
 * @module
 */
import { isElf } from '../decode/app/body.js';
import type { DecodedPacket } from '../decode/packet.js';

const UDP = 17;
/** Smallest DOS header with its e_lfanew field (offset 0x3c, 4 bytes). */
const DOS_HEADER = 0x40;
/** Longest interpreter path read after `#!`. */
const SHEBANG_MAX = 64;
const INTERPRETERS = new Set([
  'sh',
  'ash',
  'bash',
  'dash',
  'ksh',
  'zsh',
  'busybox',
  'env',
  'perl',
  'python',
  'python2',
  'python3',
  'lua',
  'php',
]);

export type RawMagic = 'elf' | 'pe' | 'script';

export interface RawProgram {
  via: 'tftp' | 'stream';
  magic: RawMagic;
}

/** How the payload of `p` carries a program's first bytes, or null. Allocates only on a match. */
export function rawProgram(buf: Uint8Array, p: DecodedPacket): RawProgram | null {
  const off = p.payloadOffset;
  const len = Math.min(p.payloadCapLen, buf.length - off);
  if (len < 4 || off < 0) return null;
  const magic = programAt(buf, off, len);
  if (magic !== null) return { via: 'stream', magic };
  const tftpData = buf[off] === 0 && buf[off + 1] === 3 && buf[off + 2] === 0 && buf[off + 3] === 1;
  if (p.ipProto !== UDP || len < 8 || !tftpData) return null;
  const inner = programAt(buf, off + 4, len - 4);
  return inner === null ? null : { via: 'tftp', magic: inner };
}

/** The program whose first bytes are the `len` bytes at `off` (len ≥ 4), or null. */
export function programAt(buf: Uint8Array, off: number, len: number): RawMagic | null {
  const b0 = buf[off];
  if (b0 === 0x7f) return isElf(buf, off) ? 'elf' : null;
  if (b0 === 0x4d) return buf[off + 1] === 0x5a && isPe(buf, off, len) ? 'pe' : null;
  if (b0 === 0x23)
    return buf[off + 1] === 0x21 && isShebang(buf, off + 2, len - 2) ? 'script' : null;
  return null;
}

/** After `MZ`: e_lfanew points inside the captured bytes at `PE\0\0`. */
function isPe(buf: Uint8Array, off: number, len: number): boolean {
  if (len < DOS_HEADER) return false;
  const lfanew =
    buf[off + 0x3c] | (buf[off + 0x3d] << 8) | (buf[off + 0x3e] << 16) | (buf[off + 0x3f] << 24);
  if (lfanew < DOS_HEADER || lfanew > len - 4) return false;
  const at = off + lfanew;
  return buf[at] === 0x50 && buf[at + 1] === 0x45 && buf[at + 2] === 0 && buf[at + 3] === 0;
}

/** After `#!`: optional blanks, an absolute path of printable bytes naming an interpreter. */
function isShebang(buf: Uint8Array, off: number, len: number): boolean {
  let i = off;
  const end = off + Math.min(len, SHEBANG_MAX);
  while (i < end && buf[i] === 0x20) i++;
  if (i >= end || buf[i] !== 0x2f) return false;
  let name = i;
  for (; i < end; i++) {
    const b = buf[i];
    if (b === 0x20 || b === 0x0a || b === 0x0d || b === 0x09) break;
    if (b < 0x21 || b > 0x7e) return false;
    if (b === 0x2f) name = i + 1;
  }
  if (i >= end) return false;
  return INTERPRETERS.has(String.fromCharCode(...buf.subarray(name, i)));
}

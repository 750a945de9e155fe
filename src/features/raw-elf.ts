/**
 * Programs fetched outside HTTP: the first payload another host sends a device on a flow, when
 * it starts as an ELF executable (`\x7fELF`), or as TFTP's first data block of one (RFC 1350:
 * opcode 3, block 1, then `\x7fELF`). That is how IoT botnet loaders fetch their binaries when a
 * device has no wget: TFTP, FTP's data connection, a bare TCP stream.
 *
 * Only ELF counts here. Its four-byte magic is not found by chance at the start of an encrypted
 * or proprietary stream, where a two-byte `MZ` or `#!` would be, once in 65,536 flows.
 * @module
 */
import { ipv4ToString, ipv6ToString } from '../decode/addr.js';
import { type DecodedPacket, L3 } from '../decode/packet.js';
import type { DeviceActivity } from './accumulator.js';
import type { DownloadEvidence } from './evidence.js';

const UDP = 17;

function isElf(buf: Uint8Array, off: number): boolean {
  return (
    buf[off] === 0x7f && buf[off + 1] === 0x45 && buf[off + 2] === 0x4c && buf[off + 3] === 0x46
  );
}

/** How the payload at `p` carries an ELF's first bytes, or null. */
export function rawElf(buf: Uint8Array, p: DecodedPacket): 'tftp' | 'stream' | null {
  const off = p.payloadOffset;
  const len = p.payloadCapLen;
  if (len < 4 || off + len > buf.length) return null;
  if (isElf(buf, off)) return 'stream';
  const tftpData = buf[off] === 0 && buf[off + 1] === 3 && buf[off + 2] === 0 && buf[off + 3] === 1;
  return p.ipProto === UDP && len >= 8 && tftpData && isElf(buf, off + 4) ? 'tftp' : null;
}

/** The evidence of an ELF sent to device activity `a` by the sender of `p`. */
export function rawElfDownload(
  a: DeviceActivity,
  p: DecodedPacket,
  via: 'tftp' | 'stream',
  now: number,
): DownloadEvidence {
  const v6 = p.l3 === L3.IPv6;
  const ip = v6 ? ipv6ToString(p.src6) : ipv4ToString(p.src4);
  const name = a.dnsAnswers.get(v6 ? ip : p.src4 | 0) ?? '';
  return {
    ts: now,
    ip,
    port: p.sport,
    host: name,
    bareIp: name === '',
    uri: '',
    status: 0,
    contentType: '',
    magic: 'elf',
    reason: 'magic',
    via,
  };
}

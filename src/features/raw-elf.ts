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
import { isElf } from '../decode/app/body.js';
import type { DecodedPacket } from '../decode/packet.js';

const UDP = 17;

/** How the payload of `p` carries an ELF's first bytes, or null. */
export function rawElf(buf: Uint8Array, p: DecodedPacket): 'tftp' | 'stream' | null {
  const off = p.payloadOffset;
  const len = p.payloadCapLen;
  if (len < 4 || off + len > buf.length) return null;
  if (isElf(buf, off)) return 'stream';
  const tftpData = buf[off] === 0 && buf[off + 1] === 3 && buf[off + 2] === 0 && buf[off + 3] === 1;
  return p.ipProto === UDP && len >= 8 && tftpData && isElf(buf, off + 4) ? 'tftp' : null;
}

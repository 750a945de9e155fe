/**
 * EtherType → network decoder, after walking any 802.1Q / 802.1ad tags. Shared by every link
 * layer that carries an EtherType (Ethernet II, Linux SLL and SLL2).
 * @module
 */
import { arp } from '../net/arp.js';
import { ipv4 } from '../net/ipv4.js';
import { ipv6 } from '../net/ipv6.js';
import { malformed, unsupported, type LayerDecoder } from '../layer.js';
import type { DecodedPacket } from '../packet.js';

/** EtherType (IEEE registry) → decoder. A new network protocol is one row here. */
export const ETHERTYPE_DECODERS: ReadonlyMap<number, LayerDecoder> = new Map<number, LayerDecoder>([
  [0x0800, ipv4],
  [0x86dd, ipv6],
  [0x0806, arp],
]);

/** The same table as a dense index (EtherType → slot in `DECODERS`), for the hot path. */
const INDEX = new Uint8Array(65536);
const DECODERS: LayerDecoder[] = [];
for (const [type, decode] of ETHERTYPE_DECODERS) {
  DECODERS.push(decode);
  INDEX[type] = DECODERS.length;
}

/** VLAN tag protocol identifiers: 802.1Q C-tag, 802.1ad S-tag, pre-standard QinQ. */
const TPID_8021Q = 0x8100;
const TPID_8021AD = 0x88a8;
const TPID_QINQ_OLD = 0x9100;

/** Tags walked before giving up (QinQ is 2; anything deeper is hostile or broken). */
export const MAX_VLAN_DEPTH = 4;

/**
 * Dispatches on `type`, the EtherType found at `off - 2`. Values up to 1500 are 802.3 lengths
 * (LLC frames) and 1501–1535 are undefined: both are Unsupported, not malformed.
 */
export function decodeEtherType(
  type: number,
  buf: Buffer,
  off: number,
  end: number,
  out: DecodedPacket,
): void {
  // IEEE 802.1Q §9.6: TCI (PCP 3 bits, DEI 1 bit, VID 12 bits) then the inner EtherType.
  while (type === TPID_8021Q || type === TPID_8021AD || type === TPID_QINQ_OLD) {
    if (out.vlanDepth >= MAX_VLAN_DEPTH) return malformed(out, 'vlan-too-deep');
    if (off + 4 > end) return malformed(out, 'vlan-tag-cut');
    if (out.vlanDepth === 0) out.vlan = ((buf[off] << 8) | buf[off + 1]) & 0x0fff;
    out.vlanDepth++;
    type = (buf[off + 2] << 8) | buf[off + 3];
    off += 4;
  }
  out.etherType = type;
  if (type === 0x0800) return ipv4(buf, off, end, out); // the common row, called directly (inlined)
  const slot = INDEX[type];
  if (slot === 0) return unsupported(out); // includes 802.3 lengths (< 0x0600)
  DECODERS[slot - 1](buf, off, end, out);
}

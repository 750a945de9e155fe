/**
 * IP protocol number (IANA "Assigned Internet Protocol Numbers") → transport decoder. An
 * unknown protocol is not an error: the packet still counts as IP traffic.
 * @module
 */
import type { TransportDecoder } from '../layer.js';
import type { DecodedPacket } from '../packet.js';
import { icmp } from './icmp.js';
import { icmpv6 } from './icmpv6.js';
import { tcp } from './tcp.js';
import { udp } from './udp.js';

export const IP_PROTO_DECODERS: ReadonlyArray<TransportDecoder | null> = (() => {
  const table = Array.from({ length: 256 }, (): TransportDecoder | null => null);
  table[1] = icmp;
  table[6] = tcp;
  table[17] = udp;
  table[58] = icmpv6;
  return table;
})();

export function decodeTransport(
  proto: number,
  buf: Buffer,
  off: number,
  end: number,
  len: number,
  out: DecodedPacket,
): void {
  // TCP and UDP are nearly all traffic: calling their table rows directly lets V8 inline them
  // (about 8 ns a packet); every other protocol goes through the table.
  if (proto === 6) return tcp(buf, off, end, len, out);
  if (proto === 17) return udp(buf, off, end, len, out);
  const decode = IP_PROTO_DECODERS[proto];
  if (decode !== null) decode(buf, off, end, len, out);
}

/**
 * DHCP (RFC 2131 §2) on UDP 67/68, with the options of RFC 2132 a detector needs.
 *
 * ```
 * 0 op | 1 htype | 2 hlen | 3 hops | 4 xid (4) | 8 secs (2) | 10 flags (2) | 12 ciaddr | 16 yiaddr
 * 20 siaddr | 24 giaddr | 28 chaddr (16) | 44 sname (64) | 108 file (128) | 236 magic cookie | 240 options
 * ```
 * Option overload (option 52) is not followed.
 * @module
 */
import { ipv4ToString, readMac } from '../addr.js';
import { printable } from './text.js';
import type { DhcpInfo } from './types.js';

const FIXED = 236;
const OPTIONS = 240;
/** RFC 2131 §3: 99.130.83.99. */
const MAGIC = 0x63825363;
/** Options read before giving up (a full 1500-byte packet holds at most ~630). */
const MAX_OPTIONS = 128;
/** Addresses kept from list options (routers, DNS servers). */
const MAX_ADDRESSES = 8;
const MAX_TEXT = 64;

const OPT_PAD = 0;
const OPT_ROUTERS = 3;
const OPT_DNS = 6;
const OPT_HOSTNAME = 12;
const OPT_REQUESTED_IP = 50;
const OPT_MESSAGE_TYPE = 53;
const OPT_SERVER_ID = 54;
const OPT_PARAM_LIST = 55;
const OPT_VENDOR_CLASS = 60;
const OPT_END = 255;

function ip(buf: Uint8Array, at: number): number {
  return ((buf[at] << 24) | (buf[at + 1] << 16) | (buf[at + 2] << 8) | buf[at + 3]) >>> 0;
}

function ipText(value: number): string {
  return value === 0 ? '' : ipv4ToString(value);
}

function addresses(buf: Uint8Array, at: number, len: number): string[] {
  const list: string[] = [];
  for (let i = 0; i + 4 <= len && list.length < MAX_ADDRESSES; i += 4)
    list.push(ipv4ToString(ip(buf, at + i)));
  return list;
}

/** Option 55 as its codes in order, comma separated ('1,3,6,15'): a client's fingerprint. */
function paramList(buf: Uint8Array, at: number, len: number): string {
  let text = String(buf[at]);
  for (let i = 1; i < len; i++) text += `,${buf[at + i]}`;
  return text;
}

export function peekDhcp(buf: Buffer, off: number, len: number): DhcpInfo | null {
  if (len < FIXED) return null;
  const op = buf[off];
  if (op !== 1 && op !== 2) return null;
  const info: DhcpInfo = {
    kind: 'dhcp',
    op,
    messageType: 0,
    clientMac: buf[off + 1] === 1 && buf[off + 2] === 6 ? readMac(buf, off + 28) : 0,
    clientIp: ipText(ip(buf, off + 12)),
    yourIp: ipText(ip(buf, off + 16)),
  };
  if (len < OPTIONS || ip(buf, off + FIXED) !== MAGIC) return info;
  const end = off + len;
  let pos = off + OPTIONS;
  for (let n = 0; n < MAX_OPTIONS && pos < end; n++) {
    const code = buf[pos];
    if (code === OPT_END) break;
    if (code === OPT_PAD) {
      pos++;
      continue;
    }
    if (pos + 2 > end) break;
    const optLen = buf[pos + 1];
    const data = pos + 2;
    if (data + optLen > end) break;
    pos = data + optLen;
    switch (code) {
      case OPT_MESSAGE_TYPE:
        if (optLen >= 1) info.messageType = buf[data];
        break;
      case OPT_HOSTNAME:
        info.hostname = printable(buf, data, data + optLen, MAX_TEXT);
        break;
      case OPT_VENDOR_CLASS:
        info.vendorClass = printable(buf, data, data + optLen, MAX_TEXT);
        break;
      case OPT_REQUESTED_IP:
        if (optLen === 4) info.requestedIp = ipv4ToString(ip(buf, data));
        break;
      case OPT_PARAM_LIST:
        if (optLen > 0) info.paramList = paramList(buf, data, optLen);
        break;
      case OPT_SERVER_ID:
        if (optLen === 4) info.serverId = ipv4ToString(ip(buf, data));
        break;
      case OPT_ROUTERS:
        info.routers = addresses(buf, data, optLen);
        break;
      case OPT_DNS:
        info.dnsServers = addresses(buf, data, optLen);
        break;
      default:
        break;
    }
  }
  return info;
}

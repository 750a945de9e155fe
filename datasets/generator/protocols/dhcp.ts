/**
 * DHCP messages (RFC 2131 §2, options RFC 2132).
 * @module
 */

export const DHCP_DISCOVER = 1;
export const DHCP_OFFER = 2;
export const DHCP_REQUEST = 3;
export const DHCP_ACK = 5;

export interface DhcpMessage {
  /** DHCP message type (option 53). */
  type: number;
  xid: number;
  mac: number;
  ciaddr: number;
  yiaddr: number;
  /** Client options: host name (12), vendor class (60), requested address (50). */
  hostname: string | null;
  vendorClass: string | null;
  requestedIp: number;
  /** Server options: server id (54), lease (51), mask (1), router (3), DNS (6). */
  serverId: number;
  leaseS: number;
  mask: number;
}

const MAGIC_COOKIE = 0x63825363;
const BOOTP_LEN = 236;
/** Parameter request list (option 55) of a typical embedded client. */
const PARAM_REQUEST = [1, 3, 6, 12, 15, 28, 42, 51, 54, 58, 59];

function opt32(buf: Buffer, p: number, code: number, v: number): number {
  buf[p] = code;
  buf[p + 1] = 4;
  buf.writeUInt32BE(v >>> 0, p + 2);
  return p + 6;
}

function optText(buf: Buffer, p: number, code: number, s: string): number {
  buf[p] = code;
  const n = buf.write(s, p + 2, 'latin1');
  buf[p + 1] = n;
  return p + 2 + n;
}

/** Write a BOOTP/DHCP message; padded to 300 bytes as most clients do. */
export function writeDhcp(buf: Buffer, off: number, m: DhcpMessage): number {
  const reply = m.type === DHCP_OFFER || m.type === DHCP_ACK;
  buf.fill(0, off, off + BOOTP_LEN);
  buf[off] = reply ? 2 : 1; // op: BOOTREPLY / BOOTREQUEST
  buf[off + 1] = 1; // htype Ethernet
  buf[off + 2] = 6; // hlen
  buf.writeUInt32BE(m.xid >>> 0, off + 4);
  buf.writeUInt32BE(m.ciaddr >>> 0, off + 12);
  buf.writeUInt32BE(m.yiaddr >>> 0, off + 16);
  if (reply) buf.writeUInt32BE(m.serverId >>> 0, off + 20); // siaddr
  buf.writeUIntBE(m.mac, off + 28, 6); // chaddr
  let p = off + BOOTP_LEN;
  buf.writeUInt32BE(MAGIC_COOKIE, p);
  p += 4;
  buf[p] = 53;
  buf[p + 1] = 1;
  buf[p + 2] = m.type;
  p += 3;
  if (reply) {
    p = opt32(buf, p, 54, m.serverId);
    p = opt32(buf, p, 51, m.leaseS);
    p = opt32(buf, p, 58, Math.floor(m.leaseS / 2)); // T1
    p = opt32(buf, p, 59, Math.floor((m.leaseS * 7) / 8)); // T2
    p = opt32(buf, p, 1, m.mask);
    p = opt32(buf, p, 3, m.serverId);
    p = opt32(buf, p, 6, m.serverId);
    p = optText(buf, p, 15, 'home');
  } else {
    // Client identifier (61): hardware type 1 + MAC.
    buf[p] = 61;
    buf[p + 1] = 7;
    buf[p + 2] = 1;
    buf.writeUIntBE(m.mac, p + 3, 6);
    p += 9;
    if (m.requestedIp !== 0) p = opt32(buf, p, 50, m.requestedIp);
    if (m.type === DHCP_REQUEST && m.serverId !== 0 && m.ciaddr === 0) {
      p = opt32(buf, p, 54, m.serverId);
    }
    buf[p] = 57; // maximum message size
    buf[p + 1] = 2;
    buf.writeUInt16BE(1500, p + 2);
    p += 4;
    if (m.hostname !== null) p = optText(buf, p, 12, m.hostname);
    if (m.vendorClass !== null) p = optText(buf, p, 60, m.vendorClass);
    buf[p] = 55;
    buf[p + 1] = PARAM_REQUEST.length;
    for (let i = 0; i < PARAM_REQUEST.length; i++) buf[p + 2 + i] = PARAM_REQUEST[i];
    p += 2 + PARAM_REQUEST.length;
  }
  buf[p++] = 255; // end
  const len = Math.max(300, p - off);
  buf.fill(0, p, off + len);
  return len;
}

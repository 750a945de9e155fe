/**
 * NAT-PMP (RFC 6886 §3) and PCP (RFC 6887 §7, §11) messages: a device asking the router
 * to forward an external port to it, on UDP 5351, and the router's answers.
 * @module
 */

export const NATPMP_PORT = 5351;
export const PROTO_UDP = 17;
export const PROTO_TCP = 6;

/** NAT-PMP external address request (opcode 0), RFC 6886 §3.2. */
export function natpmpAddressRequest(): Buffer {
  return Buffer.from([0, 0]);
}

/** The router's answer: opcode 128, result 0, seconds since its epoch, external address. */
export function natpmpAddressResponse(epochS: number, externalIp: number): Buffer {
  const b = Buffer.alloc(12);
  b[1] = 128;
  b.writeUInt32BE(epochS >>> 0, 4);
  b.writeUInt32BE(externalIp >>> 0, 8);
  return b;
}

/** Map request (opcode 1 UDP, 2 TCP), RFC 6886 §3.3. */
export function natpmpMapRequest(
  proto: number,
  internalPort: number,
  externalPort: number,
  lifetimeS: number,
): Buffer {
  const b = Buffer.alloc(12);
  b[1] = proto === PROTO_UDP ? 1 : 2;
  b.writeUInt16BE(internalPort, 4);
  b.writeUInt16BE(externalPort, 6);
  b.writeUInt32BE(lifetimeS >>> 0, 8);
  return b;
}

/** Map response: opcode 128 + request's, result 0 (success), the mapped port and lifetime. */
export function natpmpMapResponse(
  proto: number,
  epochS: number,
  internalPort: number,
  externalPort: number,
  lifetimeS: number,
): Buffer {
  const b = Buffer.alloc(16);
  b[1] = 128 + (proto === PROTO_UDP ? 1 : 2);
  b.writeUInt32BE(epochS >>> 0, 4);
  b.writeUInt16BE(internalPort, 8);
  b.writeUInt16BE(externalPort, 10);
  b.writeUInt32BE(lifetimeS >>> 0, 12);
  return b;
}

/** An IPv4 address as an IPv4-mapped IPv6 address (::ffff:a.b.c.d), RFC 6887 §5. */
function writeMapped(b: Buffer, off: number, ip4: number): void {
  b.fill(0, off, off + 10);
  b[off + 10] = 0xff;
  b[off + 11] = 0xff;
  b.writeUInt32BE(ip4 >>> 0, off + 12);
}

/** PCP MAP request (version 2, opcode 1): 24-byte header + 36-byte MAP body. */
export function pcpMapRequest(
  clientIp: number,
  nonce: Buffer,
  proto: number,
  internalPort: number,
  externalPort: number,
  lifetimeS: number,
): Buffer {
  const b = Buffer.alloc(60);
  b[0] = 2;
  b[1] = 1; // R = 0 (request), opcode MAP
  b.writeUInt32BE(lifetimeS >>> 0, 4);
  writeMapped(b, 8, clientIp);
  nonce.copy(b, 24, 0, 12);
  b[36] = proto;
  b.writeUInt16BE(internalPort, 40);
  b.writeUInt16BE(externalPort, 42);
  writeMapped(b, 44, 0); // no external address suggested (::ffff:0.0.0.0)
  return b;
}

/** The router's MAP response (R = 1, result 0) with the assigned port and address. */
export function pcpMapResponse(
  nonce: Buffer,
  proto: number,
  epochS: number,
  internalPort: number,
  externalPort: number,
  externalIp: number,
  lifetimeS: number,
): Buffer {
  const b = Buffer.alloc(60);
  b[0] = 2;
  b[1] = 0x81; // R = 1 (response), opcode MAP
  b.writeUInt32BE(lifetimeS >>> 0, 4);
  b.writeUInt32BE(epochS >>> 0, 8);
  nonce.copy(b, 24, 0, 12);
  b[36] = proto;
  b.writeUInt16BE(internalPort, 40);
  b.writeUInt16BE(externalPort, 42);
  writeMapped(b, 44, externalIp);
  return b;
}

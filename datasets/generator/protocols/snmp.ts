/**
 * SNMPv2c GetRequest and Response (RFC 3416 §3, BER per X.690) for the printer status a
 * computer polls: sysDescr, hrDeviceStatus, hrPrinterStatus, prtMarkerSuppliesLevel.
 * @module
 */

export const SNMP_PORT = 161;

export const OID_SYS_DESCR = '1.3.6.1.2.1.1.1.0';
export const OID_HR_DEVICE_STATUS = '1.3.6.1.2.1.25.3.2.1.5.1';
export const OID_HR_PRINTER_STATUS = '1.3.6.1.2.1.25.3.5.1.1.1';
export const OID_MARKER_LEVEL = '1.3.6.1.2.1.43.11.1.1.9.1.1';

function tlv(tag: number, body: Buffer): Buffer {
  const n = body.length;
  const len = n < 128 ? [n] : n < 256 ? [0x81, n] : [0x82, n >> 8, n & 255];
  return Buffer.concat([Buffer.from([tag, ...len]), body]);
}

function int(v: number): Buffer {
  const bytes: number[] = [];
  let x = v;
  do {
    bytes.unshift(x & 0xff);
    x = Math.floor(x / 256);
  } while (x > 0);
  if (bytes[0] & 0x80) bytes.unshift(0);
  return tlv(0x02, Buffer.from(bytes));
}

function oid(text: string): Buffer {
  const parts = text.split('.').map(Number);
  const out = [40 * parts[0] + parts[1]];
  for (const p of parts.slice(2)) {
    const b: number[] = [p & 0x7f];
    let x = p >> 7;
    while (x > 0) {
      b.unshift(0x80 | (x & 0x7f));
      x >>= 7;
    }
    out.push(...b);
  }
  return tlv(0x06, Buffer.from(out));
}

/** A variable binding's value: an integer, a string, or null (in a request). */
export type SnmpValue = number | string | null;

function value(v: SnmpValue): Buffer {
  if (v === null) return Buffer.from([0x05, 0x00]);
  if (typeof v === 'number') return int(v);
  return tlv(0x04, Buffer.from(v, 'latin1'));
}

function message(
  community: string,
  pduTag: number,
  requestId: number,
  binds: readonly (readonly [string, SnmpValue])[],
): Buffer {
  const vbs = Buffer.concat(binds.map(([o, v]) => tlv(0x30, Buffer.concat([oid(o), value(v)]))));
  const pdu = tlv(pduTag, Buffer.concat([int(requestId), int(0), int(0), tlv(0x30, vbs)]));
  return tlv(0x30, Buffer.concat([int(1), tlv(0x04, Buffer.from(community, 'latin1')), pdu]));
}

export function snmpGet(community: string, requestId: number, oids: readonly string[]): Buffer {
  return message(
    community,
    0xa0,
    requestId,
    oids.map((o) => [o, null] as const),
  );
}

export function snmpResponse(
  community: string,
  requestId: number,
  binds: readonly (readonly [string, SnmpValue])[],
): Buffer {
  return message(community, 0xa2, requestId, binds);
}

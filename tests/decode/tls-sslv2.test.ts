import { describe, expect, it } from 'vitest';
import { peekSslv2ClientHello } from '../../src/decode/app/tls-hello.js';

// The start of a real SSL 2.0-compatible ClientHello (IoT Sentinel, D-Link camera, frame 192).
const HELLO = Buffer.from('807d0103010054000000200000390000380000350000160000130000', 'hex');

describe('SSL 2.0-compatible ClientHello', () => {
  it('is recognised, with its version and no SNI', () => {
    expect(peekSslv2ClientHello(HELLO, 0, HELLO.length)).toEqual({
      kind: 'tls-client-hello',
      version: 0x0301,
    });
  });

  it('is not confused with other bytes that have the high bit set', () => {
    const other = Buffer.from(HELLO);
    other[2] = 2; // server hello
    expect(peekSslv2ClientHello(other, 0, other.length)).toBeNull();
    const badVersion = Buffer.from(HELLO);
    badVersion[3] = 7;
    expect(peekSslv2ClientHello(badVersion, 0, badVersion.length)).toBeNull();
    expect(peekSslv2ClientHello(HELLO, 0, 10)).toBeNull();
  });
});

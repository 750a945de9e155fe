import { describe, expect, it } from 'vitest';
import { peekTlsClientHello } from '../../src/decode/app/tls-hello.js';
import type { TlsClientHelloInfo } from '../../src/decode/app/types.js';
import {
  appsOf,
  bytes,
  dataset,
  decode,
  hasTshark,
  tcpFrame,
  tsharkFields,
  u16,
} from './helpers.js';

// ---- TLS ----------------------------------------------------------------------------------

function clientHello(extensions: Buffer, recordCut?: number): Buffer {
  const body = bytes(
    u16(0x0303),
    Buffer.alloc(32, 1),
    [0],
    u16(4),
    u16(0x1301),
    u16(0x1302),
    [1, 0],
    u16(extensions.length),
    extensions,
  );
  const hs = bytes([1, 0], u16(body.length), body);
  const rec = bytes([22, 3, 1], u16(hs.length), hs);
  return recordCut === undefined ? rec : rec.subarray(0, recordCut);
}

function ext(type: number, data: Buffer): Buffer {
  return bytes(u16(type), u16(data.length), data);
}

const SNI = ext(0, bytes(u16(3 + 15), [0], u16(15), 'API.Example.COM'));
const ALPN = ext(16, bytes(u16(12), [2], 'h2', [8], 'http/1.1'));

describe('TLS ClientHello peek', () => {
  it('reads version, SNI and ALPN', () => {
    const info = decode(
      tcpFrame(50000, 443, clientHello(bytes(ext(23, Buffer.alloc(0)), SNI, ALPN))),
    ).app;
    expect(info).toEqual({
      kind: 'tls-client-hello',
      version: 0x0303,
      sni: 'api.example.com',
      alpn: ['h2', 'http/1.1'],
    });
  });

  it('tolerates a hello cut by the segment: returns what was read', () => {
    const full = clientHello(bytes(SNI, ALPN));
    const cut = full.subarray(0, full.length - 5);
    expect(peekTlsClientHello(cut, 0, cut.length)).toEqual({
      kind: 'tls-client-hello',
      version: 0x0303,
      sni: 'api.example.com',
    });
    const early = full.subarray(0, 20);
    expect(peekTlsClientHello(early, 0, early.length)).toEqual({
      kind: 'tls-client-hello',
      version: 0x0303,
    });
    expect(peekTlsClientHello(full.subarray(0, 8), 0, 8)).toBeNull();
    const serverHello = Buffer.from(full);
    serverHello[5] = 2;
    expect(peekTlsClientHello(serverHello, 0, serverHello.length)).toBeNull();
  });

  it('ignores extensions whose lengths overrun the list', () => {
    const bad = bytes(u16(0), u16(200), bytes(u16(3 + 15), [0], u16(15), 'API.Example.COM'));
    const info = peekTlsClientHello(
      clientHello(bad),
      0,
      clientHello(bad).length,
    ) as TlsClientHelloInfo;
    expect(info.sni).toBeUndefined();
  });

  for (const file of [
    'ndpi-tests/pcap/alexa-app.pcapng',
    'ndpi-tests/pcap/malware.pcap',
    'iot-sentinel/captures_IoT-Sentinel/WeMoSwitch/Setup-A-1-STA.pcap',
  ]) {
    it.skipIf(!hasTshark())(`agrees with tshark: ${file}`, () => {
      const path = dataset(file);
      const rows = tsharkFields(
        path,
        [
          'tls.handshake.extensions_server_name',
          'tls.handshake.version',
          'tls.handshake.extensions_alpn_str',
        ],
        'tls.handshake.type == 1',
      );
      expect(rows.size).toBeGreaterThan(0);
      const ours = appsOf(path);
      for (const [no, [sni, version, alpn]] of rows) {
        const info = ours.get(no) as TlsClientHelloInfo | undefined;
        const at = `${file} frame ${no}`;
        expect(info?.kind, at).toBe('tls-client-hello');
        expect(info?.sni, at).toBe(sni === '' ? undefined : sni.toLowerCase());
        expect(info?.version, at).toBe(Number(version));
        if (alpn !== '') expect(info?.alpn?.[0], at).toBe(alpn);
      }
    });
  }
});

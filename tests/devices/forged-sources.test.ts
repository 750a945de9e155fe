/**
 * Forged IPv4 sources (devices/registry.ts, `forged`): a flood's spoofed source addresses are
 * the sending device's packets (by MAC), never its addresses, and never evidence that it is the
 * gateway (internet sources to a LAN device excepted: see the registry); a device that moves to a new address, or a range extender relaying its clients
 * under its MAC, still gets its addresses.
 */
import { describe, expect, it } from 'vitest';
import { ipv4ToString } from '../../src/decode/addr.js';
import { LanMatcher } from '../../src/devices/lan.js';
import { ADOPT_PACKETS, DeviceRegistry } from '../../src/devices/registry.js';
import { ipPacket, mac } from './packets.js';

const GW = 'c8:bf:4c:77:a0:3a';
const CAM = '78:df:72:24:69:4d';
const TOY = '00:22:ae:4a:e3:23';
const REMOTE = '112.34.112.167';

/** A home whose gateway is decided and whose camera (192.168.1.20) and toy (.30) are known. */
function home(): DeviceRegistry {
  const reg = new DeviceRegistry({ lan: new LanMatcher() });
  reg.observe(ipPacket({ srcMac: CAM, dstMac: GW, src: '192.168.1.20', dst: REMOTE }));
  reg.observe(ipPacket({ srcMac: TOY, dstMac: GW, src: '192.168.1.30', dst: REMOTE }));
  for (let i = 0; i < 20; i++)
    reg.observe(ipPacket({ srcMac: GW, dstMac: CAM, src: REMOTE, dst: '192.168.1.20' }));
  expect(reg.gatewayMac()).toBe(mac(GW));
  return reg;
}

/** xorshift32: forged addresses drawn as a flood draws them. */
function draw(seed: number): () => number {
  let x = seed;
  return () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return x >>> 0;
  };
}

describe('forged sources', () => {
  it('random internet sources: the camera’s packets, not its addresses, no evidence for the gateway', () => {
    const reg = home();
    const cam = reg.lookup(mac(CAM));
    const r = draw(7);
    for (let i = 0; i < 10_000; i++) {
      const src = ipv4ToString(r());
      reg.observe(ipPacket({ srcMac: CAM, dstMac: GW, src, dst: REMOTE }));
      // Every source but 0/8 (a DHCP client's "this network"); local ones are the next test's.
      if (!reg.srcLocal && !src.startsWith('0.')) {
        expect(reg.src).toBe(cam);
        expect(reg.forged).toBe(true);
      }
    }
    expect(reg.gatewayMac()).toBe(mac(GW));
    expect(cam?.isGateway).toBe(false);
    expect(cam?.ipList()).toEqual(['192.168.1.20']);
    // The gateway's forwarded packets are still the receiver's, and not forged.
    reg.observe(ipPacket({ srcMac: GW, dstMac: CAM, src: REMOTE, dst: '192.168.1.20' }));
    expect(reg.src).toBeNull();
    expect(reg.dst).toBe(cam);
    expect(reg.forged).toBe(false);
  });

  it('sources drawn from the LAN’s /24 are forged too: the address list keeps the camera’s own', () => {
    const reg = home();
    const cam = reg.lookup(mac(CAM));
    const r = draw(11);
    let forged = 0;
    const n = 20_000;
    for (let i = 0; i < n; i++) {
      const src = `192.168.1.${1 + (r() % 254)}`;
      reg.observe(ipPacket({ srcMac: CAM, dstMac: GW, src, dst: REMOTE }));
      expect(reg.src).toBe(cam);
      if (reg.forged) forged++;
    }
    expect(cam?.ipList()).toEqual(['192.168.1.20']);
    // Every packet but those from its own address.
    expect(forged).toBeGreaterThan(n * 0.99);
  });

  it('internet sources to a device of the LAN are not judged: a router may deliver from a second MAC', () => {
    const reg = home();
    reg.observe(ipPacket({ srcMac: CAM, dstMac: TOY, src: REMOTE, dst: '192.168.1.30' }));
    expect(reg.src).toBeNull();
    expect(reg.dst).toBe(reg.lookup(mac(TOY)));
    expect(reg.forged).toBe(false);
  });

  it('before the gateway is known, a remote source is nobody’s (as it always was)', () => {
    const reg = new DeviceRegistry({ lan: new LanMatcher() });
    reg.observe(ipPacket({ srcMac: CAM, dstMac: GW, src: '192.168.1.20', dst: REMOTE }));
    reg.observe(ipPacket({ srcMac: CAM, dstMac: GW, src: '1.2.3.4', dst: REMOTE }));
    expect(reg.src).toBeNull();
    expect(reg.forged).toBe(false);
  });

  it('a device that moves to a new address gets it after ADOPT_PACKETS in a row', () => {
    const reg = home();
    const cam = reg.lookup(mac(CAM));
    const flags: boolean[] = [];
    for (let i = 0; i < ADOPT_PACKETS + 2; i++) {
      reg.observe(ipPacket({ srcMac: CAM, dstMac: GW, src: '192.168.1.21', dst: REMOTE }));
      flags.push(reg.forged);
    }
    expect(flags).toEqual([...Array<boolean>(ADOPT_PACKETS - 1).fill(true), false, false, false]);
    expect(cam?.ipList()).toEqual(['192.168.1.20', '192.168.1.21']);
  });

  it('a range extender relaying its clients under its MAC: each is its address after a burst', () => {
    const reg = home();
    const cam = reg.lookup(mac(CAM));
    // Its own address in between does not break a client's run of packets.
    const burst = (src: string, n: number): void => {
      for (let i = 0; i < n; i++)
        reg.observe(ipPacket({ srcMac: CAM, dstMac: GW, src, dst: REMOTE }));
    };
    burst('192.168.1.40', 2);
    burst('192.168.1.20', 3);
    burst('192.168.1.40', ADOPT_PACKETS - 2);
    burst('192.168.1.41', ADOPT_PACKETS);
    expect(cam?.ipList()).toEqual(['192.168.1.20', '192.168.1.40', '192.168.1.41']);
  });
});

import { describe, expect, it } from 'vitest';
import type { AppInfo, DhcpInfo, DnsInfo, SsdpInfo } from '../../src/decode/app/types.js';
import { DecodedPacket, L3, LinkPktType } from '../../src/decode/packet.js';
import { LanMatcher } from '../../src/devices/lan.js';
import { ADOPT_PACKETS, DeviceRegistry } from '../../src/devices/registry.js';
import { BROADCAST, arpPacket, ipPacket, mac } from './packets.js';

const GW = 'c8:bf:4c:77:a0:3a';
const PLUG = 'f4:21:ae:9e:8f:cb';
const CAM = '78:df:72:24:69:4d';
const HUB = '00:03:7f:96:d8:ec';
const REMOTE = '112.34.112.167';

const newRegistry = (maxDevices?: number): DeviceRegistry =>
  new DeviceRegistry({ lan: new LanMatcher(), maxDevices });

function dhcp(fields: Partial<DhcpInfo>): DhcpInfo {
  return { kind: 'dhcp', op: 1, messageType: 3, clientMac: 0, clientIp: '', yourIp: '', ...fields };
}

function mdns(answers: DnsInfo['answers']): DnsInfo {
  const base = { kind: 'dns' as const, mdns: true, id: 0, isResponse: true, opcode: 0, rcode: 0 };
  return { ...base, questions: [], qtypes: [], answers };
}

function ssdp(method: string, server?: string): SsdpInfo {
  return { kind: 'ssdp', method, server };
}

/** Feeds one packet and returns the registry for chained assertions. */
function feed(reg: DeviceRegistry, spec: Parameters<typeof ipPacket>[0]): DeviceRegistry {
  reg.observe(ipPacket(spec));
  return reg;
}

const forwarded = (to: string, toIp: string, app: AppInfo | null = null) => ({
  srcMac: GW,
  dstMac: to,
  src: REMOTE,
  dst: toIp,
  app,
});

describe('DeviceRegistry: src and dst', () => {
  it('LAN to LAN: creates the sender, finds a known receiver, ids in order of first sighting', () => {
    const reg = newRegistry();
    feed(reg, { srcMac: PLUG, dstMac: CAM, src: '192.168.1.221', dst: '192.168.1.165', ts: 10 });
    expect(reg.src?.macStr).toBe(PLUG);
    expect(reg.src?.id).toBe(0);
    expect(reg.isNew).toBe(true);
    expect(reg.dst).toBeNull(); // the camera has not sent anything yet
    expect(reg.srcLocal && reg.dstLocal).toBe(true);

    feed(reg, { srcMac: CAM, dstMac: PLUG, src: '192.168.1.165', dst: '192.168.1.221', ts: 11 });
    expect(reg.src?.macStr).toBe(CAM);
    expect(reg.src?.id).toBe(1);
    expect(reg.isNew).toBe(true);
    expect(reg.dst?.macStr).toBe(PLUG);

    feed(reg, { srcMac: PLUG, dstMac: CAM, src: '192.168.1.221', dst: '192.168.1.165', ts: 12 });
    expect(reg.isNew).toBe(false);
    expect(reg.src?.id).toBe(0);
    expect(reg.dst?.id).toBe(1);
    expect(reg.devices().map((d) => d.macStr)).toEqual([PLUG, CAM]);
    const plug = reg.lookup(mac(PLUG));
    expect(plug?.firstSeen).toBe(10);
    expect(plug?.lastSeen).toBe(12);
    expect(plug?.vendor).toBe('Shanghai Xiaodu Technology Limited');
    expect(plug?.ipList()).toEqual(['192.168.1.221']);
  });

  it('device to the internet: src is the device, dst is null although the frame goes to the gateway MAC', () => {
    const reg = newRegistry();
    feed(reg, { srcMac: PLUG, dstMac: GW, src: '192.168.1.221', dst: REMOTE });
    expect(reg.src?.macStr).toBe(PLUG);
    expect(reg.dst).toBeNull();
    expect(reg.srcLocal).toBe(true);
    expect(reg.dstLocal).toBe(false);
    expect(reg.size).toBe(1); // the gateway is not a device: it sent nothing from a local IP
  });

  it('internet to device (forwarded by the gateway): src is null, dst is the LAN device', () => {
    const reg = newRegistry();
    feed(reg, { srcMac: PLUG, dstMac: GW, src: '192.168.1.221', dst: REMOTE });
    feed(reg, forwarded(PLUG, '192.168.1.221'));
    expect(reg.src).toBeNull();
    expect(reg.dst?.macStr).toBe(PLUG);
    expect(reg.srcLocal).toBe(false);
    expect(reg.dstLocal).toBe(true);
    expect(reg.lookup(mac(GW))).toBeUndefined();
    expect(reg.lookup(mac(PLUG))?.ipList()).toEqual(['192.168.1.221']); // no remote IPs
  });

  it('broadcast and multicast: src set, dst null, and they never make a gateway', () => {
    const reg = newRegistry();
    for (let i = 0; i < 50; i++) {
      feed(reg, { srcMac: PLUG, dstMac: BROADCAST, src: '192.168.1.221', dst: '255.255.255.255' });
      expect(reg.src?.macStr).toBe(PLUG);
      expect(reg.dst).toBeNull();
      feed(reg, {
        srcMac: PLUG,
        dstMac: '01:00:5e:7f:ff:fa',
        src: '192.168.1.221',
        dst: '239.255.255.250',
      });
      expect(reg.dst).toBeNull();
      expect(reg.dstLocal).toBe(false);
      feed(reg, { srcMac: PLUG, dstMac: '33:33:00:00:00:fb', src: 'fe80::1', dst: 'ff02::fb' });
      expect(reg.src?.macStr).toBe(PLUG);
      expect(reg.dst).toBeNull();
    }
    expect(reg.gatewayMac()).toBe(-1);
    expect(reg.lookup(mac(PLUG))?.ipList()).toEqual(['192.168.1.221', 'fe80::1']);
  });

  it('links without MACs give src = dst = null but still classify the addresses', () => {
    const reg = newRegistry();
    feed(reg, { hasMacs: false, src: '192.168.1.221', dst: REMOTE });
    expect(reg.src).toBeNull();
    expect(reg.dst).toBeNull();
    expect(reg.srcLocal).toBe(true);
    expect(reg.dstLocal).toBe(false);
    expect(reg.size).toBe(0);
  });

  it('never makes a device of a group, zero or non-local source', () => {
    const reg = newRegistry();
    feed(reg, {
      srcMac: '01:00:5e:00:00:01',
      dstMac: BROADCAST,
      src: '192.168.1.9',
      dst: '192.168.1.255',
    });
    feed(reg, {
      srcMac: '00:00:00:00:00:00',
      dstMac: '00:00:00:00:00:00',
      src: '10.0.0.1',
      dst: '10.0.0.1',
    });
    feed(reg, { srcMac: CAM, dstMac: BROADCAST, src: '0.0.0.0', dst: '255.255.255.255' });
    feed(reg, { srcMac: CAM, dstMac: PLUG, src: '8.8.8.8', dst: '192.168.1.221' });
    expect(reg.size).toBe(0);
  });

  it('Linux cooked frames (no destination MAC) find their receiving device by IP', () => {
    // `tcpdump -i any` on a router: SLL/SLL2 frames carry only the sender's MAC and which way
    // they went. What the router forwards to a device must still count as the device's.
    const reg = newRegistry();
    const toRouter = LinkPktType.Host;
    const fromRouter = LinkPktType.Outgoing;
    feed(reg, { linkPktType: toRouter, srcMac: PLUG, src: '192.168.1.221', dst: REMOTE });
    feed(reg, {
      linkPktType: toRouter,
      srcMac: CAM,
      src: 'fe80::7adf:72ff:fe24:694d',
      dst: '2001:db8::1',
    });
    feed(reg, { linkPktType: fromRouter, srcMac: GW, src: REMOTE, dst: '192.168.1.221' });
    expect(reg.dst?.macStr).toBe(PLUG);
    feed(reg, {
      linkPktType: fromRouter,
      srcMac: GW,
      src: '2001:db8::1',
      dst: 'fe80::7adf:72ff:fe24:694d',
    });
    expect(reg.dst?.macStr).toBe(CAM);
    // An address that moved to another device belongs to its latest sender.
    feed(reg, { linkPktType: toRouter, srcMac: HUB, src: '192.168.1.221', dst: REMOTE });
    feed(reg, { linkPktType: fromRouter, srcMac: GW, src: REMOTE, dst: '192.168.1.221' });
    expect(reg.dst?.macStr).toBe(HUB);
    // Nobody sent from this address: no device.
    feed(reg, { linkPktType: fromRouter, srcMac: GW, src: REMOTE, dst: '192.168.1.77' });
    expect(reg.dst).toBeNull();
  });

  it('a cooked frame the router forwards from a device is not the router sending', () => {
    const reg = newRegistry();
    feed(reg, {
      linkPktType: LinkPktType.Host,
      srcMac: PLUG,
      src: '192.168.1.221',
      dst: '10.9.9.9',
    });
    expect(reg.src?.macStr).toBe(PLUG);
    // The same packet leaving on the router's other interface, under the router's MAC.
    feed(reg, {
      linkPktType: LinkPktType.Outgoing,
      srcMac: GW,
      src: '192.168.1.221',
      dst: '10.9.9.9',
    });
    expect(reg.src).toBeNull();
    expect(reg.lookup(mac(GW))).toBeUndefined();
    // The router's own traffic is its own.
    feed(reg, { linkPktType: LinkPktType.Outgoing, srcMac: GW, src: '192.168.1.1', dst: REMOTE });
    expect(reg.src?.macStr).toBe(GW);
    // A frame addressed to the router for another device is counted when it goes out.
    feed(reg, { linkPktType: LinkPktType.Host, srcMac: CAM, src: REMOTE, dst: '192.168.1.221' });
    expect(reg.dst).toBeNull();
    feed(reg, {
      linkPktType: LinkPktType.Host,
      srcMac: PLUG,
      src: '192.168.1.221',
      dst: '192.168.1.1',
    });
    expect(reg.dst?.macStr).toBe(GW);
  });

  it('frames with a destination MAC never fall back to the IP', () => {
    const reg = newRegistry();
    feed(reg, { srcMac: PLUG, dstMac: GW, src: '192.168.1.221', dst: REMOTE });
    // Addressed to a MAC that is not a device (yet): not the device that uses the IP.
    feed(reg, { srcMac: GW, dstMac: CAM, src: REMOTE, dst: '192.168.1.221' });
    expect(reg.dst).toBeNull();
    // A cooked frame turns the address index on; Ethernet frames still go by MAC.
    feed(reg, { linkPktType: LinkPktType.Host, srcMac: PLUG, src: '192.168.1.221', dst: REMOTE });
    feed(reg, { srcMac: GW, dstMac: CAM, src: REMOTE, dst: '192.168.1.221' });
    expect(reg.dst).toBeNull();
  });

  it('other packets (no IP, no ARP) reset src/dst', () => {
    const reg = newRegistry();
    feed(reg, { srcMac: PLUG, dstMac: GW, src: '192.168.1.221', dst: REMOTE });
    const pkt = new DecodedPacket();
    pkt.hasMacs = true;
    pkt.srcMac = mac(PLUG);
    pkt.l3 = L3.None;
    reg.observe(pkt);
    expect(reg.src).toBeNull();
    expect(reg.srcLocal).toBe(false);
  });
});

describe('DeviceRegistry: ARP', () => {
  it('makes a quiet device out of an ARP sender with a local IP', () => {
    const reg = newRegistry();
    reg.observe(
      arpPacket({
        srcMac: HUB,
        dstMac: BROADCAST,
        op: 1,
        senderIp: '192.168.20.105',
        targetIp: '192.168.20.254',
      }),
    );
    expect(reg.src?.macStr).toBe(HUB);
    expect(reg.isNew).toBe(true);
    expect(reg.dst).toBeNull();
    expect(reg.lookup(mac(HUB))?.ipList()).toEqual(['192.168.20.105']);
    // A unicast reply to the hub is delivered to it.
    reg.observe(
      arpPacket({
        srcMac: GW,
        dstMac: HUB,
        op: 2,
        senderIp: '192.168.20.254',
        targetIp: '192.168.20.105',
      }),
    );
    expect(reg.src?.macStr).toBe(GW);
    expect(reg.dst?.macStr).toBe(HUB);
  });

  it('ignores ARP probes from 0.0.0.0 and senders that differ from the Ethernet source', () => {
    const reg = newRegistry();
    reg.observe(
      arpPacket({
        srcMac: HUB,
        dstMac: BROADCAST,
        op: 1,
        senderIp: '0.0.0.0',
        targetIp: '192.168.20.105',
      }),
    );
    expect(reg.src).toBeNull();
    reg.observe(
      arpPacket({
        srcMac: HUB,
        senderMac: CAM,
        dstMac: BROADCAST,
        op: 2,
        senderIp: '192.168.20.7',
        targetIp: '192.168.20.7',
      }),
    );
    expect(reg.src).toBeNull();
    expect(reg.size).toBe(0);
  });
});

describe('DeviceRegistry: gateway', () => {
  it('picks the MAC carrying remote traffic once it is clearly dominant, then attributes its own traffic to it', () => {
    const reg = newRegistry();
    for (let i = 0; i < 9; i++) {
      feed(reg, { srcMac: PLUG, dstMac: GW, src: '192.168.1.221', dst: REMOTE });
    }
    expect(reg.gatewayMac()).toBe(-1); // 9 < 10 packets
    feed(reg, forwarded(PLUG, '192.168.1.221'));
    expect(reg.gatewayMac()).toBe(mac(GW));
    expect(reg.gateway()).toBeNull(); // not a device until it sends from its own local address
    // The gateway answers a DNS query from its own address: now it is a device too.
    feed(reg, { srcMac: GW, dstMac: PLUG, src: '192.168.1.1', dst: '192.168.1.221' });
    expect(reg.src?.macStr).toBe(GW);
    expect(reg.gateway()?.macStr).toBe(GW);
    expect(reg.gateway()?.isGateway).toBe(true);
    expect(reg.gateway()?.ipList()).toEqual(['192.168.1.1']);
    expect(reg.lookup(mac(PLUG))?.isGateway).toBe(false);
  });

  it('waits while two MACs are close, and keeps its choice until another is 3x dominant', () => {
    const reg = newRegistry();
    const other = '02:11:22:33:44:55';
    for (let i = 0; i < 10; i++) {
      feed(reg, forwarded(PLUG, '192.168.1.221'));
      feed(reg, { srcMac: other, dstMac: PLUG, src: REMOTE, dst: '192.168.1.221' });
    }
    for (let i = 0; i < 5; i++) feed(reg, forwarded(PLUG, '192.168.1.221'));
    expect(reg.gatewayMac()).toBe(-1); // 15 vs 10: not clearly dominant
    for (let i = 0; i < 15; i++) feed(reg, forwarded(PLUG, '192.168.1.221'));
    expect(reg.gatewayMac()).toBe(mac(GW)); // 30 >= 3 * 10
    for (let i = 0; i < 70; i++)
      feed(reg, { srcMac: other, dstMac: PLUG, src: REMOTE, dst: '192.168.1.221' });
    expect(reg.gatewayMac()).toBe(mac(GW)); // 80 < 3 * 30
    for (let i = 0; i < 20; i++)
      feed(reg, { srcMac: other, dstMac: PLUG, src: REMOTE, dst: '192.168.1.221' });
    expect(reg.gatewayMac()).toBe(mac(other)); // 100 >= 90
  });

  it('takes DHCP option 3 from the router itself as a strong hint', () => {
    const reg = newRegistry();
    feed(reg, {
      srcMac: GW,
      dstMac: PLUG,
      src: '192.168.1.1',
      dst: '192.168.1.221',
      app: dhcp({ op: 2, messageType: 5, clientMac: mac(PLUG), routers: ['192.168.1.1'] }),
    });
    expect(reg.gatewayMac()).toBe(mac(GW));
    expect(reg.gateway()?.isGateway).toBe(true);
  });

  it('resolves a router IP named by another DHCP server once a device uses it', () => {
    const reg = newRegistry();
    const router = '00:b5:6d:06:08:ba';
    feed(reg, {
      srcMac: CAM,
      dstMac: BROADCAST,
      src: '192.168.1.2',
      dst: '255.255.255.255',
      app: dhcp({ op: 2, messageType: 2, clientMac: mac(PLUG), routers: ['192.168.1.254'] }),
    });
    expect(reg.gatewayMac()).toBe(-1);
    reg.observe(
      arpPacket({
        srcMac: router,
        dstMac: BROADCAST,
        op: 1,
        senderIp: '192.168.1.254',
        targetIp: '192.168.1.221',
      }),
    );
    expect(reg.gatewayMac()).toBe(mac(router));
    expect(reg.lookup(mac(router))?.isGateway).toBe(true);
    // Counts that clearly contradict the hint win.
    for (let i = 0; i < 10; i++) feed(reg, forwarded(PLUG, '192.168.1.221'));
    expect(reg.gatewayMac()).toBe(mac(GW));
    expect(reg.lookup(mac(router))?.isGateway).toBe(false);
  });
});

describe("DeviceRegistry: the home's global IPv6 prefix", () => {
  const PLUG6 = '2001:db8:4a1:100:f621:aeff:fe9e:8fcb';
  const REMOTE6 = '2a05:d018:abcd::1234';
  /** A registry whose gateway is decided (IPv4) and whose plug is a device. */
  function home(): DeviceRegistry {
    const reg = newRegistry();
    for (let i = 0; i < 10; i++) feed(reg, forwarded(PLUG, '192.168.1.221'));
    feed(reg, { srcMac: PLUG, dstMac: GW, src: '192.168.1.221', dst: REMOTE });
    expect(reg.gatewayMac()).toBe(mac(GW));
    return reg;
  }

  it("is learned when the router delivers to a device at it; the device's traffic from it is its own", () => {
    const reg = home();
    // Before: the plug's global address is nobody's (its /64 is not a configured range).
    feed(reg, { srcMac: PLUG, dstMac: GW, src: PLUG6, dst: REMOTE6 });
    expect(reg.src).toBeNull();
    expect(reg.srcLocal).toBe(false);
    // The router delivers the answer to the plug's MAC at that address: the /64 is the home's.
    feed(reg, { srcMac: GW, dstMac: PLUG, src: REMOTE6, dst: PLUG6 });
    expect(reg.dstLocal).toBe(true);
    expect(reg.dst?.macStr).toBe(PLUG);
    feed(reg, { srcMac: PLUG, dstMac: GW, src: PLUG6, dst: REMOTE6 });
    expect(reg.src?.macStr).toBe(PLUG);
    expect(reg.lookup(mac(PLUG))?.ipList()).toContain(PLUG6);
    // Another address in the /64 (a temporary one) is local too; another /64 is not.
    feed(reg, { srcMac: PLUG, dstMac: GW, src: '2001:db8:4a1:100::77', dst: REMOTE6 });
    expect(reg.src?.macStr).toBe(PLUG);
    feed(reg, { srcMac: PLUG, dstMac: GW, src: '2001:db8:4a1:101::77', dst: REMOTE6 });
    expect(reg.src).toBeNull();
  });

  it('is not learned from what a device sends (forged sources get no delivery), nor before a gateway', () => {
    const reg = newRegistry();
    // No gateway yet: nothing learned from a delivery-looking frame.
    feed(reg, { srcMac: PLUG, dstMac: GW, src: '192.168.1.221', dst: REMOTE });
    feed(reg, { srcMac: GW, dstMac: PLUG, src: REMOTE6, dst: PLUG6 });
    expect(reg.dstLocal).toBe(false);
    const r2 = home();
    // A device sending from many global sources: none becomes local.
    for (let i = 0; i < 50; i++) {
      feed(r2, { srcMac: PLUG, dstMac: GW, src: `2a0${i % 10}:${i}::1`, dst: REMOTE6 });
      expect(r2.src).toBeNull();
    }
    // A frame between two LAN devices, or to an unknown MAC, teaches nothing.
    feed(r2, { srcMac: CAM, dstMac: PLUG, src: REMOTE6, dst: PLUG6 });
    feed(r2, { srcMac: GW, dstMac: HUB, src: REMOTE6, dst: PLUG6 });
    feed(r2, { srcMac: PLUG, dstMac: GW, src: PLUG6, dst: REMOTE6 });
    expect(r2.src).toBeNull();
  });
});

describe('DeviceRegistry: names', () => {
  it('names a device from a DHCP request seen before its first IP packet', () => {
    const reg = newRegistry();
    const discover = dhcp({
      op: 1,
      messageType: 1,
      clientMac: mac(PLUG),
      hostname: 'xiaodu-plug',
      vendorClass: 'udhcp 1.22.1',
    });
    feed(reg, {
      srcMac: PLUG,
      dstMac: BROADCAST,
      src: '0.0.0.0',
      dst: '255.255.255.255',
      app: discover,
    });
    expect(reg.size).toBe(0);
    expect(reg.stats().pendingNames).toBe(1);
    feed(reg, { srcMac: PLUG, dstMac: GW, src: '192.168.1.221', dst: '192.168.1.1' });
    const plug = reg.src;
    expect(plug?.name).toBe('xiaodu-plug');
    expect(plug?.nameSource).toBe('dhcp');
    expect(plug?.dhcpVendorClass).toBe('udhcp 1.22.1');
    expect(reg.stats().pendingNames).toBe(0);
  });

  it('takes option 12 from a DHCP reply for the client, and still reads option 3 from it', () => {
    const reg = newRegistry();
    feed(reg, { srcMac: PLUG, dstMac: GW, src: '192.168.1.221', dst: REMOTE });
    const ack = (hostname: string) =>
      dhcp({
        op: 2,
        messageType: 5,
        clientMac: mac(PLUG),
        hostname,
        vendorClass: 'server-side',
        routers: ['192.168.1.1'],
      });
    const fromRouter = { srcMac: GW, dstMac: PLUG, src: '192.168.1.1', dst: '192.168.1.221' };
    feed(reg, { ...fromRouter, app: ack('plug-assigned') });
    const plug = reg.lookup(mac(PLUG));
    expect([plug?.name, plug?.nameSource]).toEqual(['plug-assigned', 'dhcp']);
    expect(plug?.dhcpVendorClass).toBe(''); // option 60 in a reply is the server's, not the client's
    expect(reg.lookup(mac(GW))?.name).toBe(''); // the server is not named by it
    expect(reg.gatewayMac()).toBe(mac(GW));
    // A repeated reply (same hostname) must not hide a new router in it.
    const other = newRegistry();
    const hub = '00:b5:6d:06:08:ba';
    feed(other, { srcMac: PLUG, dstMac: hub, src: '192.168.1.221', dst: '192.168.1.254' });
    feed(other, { srcMac: hub, dstMac: PLUG, src: '192.168.1.254', dst: '192.168.1.221' });
    feed(other, { ...fromRouter, app: ack('plug-assigned') });
    expect(other.gatewayMac()).toBe(mac(GW));
    feed(other, {
      ...fromRouter,
      app: dhcp({
        op: 2,
        messageType: 5,
        clientMac: mac(PLUG),
        hostname: 'plug-assigned',
        routers: ['192.168.1.254'],
      }),
    });
    expect(other.gatewayMac()).toBe(mac(hub));
  });

  it('ranks DHCP > mDNS: stronger replaces weaker, weaker never replaces, the same source keeps the first of equally used names; an SSDP SERVER banner never names', () => {
    const reg = newRegistry();
    const from = {
      srcMac: CAM,
      dstMac: '01:00:5e:00:00:fb',
      src: '192.168.1.165',
      dst: '224.0.0.251',
    };
    // A SERVER header is the software's banner, the same on every device running it.
    feed(reg, { ...from, app: ssdp('NOTIFY', 'Linux/3.10 UPnP/1.0 Camera/2.1') });
    const cam = reg.src;
    expect([cam?.name, cam?.nameSource, cam?.names.all()]).toEqual(['', '', []]);
    feed(reg, { ...from, app: ssdp('RESPONSE', 'AsusWRT/386 UPnP/1.1 MiniUPnPd/2.2.0') });
    expect(cam?.name).toBe('');

    feed(reg, {
      ...from,
      app: mdns([{ name: 'living-room.local', type: 1, ttl: 120, data: '192.168.1.165' }]),
    });
    expect([cam?.name, cam?.nameSource]).toEqual(['living-room', 'mdns']);
    feed(reg, { ...from, app: ssdp('RESPONSE', 'Other/1.0') });
    expect(cam?.name).toBe('living-room');
    feed(reg, {
      ...from,
      app: mdns([{ name: 'hall-cam.local', type: 1, ttl: 120, data: '192.168.1.165' }]),
    });
    // Used as often as 'living-room' (once each): the first keeps its place, the other is an alias.
    expect(cam?.name).toBe('living-room');
    expect(cam?.aliases()).toContain('hall-cam');

    const v = cam?.version ?? 0;
    feed(reg, { ...from, app: dhcp({ clientMac: mac(CAM), hostname: 'Y2camera' }) });
    expect([cam?.name, cam?.nameSource]).toEqual(['Y2camera', 'dhcp']);
    expect(cam?.version).toBe(v + 1);
    feed(reg, {
      ...from,
      app: mdns([{ name: 'again.local', type: 1, ttl: 120, data: '192.168.1.165' }]),
    });
    expect(cam?.name).toBe('Y2camera');
    feed(reg, { ...from, app: dhcp({ clientMac: mac(CAM), hostname: 'Y2camera-2' }) });
    feed(reg, { ...from, app: ssdp('NOTIFY', 'Linux/3.10 UPnP/1.0 Camera/2.2') });
    expect(cam?.name).toBe('Y2camera');
    expect(cam?.aliases()).toEqual(['Y2camera-2', 'living-room', 'hall-cam']);
  });

  it('treats mDNS records for other addresses and service instances as weaker than its own host name', () => {
    const reg = newRegistry();
    const from = {
      srcMac: HUB,
      dstMac: '01:00:5e:00:00:fb',
      src: '192.168.20.105',
      dst: '224.0.0.251',
    };
    feed(reg, {
      ...from,
      app: mdns([
        { name: '_hap._tcp.local', type: 12, ttl: 4500, data: 'Living Room Lamp._hap._tcp.local' },
        { name: 'someone-else.local', type: 1, ttl: 120, data: '192.168.20.77' },
      ]),
    });
    const hub = reg.src;
    expect([hub?.name, hub?.nameSource]).toEqual(['Living Room Lamp', 'mdns']);
    feed(reg, {
      ...from,
      app: mdns([{ name: 'blink-hub.local', type: 1, ttl: 120, data: '192.168.20.105' }]),
    });
    expect(hub?.name).toBe('blink-hub');
    feed(reg, {
      ...from,
      app: mdns([{ name: 'Lamp 2._hap._tcp.local', type: 33, ttl: 120, data: 'x.local' }]),
    });
    expect(hub?.name).toBe('blink-hub');
    // mDNS queries and plain DNS never name anything.
    const q = {
      ...mdns([{ name: 'q.local', type: 1, ttl: 1, data: '192.168.20.105' }]),
      isResponse: false,
    };
    const other = newRegistry();
    feed(other, { ...from, app: q });
    feed(other, {
      ...from,
      app: { ...mdns([{ name: 'a.local', type: 1, ttl: 1, data: '192.168.20.105' }]), mdns: false },
    });
    expect(other.src?.name).toBe('');
  });

  it('keeps names printable and capped', () => {
    const reg = newRegistry();
    const from = { srcMac: CAM, dstMac: BROADCAST, src: '192.168.1.165', dst: '255.255.255.255' };
    feed(reg, {
      ...from,
      app: dhcp({ clientMac: mac(CAM), hostname: 'cam\u0000\u001b[31m\tera\u200b  x' }),
    });
    expect(reg.src?.name).toBe('cam [31m era x');
    feed(reg, { ...from, app: dhcp({ clientMac: mac(CAM), hostname: 'n'.repeat(500) }) });
    expect(reg.src?.aliases()).toEqual(['n'.repeat(64)]); // the first name keeps its place
    feed(reg, { ...from, app: dhcp({ clientMac: mac(CAM), hostname: '\u0001\u0002 ' }) });
    expect(reg.src?.aliases()).toEqual(['n'.repeat(64)]); // nothing printable: ignored
  });
});

describe('DeviceRegistry: bounds and bookkeeping', () => {
  it('refuses new MACs beyond maxDevices and counts them', () => {
    const reg = newRegistry(2);
    feed(reg, { srcMac: PLUG, dstMac: GW, src: '192.168.1.221', dst: REMOTE });
    feed(reg, { srcMac: CAM, dstMac: GW, src: '192.168.1.165', dst: REMOTE });
    for (let i = 0; i < 3; i++) {
      feed(reg, { srcMac: HUB, dstMac: GW, src: '192.168.1.50', dst: REMOTE });
      expect(reg.src).toBeNull();
      expect(reg.isNew).toBe(false);
    }
    feed(reg, { srcMac: '00:11:22:33:44:55', dstMac: GW, src: '192.168.1.51', dst: REMOTE });
    expect(reg.size).toBe(2);
    expect(reg.refused).toBe(2);
    expect(reg.refusedPackets).toBe(4);
    feed(reg, { srcMac: PLUG, dstMac: GW, src: '192.168.1.221', dst: REMOTE });
    expect(reg.src?.macStr).toBe(PLUG);
    expect(() => newRegistry(0)).toThrow(/maxDevices must be a positive integer/);
  });

  it('bumps version on ip/name/gateway changes only and reports changed devices once per drain', () => {
    const reg = new DeviceRegistry({ lan: new LanMatcher(), maxIpsPerFamily: 2 });
    feed(reg, { srcMac: PLUG, dstMac: CAM, src: '192.168.1.221', dst: '192.168.1.165' });
    const plug = reg.src;
    expect(plug?.version).toBe(1);
    expect(reg.drainChanged()).toEqual([plug]);
    feed(reg, { srcMac: PLUG, dstMac: CAM, src: '192.168.1.221', dst: '192.168.1.165', ts: 2000 });
    expect(plug?.version).toBe(1);
    expect(reg.drainChanged()).toEqual([]);
    // A new address is taken after ADOPT_PACKETS in a row from it (forged-sources.test.ts).
    for (let i = 0; i < ADOPT_PACKETS; i++)
      feed(reg, { srcMac: PLUG, dstMac: CAM, src: '192.168.1.9', dst: '192.168.1.165' });
    for (let i = 0; i < ADOPT_PACKETS; i++)
      feed(reg, { srcMac: PLUG, dstMac: CAM, src: '192.168.1.10', dst: '192.168.1.165' });
    expect(plug?.version).toBe(3);
    expect(plug?.ipList()).toEqual(['192.168.1.9', '192.168.1.10']); // oldest (.221) dropped
    feed(reg, { srcMac: PLUG, dstMac: CAM, src: 'fe80::2', dst: 'fe80::1' });
    feed(reg, { srcMac: PLUG, dstMac: CAM, src: 'fd00::1', dst: 'fe80::1' });
    feed(reg, { srcMac: PLUG, dstMac: CAM, src: 'fd00::1', dst: 'fe80::1' });
    expect(plug?.ipList()).toEqual(['192.168.1.9', '192.168.1.10', 'fd00::1', 'fe80::2']);
    expect(plug?.version).toBe(5);
    expect(reg.drainChanged()).toEqual([plug]);
    expect(reg.drainChanged()).toEqual([]);
  });

  it('honours --lan ranges for devices', () => {
    const reg = new DeviceRegistry({ lan: new LanMatcher(['100.64.0.0/10']) });
    feed(reg, { srcMac: PLUG, dstMac: GW, src: '100.64.3.4', dst: REMOTE });
    expect(reg.src?.ipList()).toEqual(['100.64.3.4']);
  });
});

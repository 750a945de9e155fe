/**
 * The registry on real captures, through the real reader and decoder, against ground truth
 * published with the datasets (INDEX.md: IoT Sentinel's `_iotdevice-mac.txt`, the lifecycle
 * dataset's device-IP table, Mon(IoT)r's hub address) and against tshark's view of DHCP.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openCaptureFiles } from '../../src/capture/file/index.js';
import { DecodedPacket, decodeFrame } from '../../src/decode/index.js';
import { LanMatcher } from '../../src/devices/lan.js';
import { DeviceRegistry } from '../../src/devices/registry.js';
import { mac } from './packets.js';

const DATASETS = resolve(process.cwd(), '../shared/datasets');
const SENTINEL = resolve(DATASETS, 'iot-sentinel/captures_IoT-Sentinel');

async function replay(files: string[]): Promise<DeviceRegistry> {
  const reg = new DeviceRegistry({ lan: new LanMatcher() });
  const pkt = new DecodedPacket();
  const source = await openCaptureFiles(files);
  await source.run((buf, off, capLen, wireLen, ts, linkType) => {
    decodeFrame(buf, off, capLen, wireLen, linkType, ts, pkt);
    reg.observe(pkt);
  });
  return reg;
}

describe('IoT Sentinel setup captures', () => {
  const devices = readdirSync(SENTINEL)
    .filter((d) => !d.startsWith('.'))
    .sort();

  it('has the 31 device folders', () => {
    expect(devices).toHaveLength(31);
  });

  it.each(devices)(
    '%s: the listed device MAC is a device with a local IP and a vendor, not the gateway',
    async (dir) => {
      const want = readFileSync(resolve(SENTINEL, dir, '_iotdevice-mac.txt'), 'utf8')
        .trim()
        .toLowerCase();
      const first = readdirSync(resolve(SENTINEL, dir))
        .filter((f) => f.endsWith('.pcap'))
        .sort()[0];
      const reg = await replay([resolve(SENTINEL, dir, first)]);
      const dev = reg.lookup(mac(want));
      expect(dev, `${want} in ${first}`).toBeDefined();
      if (dev === undefined) return;
      expect(dev.macStr).toBe(want);
      expect(dev.randomMac).toBe(false);
      expect(dev.vendor).not.toBe('');
      const lan = new LanMatcher();
      expect(dev.ip4s().length + dev.ip6s().length).toBeGreaterThan(0);
      for (const ip of dev.ip4s()) expect(lan.isLocal4(ip)).toBe(true);
      expect(dev.isGateway).toBe(false);
      expect(reg.gatewayMac()).not.toBe(dev.mac);
      // ids are dense and in order
      expect(reg.devices().map((d) => d.id)).toEqual(reg.devices().map((_, i) => i));
    },
  );

  it('names devices from their DHCP hostname (values as tshark shows them)', async () => {
    const cases: [string, string, string][] = [
      ['HueBridge', '00:17:88:24:76:ff', 'Philips-hue'],
      ['TP-LinkPlugHS110', '50:c7:bf:00:c7:03', 'HS110(EU)'],
      ['D-LinkCam', 'b0:c5:54:25:5b:0e', 'DCS-935L'],
    ];
    for (const [dir, m, hostname] of cases) {
      const reg = await replay([resolve(SENTINEL, dir, 'Setup-A-1-STA.pcap')]);
      const dev = reg.lookup(mac(m));
      expect([dev?.name, dev?.nameSource], dir).toEqual([hostname, 'dhcp']);
    }
    // The Hue bridge's DHCP server echoes option 12 in its reply: that must not name the server.
    const hue = await replay([resolve(SENTINEL, 'HueBridge', 'Setup-A-1-STA.pcap')]);
    expect(hue.lookup(mac('00:b5:6d:06:08:ba'))?.name).not.toBe('Philips-hue');
  });
});

describe('IoT Sentinel: names are names, never SSDP SERVER banners', () => {
  it.each([
    ['WeMoSwitch', '94:10:3e:35:01:c1'],
    ['WeMoSwitch2', '94:10:3e:34:0c:b5'],
    ['HueSwitch', '00:17:88:24:76:ff'],
    ['D-LinkDoorSensor', '1c:5f:2b:aa:fd:4e'],
  ])('%s: no device is named by the SERVER banner of its SSDP announcements', async (dir, m) => {
    const files = readdirSync(resolve(SENTINEL, dir))
      .filter((f) => f.endsWith('.pcap'))
      .sort()
      .map((f) => resolve(SENTINEL, dir, f));
    const reg = await replay(files);
    const dev = reg.lookup(mac(m));
    expect(dev?.kind).not.toBe('unknown');
    for (const d of reg.devices()) {
      for (const n of [d.name, ...d.aliases()])
        expect(n, `${dir} ${d.macStr}`).not.toMatch(/UPnP\//i);
      expect(d.nameSource).not.toBe('ssdp');
    }
  });
});

describe('IoT Sentinel: kind evidence from HTTP API paths', () => {
  it('the Aria scale: its request line to www.fitbit.com/scale/ (Host in the next segment)', async () => {
    const reg = await replay([resolve(SENTINEL, 'Aria', 'Setup-A-1-STA.pcap')]);
    const aria = reg.lookup(mac('20:f8:5e:ca:91:52'));
    expect([aria?.kind, aria?.kindEvidence]).toEqual(['sensor', ['HTTP fitbit.com/scale/']]);
    // The query carries the serial number and a token: nothing of it is kept.
    expect(JSON.stringify(aria?.kindState.facts())).not.toMatch(/serialNumber|token|20F85ECA9152/i);
  });

  it('the Edimax plugs and the Hue bridge: their phone apps talking to them on the LAN', async () => {
    const cases: [string, string, string][] = [
      ['EdimaxPlug1101W', 'Setup-C-2-STA.pcap', '74:da:38:4a:76:49'],
      ['EdimaxPlug2101W', 'Setup-C-1-STA.pcap', '74:da:38:23:22:7b'],
    ];
    for (const [dir, file, m] of cases) {
      const reg = await replay([resolve(SENTINEL, dir, file)]);
      const plug = reg.lookup(mac(m));
      expect([plug?.kind, plug?.kindEvidence], dir).toEqual([
        'plug',
        ['serves HTTP /smartplug.cgi'],
      ]);
      // The app that posted is not a plug.
      for (const d of reg.devices()) if (d !== plug) expect(d.kind).not.toBe('plug');
    }
    // The Hue app setting up a dimmer switch: rules on the bridge's REST API.
    const hue = await replay([resolve(SENTINEL, 'HueSwitch', 'Setup-A-1-STA.pcap')]);
    const bridge = hue.lookup(mac('00:17:88:24:76:ff'));
    expect(bridge?.kindState.facts().map((f) => f.label)).toContain(
      'serves HTTP /api/<user>/… (Hue)',
    );
    // A setup whose app used only the cloud shows nothing of what the plug is.
    const cloud = await replay([resolve(SENTINEL, 'EdimaxPlug1101W', 'Setup-A-1-STA.pcap')]);
    expect(cloud.lookup(mac('74:da:38:4a:76:49'))?.kind).toBe('unknown');
  });
});

describe('nku-lifecycle xiaodu_plug.pcap', () => {
  it('finds the plug at 192.168.1.221 and the gateway c8:bf:4c:77:a0:3a', async () => {
    const reg = await replay([resolve(DATASETS, 'nku-lifecycle/xiaodu_plug/xiaodu_plug.pcap')]);
    const plug = reg.lookup(mac('f4:21:ae:9e:8f:cb'));
    expect(plug?.ipList()).toContain('192.168.1.221');
    expect(plug?.isGateway).toBe(false);
    expect(plug?.id).toBe(0);
    expect(reg.gatewayMac()).toBe(mac('c8:bf:4c:77:a0:3a'));
    // Everything the gateway forwarded came from remote addresses: it gained no IPs from it.
    const gw = reg.lookup(mac('c8:bf:4c:77:a0:3a'));
    for (const ip of gw?.ip4s() ?? []) expect(new LanMatcher().isLocal4(ip)).toBe(true);
  });
});

describe('Mon(IoT)r blink hub, 9 h idle', () => {
  it('finds the hub at 192.168.20.105 and the router at 192.168.20.254 (DHCP option 3)', async () => {
    const reg = await replay([resolve(DATASETS, 'moniotr-blink-hub/2019-04-25_idle.pcap')]);
    const hub = reg.lookup(mac('00:03:7f:96:d8:ec'));
    expect(hub?.ipList()).toEqual(['192.168.20.105']);
    expect(hub?.vendor).toBe('Atheros Communications, Inc.');
    const gw = reg.gateway();
    expect(gw?.ipList()).toEqual(['192.168.20.254']);
    expect(gw?.randomMac).toBe(true); // the router uses a locally administered MAC
    expect(gw?.vendor).toBe('');
    expect(reg.size).toBe(2);
  });
});

/**
 * Devices on 550 real setup captures of 31 smart-home devices (IoT Sentinel, Aalto University):
 * each capture's ground truth names the device's MAC; Homewatch must find it as a device, with
 * a local address, and the vendor the IEEE registry gives its OUI.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openCaptureFiles } from '../../src/capture/file/index.js';
import { Pipeline } from '../../src/pipeline/pipeline.js';
import { MemorySink } from '../../src/sinks/memory.js';
import { SHARED } from '../helpers/cli.js';

const ROOT = join(SHARED, 'iot-sentinel/captures_IoT-Sentinel');

async function replay(files: string[]): Promise<{ pipeline: Pipeline; sink: MemorySink }> {
  const sink = new MemorySink();
  const pipeline = new Pipeline({}, sink);
  const source = await openCaptureFiles(files);
  await source.run(pipeline.onFrame);
  pipeline.finish();
  return { pipeline, sink };
}

const deviceDirs = readdirSync(ROOT).sort();

describe('IoT Sentinel setup captures', () => {
  it('has the 31 devices of the data set', () => {
    expect(deviceDirs).toHaveLength(31);
  });

  for (const dir of deviceDirs) {
    it(`finds ${dir} in every one of its captures`, async () => {
      const mac = readFileSync(join(ROOT, dir, '_iotdevice-mac.txt'), 'utf8')
        .trim()
        .toLowerCase();
      const files = readdirSync(join(ROOT, dir))
        .filter((f) => f.endsWith('.pcap'))
        .sort();
      expect(files.length).toBeGreaterThan(0);
      const missing: string[] = [];
      for (const f of files) {
        const { pipeline } = await replay([join(ROOT, dir, f)]);
        const dev = pipeline.registry.devices().find((d) => d.macStr === mac);
        if (dev === undefined || dev.ipList().length === 0) missing.push(f);
      }
      expect(missing).toEqual([]);
    });
  }

  it('names vendors from the OUI registry', async () => {
    const expectVendor: Record<string, RegExp> = {
      HueBridge: /Philips/i,
      'TP-LinkPlugHS110': /TP-LINK/i,
      WeMoSwitch: /Belkin/i,
      EdimaxCam1: /Edimax/i,
      'D-LinkCam': /D-Link/i,
    };
    for (const [dir, vendor] of Object.entries(expectVendor)) {
      const mac = readFileSync(join(ROOT, dir, '_iotdevice-mac.txt'), 'utf8')
        .trim()
        .toLowerCase();
      const { pipeline } = await replay([join(ROOT, dir, 'Setup-A-1-STA.pcap')]);
      const dev = pipeline.registry.devices().find((d) => d.macStr === mac);
      expect(dev?.vendor, dir).toMatch(vendor);
    }
  });
});

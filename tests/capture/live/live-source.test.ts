/**
 * LiveSource in this process, on real packets: the capture end of a veth pair stays in this
 * namespace (the sending end is in a private one), and tcpreplay sends a real capture into it.
 */
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BINDING_NAMES } from '../../../src/capture/live/binding.js';
import { LiveSource } from '../../../src/capture/live/live-source.js';
import { loadLiveBinding } from '../../../src/capture/live/load.js';
import { runSourceContract } from '../source-contract.js';
import { createLab, labUnavailable, replayInto, SHARED, type Lab } from './netns.js';

const unavailable = labUnavailable();
const FILE = resolve(SHARED, 'nku-lifecycle/xiaodu_plug/xiaodu_plug.pcap');
const SEND = 300;

let lab: Lab | null = null;
beforeAll(() => {
  if (unavailable === null) lab = createLab(true);
});
afterAll(() => lab?.cleanup());

/** Senders still running (a contract test stops its source before all SEND packets arrived). */
let senders: Promise<unknown>[] = [];

/** An open LiveSource, with SEND packets on their way to it once earlier senders are done. */
async function sourceWithTraffic(binding: (typeof BINDING_NAMES)[number], queueFrames?: number) {
  // Packets of an earlier test still in flight would land in this capture: let them finish.
  await Promise.allSettled(senders);
  await new Promise((r) => setTimeout(r, 100));
  const l = lab as Lab;
  const source = new LiveSource({
    iface: l.ifCapture,
    binding: loadLiveBinding(binding),
    queueFrames,
  });
  source.open();
  const sent = replayInto(l, FILE, 3000, [`--limit=${SEND}`]);
  senders = [sent];
  return { source, sent };
}

describe.skipIf(unavailable !== null)('LiveSource on a veth lab', () => {
  for (const binding of BINDING_NAMES) {
    runSourceContract(
      `LiveSource (${binding})`,
      async () => (await sourceWithTraffic(binding)).source,
      {
        monotonic: true,
        deterministic: false,
        stopAfterFrames: 200,
        stopAfterMs: 10_000,
      },
    );

    it(`${binding}: a pipeline that waits loses nothing while the queue has room`, async () => {
      const { source, sent } = await sourceWithTraffic(binding);
      let frames = 0;
      const run = source.run(() => frames++, {
        afterBatch: () => new Promise((r) => setTimeout(r, 20)),
      });
      const { sent: n } = await sent;
      await new Promise((r) => setTimeout(r, 300));
      source.stop();
      const stats = await run;
      const live = source.liveStats();
      expect(n).toBe(SEND);
      expect(frames).toBe(SEND);
      expect(stats.packets).toBe(SEND);
      expect(live.queueDropped).toBe(0);
      expect(live.queueHighWater).toBeGreaterThan(0);
      if (binding === 'pcap') expect(live).toMatchObject({ received: SEND, dropped: 0 });
      else expect(live.dropped).toBeNull();
    });

    it(`${binding}: a full queue drops frames and counts every one`, async () => {
      const { source, sent } = await sourceWithTraffic(binding, 8);
      let frames = 0;
      // The pipeline stalls after its first batch until all traffic has arrived.
      let release: () => void = () => undefined;
      const stalled = new Promise<void>((r) => (release = r));
      let first = true;
      const run = source.run(() => frames++, {
        afterBatch: () => {
          if (!first) return undefined;
          first = false;
          return stalled;
        },
      });
      const { sent: n } = await sent;
      await new Promise((r) => setTimeout(r, 300));
      release();
      await new Promise((r) => setTimeout(r, 100));
      source.stop();
      await run;
      const live = source.liveStats();
      expect(live.queueDropped).toBeGreaterThan(0);
      expect(live.queueHighWater).toBe(8);
      expect(frames + live.queueDropped + (live.dropped ?? 0)).toBe(n);
    });
  }
});

/**
 * The PacketSource contract suite: every source (capture files, live capture) runs it.
 *
 * @example
 * runSourceContract('file source', () => openCaptureFiles([path]), { packets: 49, monotonic: true });
 * @module
 */
import { describe, expect, it } from 'vitest';
import type { PacketSource, SourceStats } from '../../src/capture/types.js';

export interface SourceContractExpectations {
  /** Exact number of frames a full run yields (files); omit when unknown (live). */
  packets?: number;
  /** Timestamps never go backwards (a well-formed file, or a live capture). */
  monotonic: boolean;
  /** Two fresh sources yield the same frames in the same order (files; not live). */
  deterministic: boolean;
  /**
   * For sources that do not end by themselves (live): call stop() once this many frames arrived
   * or after `stopAfterMs`, whichever comes first. Files end by themselves: leave both unset.
   */
  stopAfterFrames?: number;
  stopAfterMs?: number;
}

interface Frame {
  offset: number;
  capLen: number;
  wireLen: number;
  ts: number;
  linkType: number;
  /** A cheap digest of the frame's bytes, to compare runs (payload is not kept). */
  digest: number;
}

function digest(buf: Buffer, off: number, len: number): number {
  let h = 0x811c9dc5;
  for (let i = off; i < off + len; i++) h = Math.imul(h ^ buf[i], 0x01000193);
  return h >>> 0;
}

function validStats(s: SourceStats): void {
  expect(Number.isInteger(s.packets) && s.packets >= 0).toBe(true);
  expect(Number.isInteger(s.bytes) && s.bytes >= 0).toBe(true);
  expect(Number.isInteger(s.truncated) && s.truncated >= 0).toBe(true);
}

/** Runs `source` to its end (or to the expected stop), checking every frame as it arrives. */
async function collect(
  source: PacketSource,
  exp: SourceContractExpectations,
): Promise<{ frames: Frame[]; stats: SourceStats; outOfBounds: number; stopped: boolean }> {
  const frames: Frame[] = [];
  let outOfBounds = 0;
  let stopped = false;
  const stop = (): void => {
    if (!stopped) {
      stopped = true;
      source.stop();
    }
  };
  const timer = exp.stopAfterMs === undefined ? null : setTimeout(stop, exp.stopAfterMs);
  try {
    const stats = await source.run((buf, offset, capLen, wireLen, ts, linkType) => {
      if (offset < 0 || capLen < 0 || offset + capLen > buf.length) outOfBounds++;
      frames.push({ offset, capLen, wireLen, ts, linkType, digest: digest(buf, offset, capLen) });
      if (exp.stopAfterFrames !== undefined && frames.length >= exp.stopAfterFrames) stop();
    });
    return { frames, stats, outOfBounds, stopped };
  } finally {
    if (timer !== null) clearTimeout(timer);
  }
}

export function runSourceContract(
  name: string,
  makeSource: () => Promise<PacketSource>,
  exp: SourceContractExpectations,
): void {
  describe(`${name}: PacketSource contract`, () => {
    it('run() resolves with stats that count exactly the frames handed over', async () => {
      const source = await makeSource();
      const { frames, stats } = await collect(source, exp);
      validStats(stats);
      expect(stats.packets).toBe(frames.length);
      expect(stats.bytes).toBe(frames.reduce((s, f) => s + f.capLen, 0));
      if (exp.packets !== undefined) expect(frames.length).toBe(exp.packets);
      expect(source.stats()).toEqual(stats);
    });

    it('hands over frames in bounds, with capLen <= wireLen and valid time and link type', async () => {
      const source = await makeSource();
      const { frames, outOfBounds } = await collect(source, exp);
      expect(outOfBounds).toBe(0);
      let backwards = 0;
      let prev = -Infinity;
      for (const f of frames) {
        expect(f.capLen).toBeLessThanOrEqual(f.wireLen);
        expect(Number.isFinite(f.ts)).toBe(true);
        expect(Number.isInteger(f.linkType) && f.linkType >= 0).toBe(true);
        if (f.ts < prev) backwards++;
        prev = f.ts;
      }
      if (exp.monotonic) expect(backwards).toBe(0);
    });

    it.runIf(exp.deterministic)('yields the same frames in the same order every time', async () => {
      const a = await collect(await makeSource(), exp);
      const b = await collect(await makeSource(), exp);
      expect(a.frames.length).toBeGreaterThan(0);
      expect(b.frames).toEqual(a.frames);
    });

    it('stop() from inside the handler ends run() soon, with consistent stats', async () => {
      const source = await makeSource();
      let calls = 0;
      let callsAfterResolve = 0;
      let resolved = false;
      const stats = await source.run(() => {
        if (resolved) callsAfterResolve++;
        calls++;
        if (calls === 2) source.stop();
      });
      resolved = true;
      validStats(stats);
      expect(stats.packets).toBe(calls);
      if (exp.packets === undefined || exp.packets >= 2) expect(calls).toBe(2);
      else expect(calls).toBe(exp.packets);
      await new Promise((r) => setTimeout(r, 20));
      expect(callsAfterResolve).toBe(0);
    });

    it('stats() can be called while running and never runs ahead of the handler', async () => {
      const source = await makeSource();
      let calls = 0;
      let ahead = 0;
      let lastSeen = 0;
      let decreased = 0;
      const check = (): void => {
        const s = source.stats();
        validStats(s);
        if (s.packets > calls) ahead++;
        if (s.packets < lastSeen) decreased++;
        lastSeen = s.packets;
      };
      let stopped = false;
      const timer =
        exp.stopAfterMs === undefined
          ? null
          : setTimeout(() => {
              stopped = true;
              source.stop();
            }, exp.stopAfterMs);
      const stats = await source.run(
        () => {
          calls++;
          check();
          if (!stopped && exp.stopAfterFrames !== undefined && calls >= exp.stopAfterFrames) {
            stopped = true;
            source.stop();
          }
        },
        {
          afterBatch: check,
        },
      );
      if (timer !== null) clearTimeout(timer);
      expect(ahead).toBe(0);
      expect(decreased).toBe(0);
      expect(stats.packets).toBe(calls);
    });

    it('awaits afterBatch(): no frame arrives while its promise is pending', async () => {
      const source = await makeSource();
      let pending = false;
      let framesWhilePending = 0;
      let calls = 0;
      let stopped = false;
      const timer =
        exp.stopAfterMs === undefined ? null : setTimeout(() => source.stop(), exp.stopAfterMs);
      const stats = await source.run(
        () => {
          calls++;
          if (pending) framesWhilePending++;
          if (!stopped && exp.stopAfterFrames !== undefined && calls >= exp.stopAfterFrames) {
            stopped = true;
            source.stop();
          }
        },
        {
          afterBatch: async () => {
            pending = true;
            await new Promise((r) => setTimeout(r, 1));
            pending = false;
          },
        },
      );
      if (timer !== null) clearTimeout(timer);
      expect(framesWhilePending).toBe(0);
      expect(stats.packets).toBe(calls);
    });
  });
}

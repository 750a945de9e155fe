import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openCaptureFiles } from '../../src/capture/file/index.js';
import { Pipeline } from '../../src/pipeline/pipeline.js';
import { MemorySink } from '../../src/sinks/memory.js';
import { openRegistry, stateParts } from '../../src/state/agent-state.js';
import { STATE_VERSION, StateStore } from '../../src/state/state-file.js';

const SHARED = resolve(import.meta.dirname, '../../../shared/datasets');
const PLUG = resolve(SHARED, 'nku-lifecycle/xiaodu_plug/xiaodu_plug.pcap');

/** Replays a real capture through the pipeline with the registry `store` holds. */
async function replayWithState(store: StateStore, file: string) {
  const { registry, warnings } = openRegistry(store, []);
  const sink = new MemorySink();
  const pipeline = new Pipeline({}, sink, registry);
  const source = await openCaptureFiles([file]);
  await source.run(pipeline.onFrame);
  pipeline.finish();
  return { registry, warnings, records: sink.records };
}

describe('StateStore', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'hw-state-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('no file: no state and no warning', () => {
    expect(new StateStore(dir).load()).toEqual({ state: null });
  });

  it('round-trips a real registry; restored devices are not reported as new', async () => {
    const store = new StateStore(dir);
    const first = await replayWithState(store, PLUG);
    const firstDevices = first.records.filter((r) => r.type === 'device');
    expect(firstDevices.length).toBeGreaterThan(0);
    await store.save(stateParts(first.registry), 1700000000);
    // Atomic write: only the state file is left, no temporary.
    expect(readdirSync(dir)).toEqual(['state.json']);
    const saved = JSON.parse(readFileSync(store.path, 'utf8')) as Record<string, unknown>;
    expect(saved.version).toBe(STATE_VERSION);
    expect(saved.savedAt).toBe(1700000000);
    expect(Object.keys(saved).slice(0, 2)).toEqual(['version', 'savedAt']);

    const again = await replayWithState(store, PLUG);
    expect(again.warnings).toEqual([]);
    expect(again.registry.snapshot()).toEqual(first.registry.snapshot());
    // Same traffic after a restart: nothing new, nothing changed, so no device record.
    expect(again.records.filter((r) => r.type === 'device')).toEqual([]);
  });

  it('a damaged file is set aside with one warning and the agent starts fresh', () => {
    const store = new StateStore(dir);
    writeFileSync(store.path, '{"version":1,"savedAt":17');
    const { registry, warnings } = openRegistry(store, []);
    expect(registry.size).toBe(0);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/is damaged \(not JSON\); moved to .*state\.json\.damaged-/);
    const names = readdirSync(dir);
    expect(names).toHaveLength(1);
    expect(names[0]).toMatch(/^state\.json\.damaged-\d{4}-/);
  });

  it('another version is set aside, not misread', () => {
    const store = new StateStore(dir);
    writeFileSync(store.path, JSON.stringify({ version: 2, savedAt: 1, devices: {} }));
    const r = store.load();
    expect(r.state).toBeNull();
    expect(r.warning).toMatch(/has version 2, this agent reads version 1/);
  });

  it('a well-formed file whose device part is damaged is set aside too', () => {
    const store = new StateStore(dir);
    writeFileSync(
      store.path,
      JSON.stringify({ version: 1, savedAt: 1, devices: { version: 1, devices: [{ mac: 'x' }] } }),
    );
    const { registry, warnings } = openRegistry(store, []);
    expect(registry.size).toBe(0);
    expect(warnings[0]).toMatch(/is damaged \(device state: devices\[0\]/);
  });

  it('keeps unknown parts a later version adds beside devices', async () => {
    const store = new StateStore(dir);
    await store.save({ devices: null, baselines: { a: 1 } }, 5);
    expect(store.load().state).toMatchObject({ version: 1, savedAt: 5, baselines: { a: 1 } });
  });
});

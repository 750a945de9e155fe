/**
 * A replay in this process, as `homewatch replay` runs it (the same Runtime, capture files as
 * one timeline): the records it writes, for tests that read them or the scorer it is given.
 */
import { openCaptureFiles } from '../../src/capture/file/index.js';
import { runSource } from '../../src/pipeline/run.js';
import { Runtime, type RuntimeConfig } from '../../src/pipeline/runtime.js';
import { MemorySink } from '../../src/sinks/memory.js';
import type { OutputRecord } from '../../src/sinks/records.js';

/** The records of a replay of `files` (60-s windows, an hour's learning unless `config` says). */
export async function replayFiles(
  files: string[],
  config: Partial<RuntimeConfig> = {},
): Promise<OutputRecord[]> {
  const sink = new MemorySink();
  const runtime = Runtime.open({
    windowS: 60,
    learnS: 3600,
    lanCidrs: [],
    console: false,
    sinks: [sink],
    ...config,
  });
  await runSource(await openCaptureFiles(files), runtime);
  return sink.records;
}

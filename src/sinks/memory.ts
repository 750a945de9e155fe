/**
 * A sink that keeps every record in memory: for programs that use Homewatch as a library (and
 * for tests). Unbounded by design: use it for captures whose output fits in memory.
 * @module
 */
import type { OutputRecord, RecordSink } from './records.js';

export class MemorySink implements RecordSink {
  readonly records: OutputRecord[] = [];
  readonly backlogged = false;
  write(r: OutputRecord): void {
    this.records.push(r);
  }
  async flush(): Promise<void> {}
  async close(): Promise<void> {}
}

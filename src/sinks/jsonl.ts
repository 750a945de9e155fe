/**
 * JSON-lines sink: one record a line, to a file or standard output. Lines are batched into
 * large writes; `backlogged` asks the pipeline to wait while the stream drains.
 * @module
 */
import { createWriteStream, type WriteStream } from 'node:fs';
import { once } from 'node:events';
import { HomewatchError } from '../util/errors.js';
import type { OutputRecord, RecordSink } from './records.js';

const BATCH_CHARS = 1 << 16;

export class JsonlSink implements RecordSink {
  readonly #out: NodeJS.WritableStream;
  readonly #ownsStream: boolean;
  readonly #path: string;
  #batch: string[] = [];
  #batchChars = 0;
  #error: Error | null = null;

  /** `path` '-' writes to standard output. */
  constructor(path: string) {
    this.#path = path;
    if (path === '-') {
      this.#out = process.stdout;
      this.#ownsStream = false;
    } else {
      const ws: WriteStream = createWriteStream(path, { flags: 'w', highWaterMark: 1 << 20 });
      this.#out = ws;
      this.#ownsStream = true;
    }
    this.#out.on('error', (err: Error) => {
      this.#error = err;
    });
  }

  write(record: OutputRecord): void {
    const line = JSON.stringify(record);
    this.#batch.push(line);
    this.#batchChars += line.length + 1;
    if (this.#batchChars >= BATCH_CHARS) this.#push();
  }

  get backlogged(): boolean {
    return (this.#out as WriteStream).writableNeedDrain === true;
  }

  async flush(): Promise<void> {
    this.#push();
    this.#check();
    if ((this.#out as WriteStream).writableNeedDrain) await once(this.#out, 'drain');
    this.#check();
  }

  async close(): Promise<void> {
    await this.flush();
    if (this.#ownsStream) {
      const ws = this.#out as WriteStream;
      await new Promise<void>((resolve, reject) => {
        ws.end((err?: Error | null) => (err ? reject(err) : resolve()));
      }).catch((err: unknown) => {
        this.#error = err as Error;
      });
    }
    this.#check();
  }

  #push(): void {
    if (this.#batch.length === 0) return;
    this.#out.write(this.#batch.join('\n') + '\n');
    this.#batch = [];
    this.#batchChars = 0;
  }

  #check(): void {
    if (this.#error) {
      const e = this.#error as NodeJS.ErrnoException;
      throw new HomewatchError(
        'ERR_OUTPUT',
        `${this.#path}: cannot write output (${e.code ?? e.message})`,
      );
    }
  }
}

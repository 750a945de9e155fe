/** Helpers shared by the capture-file tests. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import {
  type ByteReader,
  ChunkBuffers,
  createParser,
  detectFormat,
  openByteReader,
  type ReadLoopResult,
  readRecords,
  type RecordParser,
} from '../../../src/capture/file/index.js';

/** The shared datasets, resolved from the repository root (CI clones shared/ beside the repo). */
export const DATASETS = resolve('../shared/datasets');

export interface Rec {
  ts: number;
  capLen: number;
  wireLen: number;
  linkType: number;
  hex: string;
}

/** A ByteReader over an in-memory buffer. */
export function memoryReader(data: Buffer): ByteReader {
  let pos = 0;
  return {
    get fileBytesRead() {
      return pos;
    },
    damage: '',
    async read(buf, off, len) {
      const n = Math.min(len, data.length - pos);
      data.copy(buf, off, pos, pos + n);
      pos += n;
      return n;
    },
    async close() {},
  };
}

export interface ParsedAll {
  records: Rec[];
  parser: RecordParser;
  result: ReadLoopResult;
}

async function run(reader: ByteReader, parser: RecordParser, chunkBytes: number) {
  const records: Rec[] = [];
  const result = await readRecords(
    reader,
    parser,
    (buf, off, capLen, wireLen, ts, linkType) => {
      records.push({ ts, capLen, wireLen, linkType, hex: buf.toString('hex', off, off + capLen) });
    },
    new ChunkBuffers(chunkBytes),
    { shouldStop: () => false },
  );
  return { records, parser, result };
}

/** Parses an in-memory capture through the real chunk loop with the given chunk size. */
export async function parseBuffer(data: Buffer, chunkBytes = 1 << 20): Promise<ParsedAll> {
  const format = detectFormat(data);
  if (format === null) throw new Error('test data is not a capture');
  return run(memoryReader(data), createParser(format), chunkBytes);
}

/** Parses a file (gzip or not) with the low-level parser, whatever its link type. */
export async function parseFile(path: string, chunkBytes = 1 << 20): Promise<ParsedAll | null> {
  const head = await openByteReader(path);
  const b = Buffer.alloc(4);
  const n = await head.reader.read(b, 0, 4);
  await head.reader.close();
  const format = detectFormat(b.subarray(0, n));
  if (format === null) return null;
  const { reader } = await openByteReader(path);
  try {
    return await run(reader, createParser(format), chunkBytes);
  } finally {
    await reader.close();
  }
}

/** A temp dir removed by the returned cleanup function. */
export function tempDir(): { dir: string; write(name: string, data: Buffer): string; rm(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'homewatch-capture-'));
  return {
    dir,
    write(name, data) {
      const p = join(dir, name);
      writeFileSync(p, data);
      return p;
    },
    rm() {
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

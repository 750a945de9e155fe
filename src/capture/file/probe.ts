/**
 * Probing: before any packet is processed, every input file is opened and its header (and, for
 * pcapng, its first interface) checked, so that an unreadable input is reported up front.
 * @module
 */
import { stat } from 'node:fs/promises';
import { HomewatchError, inputError } from '../../util/errors.js';
import { SUPPORTED_LINKTYPES } from '../types.js';
import { type ByteReader, openByteReader } from './byte-reader.js';
import { describeLinkType, describeSupportedLinkTypes } from './linktypes.js';
import { hexStart, ParseState, type RecordParser } from './parser.js';
import { isPcapMagic, PcapParser } from './pcap.js';
import { isPcapngMagic, PcapngParser } from './pcapng.js';
import { ChunkBuffers, readRecords } from './read-loop.js';

export type CaptureFormat = 'pcap' | 'pcapng';

/** What probing learnt about one input file. */
export interface ProbedFile {
  readonly path: string;
  readonly format: CaptureFormat;
  /** The file is gzip-compressed (sniffed from its first bytes, not its name). */
  readonly gzip: boolean;
  /** Size on disk (compressed size for gzip). */
  readonly sizeBytes: number;
  /** Header link type (pcap) or first interface's (pcapng); -1 for a pcapng with no interface. */
  readonly linkType: number;
  /** Time of the first packet (epoch seconds), Infinity when the file has none before damage. */
  readonly firstTs: number;
}

/** The format whose magic number starts `head`, or null. Never trusts the file name. */
export function detectFormat(head: Buffer): CaptureFormat | null {
  if (isPcapMagic(head)) return 'pcap';
  if (isPcapngMagic(head)) return 'pcapng';
  return null;
}

export function createParser(format: CaptureFormat): RecordParser {
  return format === 'pcap' ? new PcapParser() : new PcapngParser();
}

/** Maps a file-system error on `path` to a one-line HomewatchError. */
export function fsError(path: string, err: unknown): HomewatchError {
  if (err instanceof HomewatchError) return err;
  const code = (err as NodeJS.ErrnoException | undefined)?.code ?? '';
  switch (code) {
    case 'ENOENT':
    case 'ENOTDIR':
      return inputError('ERR_INPUT_MISSING', path, 'no such file');
    case 'EISDIR':
      return inputError('ERR_INPUT_IS_DIRECTORY', path, 'is a directory, not a capture file');
    case 'EACCES':
    case 'EPERM':
      return inputError('ERR_INPUT_UNREADABLE', path, 'permission denied');
    default: {
      const msg = err instanceof Error ? err.message.split('\n')[0] : String(err);
      return inputError('ERR_INPUT_UNREADABLE', path, `cannot be read (${code || msg})`);
    }
  }
}

const PROBE_CHUNK_BYTES = 64 * 1024;
/** A file with no packet in its first 64 MiB is replayed last (firstTs = Infinity). */
const PROBE_MAX_BYTES = 64 * 1024 * 1024;

function noop(): void {}

/**
 * Checks one file: exists, regular, non-empty, readable, a pcap or pcapng (gzipped or not) with a
 * valid header and a supported link type. Rejects with a HomewatchError otherwise.
 */
export async function probeCaptureFile(path: string): Promise<ProbedFile> {
  let sizeBytes: number;
  try {
    const st = await stat(path);
    if (st.isDirectory()) throw fsError(path, { code: 'EISDIR' });
    if (!st.isFile()) {
      throw inputError('ERR_INPUT_UNREADABLE', path, 'not a regular file');
    }
    sizeBytes = st.size;
  } catch (err) {
    throw fsError(path, err);
  }
  if (sizeBytes === 0) throw inputError('ERR_INPUT_EMPTY', path, 'empty file (0 bytes)');

  let opened;
  try {
    opened = await openByteReader(path);
  } catch (err) {
    throw fsError(path, err);
  }
  const { reader, gzip } = opened;
  try {
    const head = Buffer.allocUnsafe(PROBE_CHUNK_BYTES);
    const n = await reader.read(head, 0, 4);
    const what = gzip ? 'gzip data' : 'file';
    if (n === 0) {
      if (reader.damage !== '') {
        throw inputError('ERR_INPUT_NOT_CAPTURE', path, `not a capture: ${reader.damage}`);
      }
      throw inputError('ERR_INPUT_EMPTY', path, 'empty after gzip decompression');
    }
    const format = detectFormat(head.subarray(0, n));
    if (format === null) {
      const hex = hexStart(head, n);
      const rest = gzip ? `gzip data starts with ${hex}` : `starts with ${hex}`;
      throw inputError('ERR_INPUT_NOT_CAPTURE', path, `not a pcap or pcapng capture (${rest})`);
    }
    const parser = createParser(format);
    let firstTs = Infinity;
    let found = false;
    // The first 4 bytes are already in `head`: hand them over through a reader that replays them.
    const replay = prefixReader(head.subarray(0, n), reader);
    const res = await readRecords(
      replay,
      parser,
      (_b, _o, _c, _w, ts) => {
        if (!found) {
          found = true;
          firstTs = ts;
          parser.halt();
        }
      },
      new ChunkBuffers(PROBE_CHUNK_BYTES, 4096),
      { shouldStop: () => found, maxBytes: PROBE_MAX_BYTES },
    );
    if (parser.state === ParseState.BadHeader) {
      throw inputError('ERR_INPUT_NOT_CAPTURE', path, parser.problem);
    }
    if (!parser.headerDone) {
      const problem =
        reader.damage !== ''
          ? `${what} ends inside the ${format} header: ${reader.damage}`
          : `${format} header cut short (${res.leftover} of ${parser.needed} bytes)`;
      throw inputError('ERR_INPUT_NOT_CAPTURE', path, problem);
    }
    const lt = parser.linkType;
    if (lt !== -1 && !SUPPORTED_LINKTYPES.has(lt)) {
      throw inputError(
        'ERR_INPUT_UNSUPPORTED_LINKTYPE',
        path,
        `unsupported link type ${describeLinkType(lt)}; supported: ${describeSupportedLinkTypes()}`,
      );
    }
    return { path, format, gzip, sizeBytes, linkType: lt, firstTs };
  } finally {
    await reader.close().catch(noop);
  }
}

/** A ByteReader that first returns `prefix`, then reads on from `inner`. */
function prefixReader(prefix: Buffer, inner: ByteReader): ByteReader {
  let used = 0;
  return {
    get fileBytesRead() {
      return inner.fileBytesRead;
    },
    get damage() {
      return inner.damage;
    },
    close: () => inner.close(),
    async read(buf: Buffer, off: number, len: number): Promise<number> {
      let got = 0;
      if (used < prefix.length) {
        got = Math.min(len, prefix.length - used);
        prefix.copy(buf, off, used, used + got);
        used += got;
      }
      if (got < len) got += await inner.read(buf, off + got, len - got);
      return got;
    },
  };
}

/**
 * Capture files: zero-copy pcap and pcapng readers (optionally gzip-compressed, detected by magic
 * number, never by name) and the file PacketSource.
 *
 * @example
 * const source = await openCaptureFiles(['a.pcap', 'b.pcapng.gz']); // rejects with HomewatchError
 * const stats = await source.run((buf, off, capLen, wireLen, ts, linkType) => { … });
 * @module
 */
export {
  DEFAULT_CHUNK_BYTES,
  type FileDamage,
  FileSource,
  type FileSourceOptions,
  openCaptureFiles,
} from './file-source.js';
export {
  type CaptureFormat,
  createParser,
  detectFormat,
  type ProbedFile,
  probeCaptureFile,
} from './probe.js';
export { type ByteReader, openByteReader } from './byte-reader.js';
export { ParseState, type RecordParser, MAX_RECORD_BYTES, MAX_SNAPLEN_DEFAULT } from './parser.js';
export { PcapParser, isPcapMagic } from './pcap.js';
export { PcapngParser, isPcapngMagic } from './pcapng.js';
export {
  ChunkBuffers,
  readRecords,
  type ReadLoopOptions,
  type ReadLoopResult,
} from './read-loop.js';
export { describeLinkType, linkTypeName } from './linktypes.js';

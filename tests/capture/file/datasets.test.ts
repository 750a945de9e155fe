/**
 * Every capture under ../shared/datasets, against MANIFEST.tsv (tshark's packet counts).
 *
 * - Readable captures (empty read_error) with a supported link type: FileSource yields exactly the
 *   MANIFEST count and no damage. With an unsupported link type, openCaptureFiles rejects with
 *   ERR_INPUT_UNSUPPORTED_LINKTYPE, and the low-level parser still counts exactly MANIFEST's packets.
 * - Rows where tshark recognised no capture format (file_format erf/mime: a 0-byte file and two
 *   cut pcapng headers that tshark's other readers happened to accept) must be rejected.
 * - Rows with a read_error (tshark stopped with an error): see READ_ERROR_OUTCOMES below.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openCaptureFiles } from '../../../src/capture/file/index.js';
import { HomewatchError } from '../../../src/util/errors.js';
import { DATASETS, parseFile } from './util.js';

interface Row {
  path: string;
  format: string;
  packets: number;
  readError: string;
}

const rows: Row[] = readFileSync(join(DATASETS, 'MANIFEST.tsv'), 'utf8')
  .trim()
  .split('\n')
  .slice(1)
  .map((line) => {
    const c = line.split('\t');
    return { path: c[0], format: c[3], packets: Number(c[5]), readError: c[10] ?? '' };
  });

/**
 * What we do where tshark reports a read error. 'reject' = openCaptureFiles rejects with the code;
 * otherwise the packet count we yield and whether the file counts as truncated.
 *
 * - Bad headers (wrong version, reserved link-type bits, bad or cut section header): rejected.
 * - Files whose link type tshark cannot read (Juniper, FRF.16, ...): we reject the link type too;
 *   the low-level parser reads their records (counts checked against capinfos by hand: capinfos
 *   also fails on them, so the count is only that the records walk cleanly to the end).
 * - fuzz-2021-10-13.pcap: its only record claims 524501 captured bytes (> 262144; the file has
 *   199) but 197 on the wire. Like Wireshark we read it as its original length says, so we count
 *   1 packet as capinfos does, and the 2 bytes left over are a cut record: truncated = 1.
 * - pcapng block damage after a valid section header: 0 packets, truncated = 1.
 */
type Outcome = { reject: string } | { packets: number; truncated: number };
const READ_ERROR_OUTCOMES: Record<string, Outcome> = {
  'libpcap-tests/linktype-reserved-field-not-zero.pcap': { reject: 'ERR_INPUT_NOT_CAPTURE' },
  'libpcap-tests/pcap-invalid-version-1.pcap': { reject: 'ERR_INPUT_NOT_CAPTURE' },
  'libpcap-tests/pcap-truncated-hdr-23.pcap': { reject: 'ERR_INPUT_NOT_CAPTURE' },
  'libpcap-tests/pcapng-block-len-not-mult4.pcapng': { packets: 0, truncated: 1 },
  'libpcap-tests/pcapng-block-len-too-small.pcapng': { packets: 0, truncated: 1 },
  'libpcap-tests/pcapng-invalid-vers-1.pcapng': { reject: 'ERR_INPUT_NOT_CAPTURE' },
  'libpcap-tests/pcapng-invalid-vers-2.pcapng': { reject: 'ERR_INPUT_NOT_CAPTURE' },
  'libpcap-tests/pcapng-packet-before-idb.pcapng': { packets: 0, truncated: 1 },
  'libpcap-tests/pcapng-shb-len-too-small.pcapng': { reject: 'ERR_INPUT_NOT_CAPTURE' },
  'libpcap-tests/shb-option-too-long.pcapng': { reject: 'ERR_INPUT_NOT_CAPTURE' },
  'ndpi-tests/pcap/fuzz-2021-10-13.pcap': { packets: 1, truncated: 1 },
  'tcpdump-tests/malformed/frf16_magic_ie-oobr.pcap': { reject: 'ERR_INPUT_UNSUPPORTED_LINKTYPE' },
  'tcpdump-tests/malformed/hoobr_juniper3.pcap': { reject: 'ERR_INPUT_UNSUPPORTED_LINKTYPE' },
  'tcpdump-tests/malformed/juniper_es_oobr.pcap': { reject: 'ERR_INPUT_UNSUPPORTED_LINKTYPE' },
  'tcpdump-tests/malformed/juniper_monitor_invalid_cookie_length.pcap': {
    reject: 'ERR_INPUT_UNSUPPORTED_LINKTYPE',
  },
  'tcpdump-tests/malformed/vtp_asan-2.pcap': { reject: 'ERR_INPUT_UNSUPPORTED_LINKTYPE' },
  'tcpdump-tests/malformed/vtp_asan-3.pcap': { reject: 'ERR_INPUT_UNSUPPORTED_LINKTYPE' },
  'tcpdump-tests/malformed/vtp_asan.pcap': { reject: 'ERR_INPUT_UNSUPPORTED_LINKTYPE' },
};

async function open(path: string) {
  try {
    return { source: await openCaptureFiles([path]), error: null };
  } catch (err) {
    if (!(err instanceof HomewatchError)) throw err;
    return { source: null, error: err };
  }
}

describe('every capture in the datasets', () => {
  it('MANIFEST lists the whole tree', () => {
    expect(rows.length).toBeGreaterThan(1000);
    expect(Object.keys(READ_ERROR_OUTCOMES).sort()).toEqual(
      rows
        .filter((r) => r.readError !== '')
        .map((r) => r.path)
        .sort(),
    );
  });

  it('packet counts equal tshark/capinfos for every readable capture', async () => {
    const wrong: string[] = [];
    let unsupported = 0;
    let read = 0;
    for (const row of rows) {
      if (row.readError !== '') continue;
      const path = join(DATASETS, row.path);
      const { source, error } = await open(path);
      if (row.format === 'erf' || row.format === 'mime') {
        if (error === null) wrong.push(`${row.path}: accepted a file tshark read as ${row.format}`);
        continue;
      }
      if (error !== null) {
        if (error.code !== 'ERR_INPUT_UNSUPPORTED_LINKTYPE') {
          wrong.push(`${row.path}: ${error.message}`);
          continue;
        }
        unsupported++;
        const low = await parseFile(path, 1 << 16);
        if (low === null || low.records.length !== row.packets || low.result.leftover !== 0) {
          wrong.push(`${row.path}: low-level count ${low?.records.length} != ${row.packets}`);
        }
        continue;
      }
      read++;
      const stats = await source!.run(() => {});
      if (stats.packets !== row.packets || stats.truncated !== 0) {
        wrong.push(
          `${row.path}: ${stats.packets} packets, truncated ${stats.truncated}, want ${row.packets}`,
        );
      }
    }
    expect(wrong).toEqual([]);
    expect(read).toBeGreaterThan(900);
    expect(unsupported).toBeGreaterThan(50);
  });

  it('files tshark fails on end with a clear error or with the documented outcome', async () => {
    for (const [rel, want] of Object.entries(READ_ERROR_OUTCOMES)) {
      const path = join(DATASETS, rel);
      const { source, error } = await open(path);
      if ('reject' in want) {
        expect(error?.code, rel).toBe(want.reject);
        expect(error!.message.startsWith(`${path}: `)).toBe(true);
        continue;
      }
      expect(error, rel).toBeNull();
      const stats = await source!.run(() => {});
      expect({ packets: stats.packets, truncated: stats.truncated }, rel).toEqual(want);
    }
  });
});

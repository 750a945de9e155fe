/**
 * tshark as the oracle of the generator tests: one pass over a capture that returns the
 * asked fields of the matching frames as rows, so that each test reads a table instead of
 * running tshark again.
 */
import { execFileSync } from 'node:child_process';

export type Row = Record<string, string>;

/** Multi-valued fields come back joined with this (no field the tests read contains it). */
export const SEP = '|';

export function tsharkRows(file: string, filter: string, fields: readonly string[]): Row[] {
  const out = execFileSync(
    'tshark',
    [
      '-r',
      file,
      '-Y',
      filter,
      '-T',
      'fields',
      '-E',
      'occurrence=a',
      '-E',
      `aggregator=${SEP}`,
      ...fields.flatMap((f) => ['-e', f]),
    ],
    { encoding: 'utf8', maxBuffer: 1 << 30, stdio: ['ignore', 'pipe', 'ignore'] },
  );
  const rows: Row[] = [];
  for (const line of out.split('\n')) {
    if (line.length === 0) continue;
    const cells = line.split('\t');
    const row: Row = {};
    fields.forEach((f, i) => (row[f] = cells[i] ?? ''));
    rows.push(row);
  }
  return rows;
}

/** Frame time of a row, in epoch µs (tshark prints nanoseconds; the pcap holds µs). */
export function tsUs(row: Row): number {
  return Math.round(Number(row['frame.time_epoch']) * 1e6);
}

export function macText(mac: number): string {
  return mac
    .toString(16)
    .padStart(12, '0')
    .replace(/(..)(?!$)/g, '$1:');
}

export function ipText(ip: number): string {
  return `${ip >>> 24}.${(ip >>> 16) & 255}.${(ip >>> 8) & 255}.${ip & 255}`;
}

export function ipNumber(text: string): number {
  return text.split('.').reduce((a, b) => ((a << 8) | Number(b)) >>> 0, 0);
}

/** Hex payload (as tshark prints tcp.payload) to latin1 text. */
export function payloadText(hex: string): string {
  return Buffer.from(hex.replace(/:/g, ''), 'hex').toString('latin1');
}

/**
 * Mining-pool JSON-RPC on any TCP port: stratum v1 (`mining.subscribe`, `mining.submit`, …), the
 * xmrig/Monero dialect (`login`, `submit`, `getjob`, `keepalived`) and the Ethereum proxy dialect
 * (`eth_submitLogin`, `eth_getWork`, …). Messages are newline-delimited JSON objects; the peek
 * runs on TCP segments whose first byte is `{` and reads only the value of each message's
 * `"method"` key, compared against a table of known methods. Nothing else of the JSON (wallets,
 * worker names, shares) is kept. A segment whose messages name no known method is not stratum.
 * @module
 */
import { ascii } from './text.js';
import type { StratumInfo } from './types.js';

/** Known methods and whether a miner sends them (requests) or a pool does (notifications). */
const METHODS: readonly (readonly [method: string, request: boolean])[] = [
  ['mining.subscribe', true],
  ['mining.authorize', true],
  ['mining.submit', true],
  ['mining.extranonce.subscribe', true],
  ['mining.configure', true],
  ['mining.suggest_difficulty', true],
  ['mining.suggest_target', true],
  ['mining.get_transactions', true],
  ['login', true],
  ['submit', true],
  ['getjob', true],
  ['keepalived', true],
  ['eth_submitLogin', true],
  ['eth_getWork', true],
  ['eth_submitWork', true],
  ['eth_submitHashrate', true],
  ['mining.notify', false],
  ['mining.set_difficulty', false],
  ['mining.set_target', false],
  ['mining.set_extranonce', false],
  ['client.reconnect', false],
  ['client.show_message', false],
  ['job', false],
];
const TOKENS = METHODS.map(([m]) => ascii(m));
const METHOD_KEY = ascii('"method"');

/** Bytes of a segment scanned for messages; messages counted per segment. */
const MAX_SCAN = 8192;
const MAX_MESSAGES = 64;

const QUOTE = 0x22;
const LF = 0x0a;

/** Index into METHODS of the method named at `pos` (just after the opening quote), or -1. */
function methodAt(buf: Uint8Array, pos: number, end: number): number {
  let close = pos;
  while (close < end && close - pos <= 32 && buf[close] !== QUOTE) close++;
  if (close >= end || buf[close] !== QUOTE) return -1;
  const len = close - pos;
  outer: for (let m = 0; m < TOKENS.length; m++) {
    const t = TOKENS[m];
    if (t.length !== len) continue;
    for (let i = 0; i < len; i++) if (buf[pos + i] !== t[i]) continue outer;
    return m;
  }
  return -1;
}

/** The method index of the message in `[pos, lineEnd)`, or -1 when it names none we know. */
function messageMethod(buf: Uint8Array, pos: number, lineEnd: number): number {
  const k0 = METHOD_KEY[0];
  const klen = METHOD_KEY.length;
  for (let i = pos; i + klen <= lineEnd; i++) {
    if (buf[i] !== k0) continue;
    let j = 1;
    while (j < klen && buf[i + j] === METHOD_KEY[j]) j++;
    if (j < klen) continue;
    // `"method"`, blanks, `:`, blanks, `"`: JSON (RFC 8259 §2) allows whitespace around the colon.
    let p = i + klen;
    while (p < lineEnd && (buf[p] === 0x20 || buf[p] === 0x09)) p++;
    if (p >= lineEnd || buf[p] !== 0x3a) continue;
    p++;
    while (p < lineEnd && (buf[p] === 0x20 || buf[p] === 0x09)) p++;
    if (p >= lineEnd || buf[p] !== QUOTE) continue;
    return methodAt(buf, p + 1, lineEnd);
  }
  return -1;
}

export function peekStratum(buf: Buffer, off: number, len: number): StratumInfo | null {
  if (len < 2 || buf[off] !== 0x7b) return null;
  const end = off + (len < MAX_SCAN ? len : MAX_SCAN);
  let first = -1;
  let requests = 0;
  let pos = off;
  for (let n = 0; n < MAX_MESSAGES && pos < end; n++) {
    let eol = pos;
    while (eol < end && buf[eol] !== LF) eol++;
    if (buf[pos] === 0x7b) {
      const m = messageMethod(buf, pos, eol);
      if (m >= 0) {
        if (first < 0) first = m;
        if (METHODS[m][1]) requests++;
      }
    }
    pos = eol + 1;
  }
  if (first < 0) return null;
  return { kind: 'stratum', method: METHODS[first][0], request: METHODS[first][1], requests };
}

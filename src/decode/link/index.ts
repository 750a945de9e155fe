/**
 * LINKTYPE number → link decoder (https://www.tcpdump.org/linktypes.html). A new link layer is
 * one file and one row here.
 * @module
 */
import type { LayerDecoder } from '../layer.js';
import { ipv4 } from '../net/ipv4.js';
import { ipv6 } from '../net/ipv6.js';
import { ethernet } from './ethernet.js';
import { loopLink, nullLink } from './null.js';
import { rawIp } from './raw.js';
import { sll } from './sll.js';
import { sll2 } from './sll2.js';

const ROWS: ReadonlyArray<readonly [number, LayerDecoder]> = [
  [0, nullLink],
  [1, ethernet],
  [12, rawIp],
  [14, rawIp],
  [101, rawIp],
  [108, loopLink],
  [113, sll],
  [228, ipv4],
  [229, ipv6],
  [276, sll2],
];

/** Dense table indexed by link type; `null` where the link type is not decoded. */
export const LINK_DECODERS: ReadonlyArray<LayerDecoder | null> = (() => {
  const table = Array.from({ length: 512 }, (): LayerDecoder | null => null);
  for (const [type, decode] of ROWS) table[type] = decode;
  return table;
})();

/**
 * Loads a live-capture binding by name, or the default: `pcap` (node_pcap) first, because it
 * counts its drops (pcap_stats), honours snaplen and stamps packets in libpcap; `cap` second.
 * bench/live/rates.ts measures both at the same rates.
 * @module
 */

import { capBinding } from './cap-binding.js';
import { loadBinding, MODULE_PATHS, type BindingName, type LiveBinding } from './binding.js';
import { pcapBinding } from './pcap-binding.js';

/**
 * Loads the named binding, or the first that loads; throws ERR_CAPTURE_MODULE with the fix.
 * `paths` replaces the module paths (tests: a module that is missing or is not the addon).
 */
export function loadLiveBinding(
  name?: BindingName,
  paths: Readonly<Record<BindingName, string>> = MODULE_PATHS,
): LiveBinding {
  return loadBinding({ pcap: pcapBinding, cap: capBinding }, name, paths);
}

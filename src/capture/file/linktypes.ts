/**
 * Names of LINKTYPE_* numbers (https://www.tcpdump.org/linktypes.html), for error messages only.
 * @module
 */
import { SUPPORTED_LINKTYPES } from '../types.js';

const NAMES: ReadonlyMap<number, string> = new Map([
  [0, 'NULL'],
  [1, 'ETHERNET'],
  [6, 'IEEE802_5'],
  [7, 'ARCNET_BSD'],
  [8, 'SLIP'],
  [9, 'PPP'],
  [10, 'FDDI'],
  [12, 'RAW'],
  [14, 'RAW'],
  [50, 'PPP_HDLC'],
  [51, 'PPP_ETHER'],
  [100, 'ATM_RFC1483'],
  [101, 'RAW'],
  [104, 'C_HDLC'],
  [105, 'IEEE802_11'],
  [106, 'ATM_CLIP'],
  [107, 'FRELAY'],
  [108, 'LOOP'],
  [113, 'LINUX_SLL'],
  [117, 'PFLOG'],
  [119, 'IEEE802_11_PRISM'],
  [122, 'IP_OVER_FC'],
  [123, 'SUNATM'],
  [127, 'IEEE802_11_RADIOTAP'],
  [129, 'ARCNET_LINUX'],
  [138, 'APPLE_IP_OVER_IEEE1394'],
  [137, 'JUNIPER_ATM1'],
  [139, 'MTP2_WITH_PHDR'],
  [143, 'DOCSIS'],
  [147, 'USER0'],
  [148, 'USER1'],
  [149, 'USER2'],
  [163, 'IEEE802_11_AVS'],
  [165, 'BACNET_MS_TP'],
  [166, 'PPP_PPPD'],
  [169, 'GPRS_LLC'],
  [177, 'LINUX_LAPD'],
  [178, 'JUNIPER_ETHER'],
  [182, 'MFR'],
  [187, 'BLUETOOTH_HCI_H4'],
  [189, 'USB_LINUX'],
  [192, 'PPI'],
  [197, 'ERF'],
  [195, 'IEEE802_15_4_WITHFCS'],
  [201, 'BLUETOOTH_HCI_H4_WITH_PHDR'],
  [215, 'IEEE802_15_4_NONASK_PHY'],
  [220, 'USB_LINUX_MMAPPED'],
  [228, 'IPV4'],
  [229, 'IPV6'],
  [230, 'IEEE802_15_4_NOFCS'],
  [231, 'DBUS'],
  [235, 'DVB_CI'],
  [239, 'NFLOG'],
  [240, 'NETANALYZER'],
  [249, 'USBPCAP'],
  [251, 'BLUETOOTH_LE_LL'],
  [252, 'WIRESHARK_UPPER_PDU'],
  [253, 'NETLINK'],
  [254, 'BLUETOOTH_LINUX_MONITOR'],
  [256, 'BLUETOOTH_LE_LL_WITH_PHDR'],
  [258, 'PKTAP'],
  [270, 'LORATAP'],
  [271, 'VSOCK'],
  [276, 'LINUX_SLL2'],
  [283, 'IEEE802_15_4_TAP'],
]);

/** "LINUX_SLL" for 113, '' when unknown. */
export function linkTypeName(lt: number): string {
  return NAMES.get(lt) ?? '';
}

/** "105 (IEEE802_11)" or "4242". */
export function describeLinkType(lt: number): string {
  const name = linkTypeName(lt);
  return name === '' ? String(lt) : `${lt} (${name})`;
}

/** "0 (NULL), 1 (ETHERNET), …" for every supported link type. */
export function describeSupportedLinkTypes(): string {
  return [...SUPPORTED_LINKTYPES].map(describeLinkType).join(', ');
}

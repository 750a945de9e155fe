/**
 * The real captures of ../shared/datasets that detection is judged on (INDEX.md says what each
 * shows): the benign ones, and the attacks with the device and behaviour they must raise. Shared
 * by bench/detection.ts, tests/golden/detection.test.ts and the evaluation of `homewatch train`
 * (src/model/train/sources.ts), so that all three judge the same expectations.
 * @module
 */

/** Benign real captures: nothing but new_device may be raised (replayed with the defaults). */
export const BENIGN: string[] = [
  'moniotr-blink-hub/2019-04-25_idle.pcap',
  'neu-intl-iot/yi_camera_sample.pcap',
  'ndpi-tests/pcap/alexa-app.pcapng',
  'ndpi-tests/pcap/tuya_lp.pcap',
  'ndpi-tests/pcap/tplink_shp.pcap',
  'ndpi-tests/pcap/nest_log_sink.pcap',
  'ndpi-tests/pcap/sonos.pcapng',
];

/** Attack captures (short research captures: replayed with --learn 0). */
export const ATTACKS: { file: string; mac: string; behaviour: string; lan?: string[] }[] = [
  { file: 'ndpi-tests/pcap/mining.pcapng', mac: '70:85:c2:43:4f:a2', behaviour: 'crypto_mining' },
  { file: 'ndpi-tests/pcap/mining.pcapng', mac: '70:85:c2:40:0e:b8', behaviour: 'crypto_mining' },
  {
    file: 'ndpi-tests/pcap/exe_download.pcap',
    mac: '00:08:02:1c:47:ae',
    behaviour: 'malware_download',
  },
  {
    file: 'ndpi-tests/pcap/exe_download_as_png.pcap',
    mac: '00:08:02:1c:47:ae',
    behaviour: 'malware_download',
  },
  { file: 'ndpi-tests/pcap/emotet.pcap', mac: '00:08:02:1c:47:ae', behaviour: 'malware_download' },
  {
    file: 'ndpi-tests/pcap/trickbot.pcap',
    mac: '00:08:02:1c:47:ae',
    behaviour: 'malware_download',
  },
  {
    file: 'ndpi-tests/pcap/dns_exfiltration.pcap',
    mac: '8c:dc:d4:46:be:c4',
    behaviour: 'dns_anomaly',
  },
  {
    file: 'ndpi-tests/pcap/dns-tunnel-iodine.pcap',
    mac: '08:00:27:9c:e0:b4',
    behaviour: 'dns_anomaly',
  },
  { file: 'ndpi-tests/pcap/synscan.pcap', mac: '00:25:b3:bf:91:ee', behaviour: 'scan' },
  { file: 'ndpi-tests/pcap/tcp_scan.pcapng', mac: '28:37:37:00:6d:c8', behaviour: 'scan' },
  { file: 'ndpi-tests/pcap/natpmp.pcap', mac: '3c:a9:f4:a8:1f:ec', behaviour: 'upnp_exposure' },
  { file: 'ndpi-tests/pcap/natpmp.pcap', mac: '60:38:e0:c5:35:a0', behaviour: 'upnp_exposure' },
  { file: 'zeek-traces/ssh/sshguess.pcap', mac: '0a:00:27:00:00:00', behaviour: 'brute_force' },
  { file: 'zeek-traces/ftp/bruteforce.pcap', mac: '0a:00:27:00:00:00', behaviour: 'brute_force' },
  // Named a scanner by its source, but it holds one TCP connection to one host (10.0.0.149:5900):
  // one VNC login (RFB 3.8, VNC authentication chosen, the challenge answered, "Authentication
  // failed"), then the client closes. Not a scan (many hosts or ports) nor a brute force (one
  // attempt): a device opening an admin service on a LAN host it never used is lateral movement.
  {
    file: 'zeek-traces/rfb/vnc-scanner.pcap',
    mac: '78:fe:3d:0f:c7:68',
    behaviour: 'lateral_movement',
  },
];

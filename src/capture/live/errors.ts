/**
 * Turns the plain Errors the bindings throw (libpcap's errbuf text) into coded, one-line
 * HomewatchErrors that name the fix.
 * @module
 */

import { HomewatchError } from '../../util/errors.js';

/** The fix for a capture without the capabilities it needs. */
export const PERMISSION_FIX =
  'run as root, or grant CAP_NET_RAW and CAP_NET_ADMIN ' +
  '(setcap cap_net_raw,cap_net_admin+eip "$(command -v node)"; in Docker: --cap-add NET_RAW --cap-add NET_ADMIN)';

/** Maps an error from LiveBinding.open() for interface `iface` to a HomewatchError. */
export function captureOpenError(iface: string, filter: string, err: unknown): HomewatchError {
  if (err instanceof HomewatchError) return err;
  const msg = (err instanceof Error ? err.message : String(err)).split('\n', 1)[0];
  if (/operation not permitted|permission|EPERM|EACCES/i.test(msg)) {
    return new HomewatchError(
      'ERR_CAPTURE_PERMISSION',
      `capture on ${iface}: no permission (${msg}): ${PERMISSION_FIX}`,
      { cause: err },
    );
  }
  if (/no such device|doesn't exist|not exist/i.test(msg)) {
    return new HomewatchError(
      'ERR_CAPTURE_NO_INTERFACE',
      `interface ${iface} does not exist (${msg}); see homewatch interfaces`,
      { cause: err },
    );
  }
  if (/filter expression|syntax error|bpf/i.test(msg)) return filterError(filter, err);
  return new HomewatchError('ERR_CAPTURE', `capture on ${iface}: ${msg}`, { cause: err });
}

/**
 * A --filter libpcap would not compile. libpcap's compile errors have no common form ("syntax
 * error", "unknown port 'x'", "unknown host 'y'", ...): LiveSource calls this when the open
 * failed with the filter and succeeds without it.
 */
export function filterError(filter: string, err: unknown): HomewatchError {
  const msg = (err instanceof Error ? err.message : String(err)).split('\n', 1)[0];
  return new HomewatchError('ERR_USAGE', `--filter '${filter}': ${msg}`, { cause: err });
}

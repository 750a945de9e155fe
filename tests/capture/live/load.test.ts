/**
 * The capture module loader: when the libpcap binding cannot be loaded (module missing, libpcap
 * missing so the addon does not link, or not the addon at all), one coded line names the Debian
 * package and the npm rebuild.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { MODULE_PATHS } from '../../../src/capture/live/binding.js';
import { loadLiveBinding } from '../../../src/capture/live/load.js';
import { HomewatchError } from '../../../src/util/errors.js';

const dir = mkdtempSync(join(tmpdir(), 'hw-load-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** An addon file the dynamic linker refuses, as when libpcap.so.0.8 is missing. */
const broken = join(dir, 'pcap_binding.node');
writeFileSync(broken, 'not an ELF object');

function loadError(...args: Parameters<typeof loadLiveBinding>): HomewatchError {
  try {
    loadLiveBinding(...args);
  } catch (err) {
    if (err instanceof HomewatchError) return err;
    throw err;
  }
  throw new Error('the binding loaded');
}

/** Whether the real addons are built here (the tests of the missing module hold either way). */
function built(): boolean {
  try {
    loadLiveBinding('pcap');
    loadLiveBinding('cap');
    return true;
  } catch {
    return false;
  }
}

describe('loadLiveBinding', () => {
  it.skipIf(!built())('loads the real bindings (the module paths are right)', () => {
    expect(loadLiveBinding().name).toBe('pcap');
    expect(loadLiveBinding('cap').name).toBe('cap');
  });

  it('no binding loads: ERR_CAPTURE_MODULE, exit 2, one line naming the package and rebuild', () => {
    const err = loadError(undefined, {
      pcap: join(dir, 'missing', 'pcap_binding'),
      cap: broken,
    });
    expect(err.code).toBe('ERR_CAPTURE_MODULE');
    expect(err.exitCode).toBe(2);
    expect(err.message).not.toContain('\n');
    // Each binding's own reason, then the fix.
    expect(err.message).toMatch(/pcap: Cannot find module .*missing/);
    expect(err.message).toMatch(/cap: .*(invalid ELF header|file too short)/);
    expect(err.message).toContain('apt-get install libpcap0.8');
    expect(err.message).toContain('libpcap-dev');
    expect(err.message).toMatch(/npm rebuild pcap$/);
  });

  it('the requested binding does not load: the rebuild names it, the other is not tried', () => {
    const err = loadError('cap', { pcap: MODULE_PATHS.pcap, cap: join(dir, 'nope') });
    expect(err.code).toBe('ERR_CAPTURE_MODULE');
    expect(err.message).toMatch(/\(cap: Cannot find module [^;]*\)/);
    expect(err.message).toMatch(/npm rebuild cap$/);
  });

  it('a module that is not the addon is refused, not used', () => {
    const err = loadError('pcap', { pcap: 'node:os', cap: 'node:os' });
    expect(err.message).toMatch(/\(pcap: not the node_pcap addon\)/);
  });
});
